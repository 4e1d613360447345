package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

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
 * Issue 12 end to end through gateway.jar in its own JVM, an IDM simulator over Modbus TCP and a real HTTP receiver
 * for the webhook channel, everything through the public API:
 * <ul>
 * <li>the time zone setting places a job at its local minute; it writes once, audited as {@code job:<id>}, and a
 * kill -9 and restart just after its run does not run it again;</li>
 * <li>a threshold alert fires once, repeats per interval, stays firing inside its hysteresis and resolves past it;
 * each notification arrives once;</li>
 * <li>with the receiver down, a notification whose outbox row is on disk survives a kill -9 of the gateway and a
 * restart, and arrives exactly once when the receiver is back.</li>
 * </ul>
 * Wall-clock waits (the job's minute, repeats) are Await polls with generous bounds; the job's zone and minute are
 * chosen so it is due within 75 s, and the first alert test runs while the job waits for it.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutomationEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String ADMIN_PASSWORD = "automation-e2e-Pass-6671";
    /** A zone 5:45 off UTC: a job placed in it runs at no whole-hour offset, so the wrong zone cannot pass. */
    private static final ZoneId ZONE = ZoneId.of("Asia/Kathmandu");
    /** IDM 1032 DHW setpoint: RW, 35–95 °C (fact sheet §4); the alert watches it, the test moves it. */
    private static final String DHW_SETPOINT = "temp_water_target";
    /** IDM 1033 DHW charge-on temperature: RW, 30–50 °C; the job writes it. */
    private static final String CHARGE_ON = "temp_water_switch_on";
    private static final int REPEAT_SECONDS = 3;

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    private HeatpumpSimulator.Running sim;
    private WebhookReceiver receiver;
    private Path data;
    private GatewayProcess gateway;
    private ApiClient admin;
    private String deviceId;
    private String channelId;
    private String alertId;
    private String jobId;
    private Instant jobDue;
    private double jobValue;

    @BeforeAll
    void start() throws Exception {
        HeatpumpSimulator idm = Await.value("IDM simulator service", WAIT, () -> simulators.getServices().stream()
                .filter(s -> s.manufacturerId().equals("idm")).findFirst().orElse(null));
        sim = idm.start(0, DeviceConfig.of(List.of("A"), List.of()));
        receiver = WebhookReceiver.open();
        data = Files.createTempDirectory("gateway-automation-e2e");
        Path deploy = GatewayProcess.deployOnly(context, data, "gateway.driver.idm.jar");
        // retries within seconds instead of the default 30 s doubling, as a user would set it in deploy/
        Files.writeString(deploy.resolve("gateway.notification.cfg"),
                "initial.backoff.seconds=1\nmax.backoff.seconds=2\npoll.interval.seconds=1\n");
        startGateway();
        ApiClient.Response created = admin.post("/api/heatpumps", Map.of("name", "Cellar", "manufacturer", "idm",
                "model", "navigator_2_0", "connection_config", Map.of("host", "127.0.0.1", "port", sim.port(),
                        "unit_id", 1), "device_config", Map.of("circuits", List.of("A"), "zones", List.of()),
                "poll_interval", 1, "enabled", true));
        assertEquals(201, created.status(), created.body());
        deviceId = created.json().get("id").asText();
        ApiClient.Response channel = admin.post("/api/notifications/channels", Map.of("type", "webhook",
                "name", "Receiver", "settings", Map.of("url", receiver.url("/alerts"))));
        assertEquals(201, channel.status(), channel.body());
        channelId = channel.json().get("id").asText();
        Await.until("first values", WAIT, () -> value(DHW_SETPOINT) != null);
    }

    private void startGateway() throws Exception {
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data,
                Map.of("GATEWAY_ADMIN_PASSWORD", ADMIN_PASSWORD));
        admin = new ApiClient(gateway.port, "admin", ADMIN_PASSWORD);
        Await.until("IDM driver installed from deploy/", WAIT,
                () -> admin.get("/api/manufacturers").body().contains("\"navigator_2_0\""));
        assertEquals(200, admin.put("/api/settings", Map.of("write_enabled", true)).status());
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (sim != null) {
            sim.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private static Instant instant(JsonNode text) {
        return text.isTextual() ? Instant.parse(text.asText()) : null;
    }

    private Double value(String sensor) {
        JsonNode v = admin.get("/api/data/" + deviceId).json().path("values").path(sensor);
        return v.path("quality").asText().equals("good") ? v.path("value").asDouble() : null;
    }

    private void write(String sensor, double value) {
        ApiClient.Response r = admin.post("/api/control/" + deviceId, Map.of("sensor", sensor, "value", value));
        assertEquals(200, r.status(), r.body());
        Await.until(sensor + " reads " + value, WAIT, () -> Double.valueOf(value).equals(value(sensor)));
    }

    /** The alert's notifications at the receiver, in arrival order. */
    private List<WebhookReceiver.Request> fromAlert() {
        return receiver.requests.stream().filter(r -> r.json().path("source").asText().equals("alert:" + alertId))
                .toList();
    }

    private List<WebhookReceiver.Request> titled(String title) {
        return fromAlert().stream().filter(r -> r.json().path("title").asText().equals(title)).toList();
    }

    private List<JsonNode> outbox(String state) {
        List<JsonNode> out = new ArrayList<>();
        admin.get("/api/notifications/outbox?limit=1000" + (state == null ? "" : "&state=" + state)).json()
                .forEach(e -> {
                    if (e.path("source").asText().equals("alert:" + alertId)) {
                        out.add(e);
                    }
                });
        return out;
    }

    private List<JsonNode> auditByJob() {
        List<JsonNode> out = new ArrayList<>();
        admin.get("/api/audit?heatpump_id=" + deviceId + "&limit=1000").json().forEach(e -> {
            if (e.path("actor").asText().equals("job:" + jobId)) {
                out.add(e);
            }
        });
        return out;
    }

    @Test
    @Order(1)
    void theTimeZoneSettingPlacesAJobAtItsLocalMinute() {
        ApiClient.Response bad = admin.put("/api/settings", Map.of("time_zone", "Mars/Olympus_Mons"));
        assertEquals(422, bad.status(), bad.body());
        assertTrue(bad.json().path("errors").get(0).asText().startsWith("time_zone:"), bad.body());
        ApiClient.Response set = admin.put("/api/settings", Map.of("time_zone", ZONE.getId()));
        assertEquals(200, set.status(), set.body());
        assertEquals(ZONE.getId(), admin.get("/api/settings").json().path("time_zone").asText());

        // the first minute at least 15 s ahead in that zone: time enough for the engine to restart with the zone
        // first (the class waits for this minute, so no later than needed)
        ZonedDateTime due = ZonedDateTime.now(ZONE).plusSeconds(15).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        jobDue = due.toInstant();
        Double current = value(CHARGE_ON);
        jobValue = current != null && current == 44.0 ? 45 : 44;
        // catch-up: should the restart below fall on the job's minute, it still runs once when the gateway is back
        ApiClient.Response created = admin.post("/api/jobs", Map.of("heatpump_id", deviceId, "sensor", CHARGE_ON,
                "value", jobValue, "time", due.format(DateTimeFormatter.ofPattern("HH:mm")), "days", List.of(),
                "enabled", true, "catch_up_minutes", 5));
        assertEquals(201, created.status(), created.body());
        jobId = created.json().get("id").asText();
        // the automation component restarts with the new zone; from then on it places the job in Kathmandu time
        // (or, on a slow machine, it has already run it: then its last run is that minute)
        Await.until("the job's next run at " + due + " (the engine uses the configured zone)", WAIT, () -> {
            JsonNode job = admin.get("/api/jobs/" + jobId).json();
            return jobDue.equals(instant(job.path("next_run"))) || jobDue.equals(instant(job.path("last_run")));
        });
    }

    @Test
    @Order(2)
    void aThresholdAlertFiresOnceRepeatsPerIntervalAndResolvesWithHysteresis() {
        write(DHW_SETPOINT, 45);
        ApiClient.Response created = admin.post("/api/alerts", Map.of("heatpump_id", deviceId, "name", "Setpoint high",
                "type", "threshold", "sensor", DHW_SETPOINT, "condition", ">", "threshold", "50", "hysteresis", 3,
                "interval_seconds", REPEAT_SECONDS, "channels", List.of(channelId), "notify_resolved", true));
        assertEquals(201, created.status(), created.body());
        alertId = created.json().get("id").asText();

        write(DHW_SETPOINT, 55);
        Await.until("the alert fired at the receiver", WAIT, () -> titled("Alert: Setpoint high").size() == 1);
        WebhookReceiver.Request fired = titled("Alert: Setpoint high").get(0);
        assertTrue(fired.json().path("message").asText().contains("is 55"), "fired on 55, not before: " + fired.body());
        assertEquals(fired.json().path("delivery_key").asText(), fired.header("Idempotency-Key"));

        Await.until("two repeats", WAIT, () -> titled("Alert (repeated): Setpoint high").size() >= 2);
        List<Instant> raised = new ArrayList<>();
        raised.add(Instant.parse(fired.json().path("created_at").asText()));
        titled("Alert (repeated): Setpoint high").stream().limit(2)
                .forEach(r -> raised.add(Instant.parse(r.json().path("created_at").asText())));
        for (int i = 1; i < raised.size(); i++) {
            assertTrue(Duration.between(raised.get(i - 1), raised.get(i)).toMillis() >= REPEAT_SECONDS * 1000L - 50,
                    "repeats keep their interval: " + raised);
        }

        // 49 is below the threshold but inside the hysteresis (resolves below 50 - 3): still firing, still repeating
        write(DHW_SETPOINT, 49);
        Await.until("a repeat that reports 49", WAIT, () -> titled("Alert (repeated): Setpoint high").stream()
                .anyMatch(r -> r.json().path("message").asText().contains("is 49")));
        assertEquals(List.of(), titled("Resolved: Setpoint high"), "not resolved inside the hysteresis");

        write(DHW_SETPOINT, 46);
        Await.until("the resolution at the receiver", WAIT, () -> titled("Resolved: Setpoint high").size() == 1);
        assertTrue(titled("Resolved: Setpoint high").get(0).json().path("message").asText().contains("back at 46"), titled("Resolved: Setpoint high").get(0).body());
        assertEquals(1, titled("Alert: Setpoint high").size(), "fired once");
        Await.until("nothing of the alert left pending", WAIT, () -> outbox("pending").isEmpty());
        assertEachArrivedOnce();

        Map<String, Long> kinds = new TreeMap<>();
        admin.get("/api/alerts/events?heatpump_id=" + deviceId).json().path("events").forEach(e -> {
            if (e.path("alert_id").asText().equals(alertId)) {
                kinds.merge(e.path("kind").asText(), 1L, Long::sum);
            }
        });
        assertEquals(Map.of("fired", 1L, "resolved", 1L), kinds, "the history holds one firing and its resolution");
    }

    /** Every notification of the alert the outbox delivered reached the receiver exactly once, and nothing else did. */
    private void assertEachArrivedOnce() {
        Map<String, Long> arrivals = fromAlert().stream()
                .collect(Collectors.groupingBy(r -> r.json().path("key").asText(), TreeMap::new, Collectors.counting()));
        Set<String> delivered = new HashSet<>();
        for (JsonNode e : outbox("delivered")) {
            delivered.add(e.path("notification_key").asText());
        }
        assertEquals(delivered, arrivals.keySet(), "what the outbox delivered is what arrived");
        arrivals.forEach((key, count) -> assertEquals(1L, count, "notification " + key + " arrived " + count + " times"));
    }

    @Test
    @Order(3)
    void theJobWroteAtItsMinuteExactlyOnceAndTheAuditNamesIt() {
        // The run of its minute; the kill -9 and restart of the next test follow it, inside the minute or just after.
        Await.until("the job's run at its minute has ended", Duration.ofMinutes(4), () -> {
            JsonNode job = admin.get("/api/jobs/" + jobId).json();
            String result = job.path("last_result").asText("");
            return jobDue.equals(instant(job.path("last_run"))) && !result.isEmpty() && !result.equals("running");
        });
        JsonNode job = admin.get("/api/jobs/" + jobId).json();
        assertEquals("ok", job.path("last_result").asText(), job.toString());
        assertEquals(jobDue, Instant.parse(job.path("last_run").asText()), "the run is the one due at its minute");
        assertTrue(Instant.parse(job.path("next_run").asText()).isAfter(jobDue.plus(Duration.ofHours(23))),
                "next run tomorrow: " + job);
        assertJobWroteOnce();
    }

    /**
     * One run, one audited write the device saw. Checked again after the kill -9 and restart that follow the run:
     * with its claim of the minute lost, the restarted engine would run the job again (its minute is less than a
     * minute old, or within catch_up_minutes) at its first ticks.
     */
    private void assertJobWroteOnce() {
        JsonNode job = admin.get("/api/jobs/" + jobId).json();
        assertEquals(jobDue, Instant.parse(job.path("last_run").asText()), "still the run of its minute: " + job);
        List<JsonNode> entries = auditByJob();
        assertEquals(1, entries.size(), "one write by the job: " + entries);
        JsonNode entry = entries.get(0);
        assertEquals(CHARGE_ON, entry.path("sensor_id").asText());
        assertEquals(jobValue, entry.path("new_value").asDouble(), 1e-9);
        assertEquals("ok", entry.path("result").asText());
        Instant at = Instant.parse(entry.path("time").asText());
        assertFalse(at.isBefore(jobDue), "not before its minute: " + at);
        assertEquals(1, sim.writeCount(CHARGE_ON), "the device saw one write");
        assertEquals(jobValue, sim.value(CHARGE_ON), 1e-9);
    }

    @Test
    @Order(4)
    void aNotificationRaisedWhileTheReceiverIsDownArrivesExactlyOnceAfterAKillAndARestart() throws Exception {
        receiver.stop();
        write(DHW_SETPOINT, 55);
        JsonNode pending = Await.value("the new firing pending in the outbox after a failed attempt", WAIT,
                () -> outbox("pending").stream().filter(e -> e.path("title").asText().equals("Alert: Setpoint high")
                        && e.path("attempts").asInt() >= 1).findFirst().orElse(null));
        String key = pending.path("notification_key").asText();
        int attemptsBefore = pending.path("attempts").asInt();
        assertFalse(pending.path("last_error").asText().isBlank(), "the failed attempt says why: " + pending);

        // the row is committed (the store writes each commit through) and visible: kill -9, no orderly shutdown
        gateway.kill();
        startGateway();
        Instant restarted = Instant.now();
        Await.until("values again after the restart", WAIT, () -> value(DHW_SETPOINT) != null);
        Await.until("the outbox retries after the restart, the receiver still down", WAIT, () -> outbox("pending")
                .stream().anyMatch(e -> e.path("notification_key").asText().equals(key)
                        && e.path("attempts").asInt() > attemptsBefore));
        assertTrue(receiver.withMember("key", key).isEmpty(), "nothing arrived while the receiver was down");

        receiver.start();
        Await.until("the notification raised before the kill arrives", WAIT,
                () -> !receiver.withMember("key", key).isEmpty());
        // the firing state survived too: the alert keeps repeating, it does not fire a second time
        Await.until("a repeat after the restart", WAIT, () -> titled("Alert (repeated): Setpoint high").stream()
                .anyMatch(r -> Instant.parse(r.json().path("created_at").asText())
                        .isAfter(restarted)));
        write(DHW_SETPOINT, 46);
        Await.until("the second resolution", WAIT, () -> titled("Resolved: Setpoint high").size() == 2);
        Await.until("nothing of the alert left pending", WAIT, () -> outbox("pending").isEmpty());
        assertEquals(1, receiver.withMember("key", key).size(), "exactly once");
        assertEquals(2, titled("Alert: Setpoint high").size(), "two firings in all, none added by the restart");
        assertEachArrivedOnce();
        // the restarted engine has ticked for seconds (the alert repeated after the restart): no second run
        assertJobWroteOnce();
    }

}
