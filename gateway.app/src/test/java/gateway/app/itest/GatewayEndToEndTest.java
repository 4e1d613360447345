package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpSimulator;

/**
 * The runnable gateway.jar in its own JVM, as a user runs it, against IDM simulators on loopback sockets (started
 * here from the driver bundle's simulator service). Everything goes through the public HTTP API.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ADMIN_PASSWORD = "e2e-Admin-pass-7431";
    /** IDM 1032 DHW setpoint: UINT8, RW, EEPROM, 35–95 °C (fact sheet §4). */
    private static final String DHW_SETPOINT = "temp_water_target";
    /** IDM 1000 outdoor temperature: FLOAT, read-only. */
    private static final String OUTDOOR = "temp_outside";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    private HeatpumpSimulator.Running simA;
    private HeatpumpSimulator.Running simB;
    private int simAPort;
    private GatewayProcess gateway;
    private ApiClient admin;
    private String deviceA;
    private String deviceB;

    @BeforeAll
    void startGatewayAndSimulators() throws Exception {
        HeatpumpSimulator idm = Await.value("IDM simulator service", WAIT, () -> simulators.getServices().stream()
                .filter(s -> s.manufacturerId().equals("idm")).findFirst().orElse(null));
        simA = idm.start(0, DeviceConfig.of(List.of("A"), List.of()));
        simAPort = simA.port();
        simB = idm.start(0, DeviceConfig.of(List.of("A"), List.of()));
        Path data = Files.createTempDirectory("gateway-e2e");
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data,
                Map.of("GATEWAY_ADMIN_PASSWORD", ADMIN_PASSWORD));
        admin = new ApiClient(gateway.port, "admin", ADMIN_PASSWORD);
        // Drivers are seeded into deploy/ at first start and installed from there, a moment after HTTP is up.
        Await.until("IDM driver installed from deploy/", WAIT,
                () -> admin.get("/api/manufacturers").body().contains("\"navigator_2_0\""));
        deviceA = createDevice("Cellar IDM", simA.port());
        deviceB = createDevice("Garage IDM", simB.port());
    }

    @AfterAll
    void stopAll() {
        if (gateway != null) {
            gateway.close();
        }
        if (simA != null) {
            simA.close();
        }
        if (simB != null) {
            simB.close();
        }
    }

    private String createDevice(String name, int port) {
        ApiClient.Response r = admin.post("/api/heatpumps", Map.of("name", name, "manufacturer", "idm", "model",
                "navigator_2_0", "connection_config", Map.of("host", "127.0.0.1", "port", port, "unit_id", 1),
                "device_config", Map.of("circuits", List.of("A"), "zones", List.of()), "poll_interval", 1,
                "enabled", true));
        assertEquals(201, r.status(), r.body());
        return r.json().get("id").asText();
    }

    private JsonNode value(String device, String sensor) {
        ApiClient.Response r = admin.get("/api/data/" + device);
        assertEquals(200, r.status(), r.body());
        return r.json().path("values").path(sensor);
    }

    private String state(String device) {
        return admin.get("/api/heatpumps/" + device).json().path("status").path("state").asText();
    }

    @Test
    @Order(0)
    void spiFlyBindsLoggingButLeavesJettyAlone() {
        String log = gateway.log();
        assertTrue(log.contains("Registered provider org.slf4j.simple.SimpleServiceProvider"),
                "SPI Fly hands SLF4J its provider:\n" + gateway.tail());
        // the launcher's JettyUnwoven hides the Jetty bundle from SPI Fly, whose provider and consumer (weaving)
        // trackers then never see it (#14: weaving its classes cost 0.3 s of start-up CPU)
        assertFalse(log.contains("in bundle org.apache.felix.http.jetty12"), "SPI Fly saw Jetty:\n" + log);
        assertTrue(log.contains("INFO gateway."), "and the gateway's own SLF4J logging reaches the log");
    }

    @Test
    @Order(1)
    void valuesFromTheApiEqualWhatTheSimulatorServes() {
        Await.until("first snapshot of device A", WAIT, () -> "good".equals(value(deviceA, DHW_SETPOINT).path("quality").asText()));
        JsonNode setpoint = value(deviceA, DHW_SETPOINT);
        assertEquals(simA.value(DHW_SETPOINT), setpoint.path("value").asDouble(), 1e-9, "DHW setpoint as served");
        assertEquals("°C", setpoint.path("unit").asText());
        assertNotNull(setpoint.path("timestamp").asText(null));

        // The outdoor temperature moves with the simulator's model; the API must show what was served at poll time,
        // so compare against the simulator with a tolerance of what one poll period can move it.
        JsonNode outdoor = value(deviceA, OUTDOOR);
        assertEquals("good", outdoor.path("quality").asText());
        assertEquals(simA.value(OUTDOOR), outdoor.path("value").asDouble(), 0.5);

        JsonNode details = admin.get("/api/heatpumps/" + deviceA).json();
        JsonNode sensor = null;
        for (JsonNode s : details.path("sensors")) {
            if (s.path("id").asText().equals(DHW_SETPOINT)) {
                sensor = s;
            }
        }
        assertNotNull(sensor, "details list the DHW setpoint");
        assertEquals("holding", sensor.path("register_type").asText());
        assertEquals(1032, sensor.path("address").asInt());
        assertEquals("read_write", sensor.path("access").asText());
    }

    @Test
    @Order(2)
    void aWriteReachesTheSimulatorOnceAndIsAudited() {
        assertEquals(200, admin.put("/api/settings", Map.of("write_enabled", true)).status());
        Await.until("device A online", WAIT, () -> "online".equals(state(deviceA)));
        double current = simA.value(DHW_SETPOINT);
        double target = current >= 90 ? current - 2 : current + 2;

        ApiClient.Response r = admin.post("/api/control/" + deviceA, Map.of("sensor", DHW_SETPOINT, "value", target));
        assertEquals(200, r.status(), r.body());
        assertEquals(1, simA.writeCount(DHW_SETPOINT), "exactly one write request reached the device");
        assertEquals(target, simA.value(DHW_SETPOINT), 1e-9);

        // A few more poll cycles must not write again (EEPROM register).
        long requests = simA.requestCount();
        Await.until("a few more polls", WAIT, () -> simA.requestCount() > requests + 3);
        assertEquals(1, simA.writeCount(DHW_SETPOINT), "no periodic rewrite of an EEPROM setpoint");

        JsonNode audit = admin.get("/api/audit?heatpump_id=" + deviceA).json();
        JsonNode entries = audit.isArray() ? audit : audit.path("entries");
        JsonNode latest = entries.get(0);
        assertNotNull(latest, "audit has an entry: " + audit);
        assertEquals(DHW_SETPOINT, latest.path("sensor_id").asText());
        assertEquals("admin", latest.path("actor").asText());
        assertEquals(current, latest.path("old_value").asDouble(), 1e-9);
        assertEquals(target, latest.path("new_value").asDouble(), 1e-9);
        assertEquals("ok", latest.path("result").asText());
    }

    @Test
    @Order(3)
    void invalidWritesAreRefusedClearlyAndNothingReachesTheSimulator() {
        int before = simA.writeCount(DHW_SETPOINT);
        assertEquals(200, admin.put("/api/settings", Map.of("write_enabled", true)).status());

        ApiClient.Response readOnly = admin.post("/api/control/" + deviceA, Map.of("sensor", OUTDOOR, "value", 3));
        assertEquals(422, readOnly.status(), readOnly.body());
        assertTrue(readOnly.contentType().startsWith("application/problem+json"), readOnly.contentType());
        assertTrue(readOnly.json().path("detail").asText().toLowerCase().contains("read"), readOnly.body());

        ApiClient.Response outOfRange = admin.post("/api/control/" + deviceA, Map.of("sensor", DHW_SETPOINT, "value", 120));
        assertEquals(422, outOfRange.status(), outOfRange.body());
        assertTrue(outOfRange.json().path("detail").asText().contains("95"), "names the limit: " + outOfRange.body());

        ApiClient.Response unknown = admin.post("/api/control/" + deviceA, Map.of("sensor", "no_such_sensor", "value", 1));
        assertEquals(404, unknown.status(), unknown.body());

        ApiClient.Response anonymous = new ApiClient(gateway.port, null, null)
                .post("/api/control/" + deviceA, Map.of("sensor", DHW_SETPOINT, "value", 50));
        assertEquals(401, anonymous.status(), anonymous.body());

        assertEquals(200, admin.put("/api/settings", Map.of("write_enabled", false)).status());
        ApiClient.Response switchedOff = admin.post("/api/control/" + deviceA, Map.of("sensor", DHW_SETPOINT, "value", 50));
        assertEquals(409, switchedOff.status(), switchedOff.body());
        assertTrue(switchedOff.json().path("detail").asText().toLowerCase().contains("disabled"), switchedOff.body());

        assertEquals(before, simA.writeCount(DHW_SETPOINT), "no refused write reached the device");
        assertEquals(0, simA.writeCount(OUTDOOR));
    }

    @Test
    @Order(4)
    void simulatorKilledAndRestartedTakesTheDeviceOfflineThenOnlineWithoutTouchingOthers() throws Exception {
        Await.until("both devices online", WAIT, () -> "online".equals(state(deviceA)) && "online".equals(state(deviceB)));
        simA.close();
        simA = null;
        Await.until("device A offline", WAIT, () -> "offline".equals(state(deviceA)));
        assertEquals("online", state(deviceB), "device B unaffected");
        String bTime = admin.get("/api/data/" + deviceB).json().path("time").asText();
        Await.until("device B keeps polling", WAIT,
                () -> !bTime.equals(admin.get("/api/data/" + deviceB).json().path("time").asText()));
        assertFalse(admin.get("/api/heatpumps/" + deviceA).json().path("status").path("last_error").asText().isEmpty(),
                "the device says what went wrong");

        HeatpumpSimulator idm = simulators.getServices().stream().filter(s -> s.manufacturerId().equals("idm"))
                .findFirst().orElseThrow();
        simA = idm.start(simAPort, DeviceConfig.of(List.of("A"), List.of()));
        Await.until("device A online again (backoff ≤ 60 s)", Duration.ofSeconds(75), () -> "online".equals(state(deviceA)));
    }

    @Test
    @Order(5)
    void driversInTheDeployFolderComeAndGoWithTheirJars() throws Exception {
        Path deploy = gateway.data.resolve("deploy");
        Path nibe = deploy.resolve("gateway.driver.nibe.jar");
        assertTrue(Files.isRegularFile(nibe), "first start seeded the bundled drivers into " + deploy);
        Await.until("nibe listed", WAIT, () -> admin.get("/api/manufacturers").body().contains("\"nibe\""));

        Path aside = gateway.data.resolve("nibe-aside.jar");
        Files.move(nibe, aside);
        Await.until("nibe gone after its jar was removed", WAIT,
                () -> !admin.get("/api/manufacturers").body().contains("\"nibe\""));
        assertEquals("online", state(deviceA), "other drivers' devices are untouched");

        Files.copy(Path.of(context.getProperty("gateway.itest.bundled"), "gateway.driver.nibe.jar"),
                deploy.resolve("nibe-dropped-by-user.jar"), StandardCopyOption.REPLACE_EXISTING);
        Await.until("a driver jar dropped into deploy/ appears in /api/manufacturers", WAIT, () -> {
            JsonNode all = admin.get("/api/manufacturers").json();
            for (JsonNode m : all) {
                if (m.path("id").asText().equals("nibe")) {
                    return m.path("models").size() == 3;
                }
            }
            return false;
        });
    }

    @Test
    @Order(6)
    void historyIsRecordedAndQueryableDownsampled() {
        Await.until("history of the outdoor temperature", WAIT, () -> admin
                .get("/api/history/" + deviceB + "?sensor=" + OUTDOOR + "&points=5").json().path("points").size() > 0);
        JsonNode history = admin.get("/api/history/" + deviceB + "?sensor=" + OUTDOOR + "&points=5").json();
        assertEquals(OUTDOOR, history.path("sensor").asText());
        assertTrue(history.path("points").size() <= 5, "downsampled to at most the points asked: " + history);
        for (JsonNode p : history.path("points")) {
            assertTrue(p.path("min").asDouble() <= p.path("value").asDouble()
                    && p.path("value").asDouble() <= p.path("max").asDouble(), "bucket average within its extremes: " + p);
            assertTrue(Math.abs(p.path("value").asDouble()) < 60, "a plausible outdoor temperature: " + p);
        }
        assertEquals(400, admin.get("/api/history/" + deviceB + "?sensor=" + OUTDOOR + "&points=-3").status());
    }

    @Test
    @Order(6)
    void metricsServeTheDeviceValuesAndAPushTargetComesFromACfgFileInDeploy() throws Exception {
        ApiClient loopback = new ApiClient(gateway.port, null, null); // /metrics: loopback needs no user by default
        String outdoor = "heatpump_" + OUTDOOR + "_celsius{heatpump_id=\"" + deviceB + "\"";
        Await.until("the outdoor temperature in /metrics", WAIT, () -> loopback.get("/metrics").body().contains(outdoor));
        ApiClient.Response m = loopback.get("/metrics");
        assertEquals(200, m.status());
        assertTrue(m.contentType().startsWith("text/plain"), m.contentType());
        assertTrue(m.body().contains("\nheatpump_up{heatpump_id=\"" + deviceB + "\"} 1\n"), m.body());
        assertTrue(m.body().contains("\ngateway_poll_duration_seconds_count "), m.body());
        assertFalse(m.body().contains("Garage IDM"), "the display name is never part of a series");

        int closedPort = GatewayProcess.freePort();
        Path cfg = gateway.data.resolve("deploy").resolve("gateway.metrics.push.cfg");
        Files.writeString(cfg, "url=http://127.0.0.1:" + closedPort + "\nflush.interval.millis=200\n");
        try {
            Await.until("the push status names the configured target, unreachable", WAIT, () -> {
                JsonNode s = admin.get("/api/metrics/push").json();
                return s.path("state").asText().equals("unreachable")
                        && s.path("target").asText().contains(":" + closedPort + "/write");
            });
        } finally {
            Files.delete(cfg);
        }
    }

    @Test
    @Order(7)
    void devicesSettingsAndDeployedDriversSurviveARestart() throws Exception {
        boolean writes = admin.get("/api/settings").json().path("write_enabled").asBoolean();
        gateway.close();
        assertTrue(gateway.tail().contains("database closed"),
                "SIGTERM stops the framework so components shut down cleanly:\n" + gateway.tail());
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), gateway.data,
                Map.of("GATEWAY_ADMIN_PASSWORD", "a-different-password-now-ignored"));
        admin = new ApiClient(gateway.port, "admin", ADMIN_PASSWORD);
        Await.until("device A online after the restart", WAIT, () -> "online".equals(state(deviceA)));
        assertEquals("Garage IDM", admin.get("/api/heatpumps/" + deviceB).json().path("name").asText());
        assertEquals(writes, admin.get("/api/settings").json().path("write_enabled").asBoolean());
        assertTrue(admin.get("/api/manufacturers").body().contains("\"nibe\""),
                "the driver the user dropped into deploy/ is still installed");
        assertEquals(401, new ApiClient(gateway.port, "admin", "a-different-password-now-ignored")
                .get("/api/heatpumps").status(), "the environment password only seeds the first start");
        // the bundles now come from the framework cache, installed before the launcher's hooks: still unwoven
        assertFalse(gateway.log().contains("in bundle org.apache.felix.http.jetty12"), gateway.log());
        assertTrue(gateway.log().contains("Registered provider org.slf4j.simple.SimpleServiceProvider"));
    }
}
