package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * Issue 14: kill -9 of gateway.jar while a client loops through configuration changes over the REST API (device
 * renames, dashboards, jobs, alerts, users). Whatever the API acknowledged with a 2xx before the kill is there after
 * the restart, in every round. The store-level twin is gateway.core.store's DurabilityTest; this one covers the whole
 * path (web → services → H2 file) of the real jar. Rounds: framework property {@code reliability.rounds} (20).
 */
@ExtendWith(BundleContextExtension.class)
class KillDuringConfigurationChangesTest {

    private static final String PASSWORD = "kill-test-password";
    /** An IDM Navigator writable register (the job and the alert need a real sensor of the device's model). */
    private static final String SENSOR = "temp_water_switch_on";

    @InjectBundleContext
    BundleContext context;

    /** One acknowledged change and the list that must show it after the restart. */
    record Acknowledged(String list, String mustContain) {
    }

    @Test
    void everyAcknowledgedChangeSurvivesKillMinus9InEveryRound() throws Exception {
        Object roundsProperty = context.getProperty("reliability.rounds");
        int rounds = roundsProperty == null ? 20 : Integer.parseInt(roundsProperty.toString());
        String jar = context.getProperty("gateway.itest.jar");
        Path data = Files.createTempDirectory("gateway-kill");
        Map<String, String> env = Map.of("GATEWAY_ADMIN_PASSWORD", PASSWORD);
        Random random = new Random(14);
        List<Acknowledged> acknowledged = new CopyOnWriteArrayList<>();
        String device;
        GatewayProcess gateway = GatewayProcess.start(jar, data, env);
        try {
            ApiClient admin = new ApiClient(gateway.port, "admin", PASSWORD);
            ApiClient.Response created = admin.post("/api/heatpumps", Map.of("name", "Cellar", "manufacturer", "idm",
                    "model", "navigator_2_0", "enabled", false, "connection_config", Map.of("host", "127.0.0.1",
                            "port", 1, "unit_id", 1),
                    "device_config", Map.of("circuits", List.of("A"), "zones", List.of())));
            assertEquals(201, created.status(), created.body());
            device = created.json().get("id").asText();
            long started = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                ApiClient client = new ApiClient(gateway.port, "admin", PASSWORD);
                AtomicBoolean stop = new AtomicBoolean();
                AtomicReference<String> lastAckedName = new AtomicReference<>();
                AtomicReference<String> inFlightName = new AtomicReference<>();
                List<String> failures = new CopyOnWriteArrayList<>();
                int before = acknowledged.size();
                int r = round;
                Thread writer = new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String tag = "r" + r + "-" + i;
                        ApiClient.Response resp;
                        Acknowledged ack;
                        switch (i % 5) {
                            case 0 -> {
                                inFlightName.set("Cellar " + tag);
                                resp = client.put("/api/heatpumps/" + device, Map.of("name", "Cellar " + tag));
                                ack = null;
                                if (resp.status() == 200) {
                                    lastAckedName.set("Cellar " + tag);
                                }
                            }
                            case 1 -> {
                                resp = client.post("/api/dashboards", Map.of("name", "Board " + tag,
                                        "config", Map.of("widgets", List.of())));
                                ack = new Acknowledged("/api/dashboards", "Board " + tag);
                            }
                            case 2 -> {
                                resp = client.post("/api/jobs", Map.of("heatpump_id", device, "sensor", SENSOR,
                                        "value", 40 + i % 5, "time", String.format("%02d:%02d", i % 24, r % 60),
                                        "days", List.of(), "enabled", false));
                                ack = new Acknowledged("/api/jobs", "id");
                            }
                            case 3 -> {
                                resp = client.post("/api/alerts", Map.of("heatpump_id", device, "name", "Alert " + tag,
                                        "type", "threshold", "sensor", SENSOR, "condition", ">", "threshold", "50",
                                        "hysteresis", 3, "interval_seconds", 3600, "channels", List.of(),
                                        "notify_resolved", false));
                                ack = new Acknowledged("/api/alerts", "Alert " + tag);
                            }
                            default -> {
                                resp = client.post("/api/users", Map.of("name", "user-" + tag, "password",
                                        "a-long-password-" + tag, "role", "viewer"));
                                ack = new Acknowledged("/api/users", "user-" + tag);
                            }
                        }
                        if (resp.status() < 0) {
                            return; // the gateway is gone: nothing of this request was acknowledged
                        }
                        if (resp.status() / 100 != 2) {
                            failures.add(tag + " " + resp.status() + " " + resp.body());
                            return;
                        }
                        if (ack != null) {
                            acknowledged.add(ack.mustContain().equals("id")
                                    ? new Acknowledged(ack.list(), resp.json().get("id").asText()) : ack);
                        }
                    }
                }, "configuration-writer-" + round);
                writer.start();
                // the kill lands after 3..12 acknowledged changes of this round, mostly while a request is in flight
                int killAfter = 3 + random.nextInt(10);
                Await.until("round " + round + ": " + killAfter + " changes acknowledged " + failures,
                        GatewayProcess.STARTUP, () -> {
                            assertTrue(failures.isEmpty(), failures.toString());
                            return acknowledged.size() - before >= killAfter;
                        });
                gateway.kill();
                stop.set(true);
                writer.join(Duration.ofSeconds(60).toMillis());
                assertTrue(failures.isEmpty(), failures.toString());

                gateway = GatewayProcess.start(jar, data, env);
                ApiClient after = new ApiClient(gateway.port, "admin", PASSWORD);
                for (String list : List.of("/api/dashboards", "/api/jobs", "/api/alerts", "/api/users")) {
                    ApiClient.Response listed = after.get(list);
                    assertEquals(200, listed.status(), list + ": " + listed.body());
                    for (Acknowledged a : acknowledged) {
                        if (a.list().equals(list)) {
                            assertTrue(listed.body().contains("\"" + a.mustContain() + "\""),
                                    "round " + round + ": acknowledged " + a + " lost after kill -9");
                        }
                    }
                }
                String name = after.get("/api/heatpumps/" + device).json().path("name").asText();
                if (lastAckedName.get() != null) {
                    assertTrue(name.equals(lastAckedName.get()) || name.equals(inFlightName.get()),
                            "round " + round + ": name " + name + ", last acknowledged " + lastAckedName.get());
                }
            }
            System.out.printf("kill -9 rounds: %d, acknowledged creations kept: %d (renames besides), %d s%n", rounds,
                    acknowledged.size(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
        } finally {
            gateway.close();
        }
    }
}
