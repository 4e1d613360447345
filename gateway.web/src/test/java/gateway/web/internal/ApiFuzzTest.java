package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.AnomalyStore;
import gateway.core.api.GatewayReadiness;
import gateway.core.api.MetricsPush;
import gateway.core.testing.ApiFuzzer;

/**
 * Issue 14: a fuzz of every route of the OpenAPI document on the real HTTP stack (Jetty, the security filter, the
 * servlet) with the fake core: 10,000 hostile requests (ids, query values, headers, malformed and schema-shaped
 * bodies), none answered with a 5xx, none of the state-changing ones accepted, and every stored thing unchanged.
 * Replay a failure with {@code -Dfuzz.seed=<seed>}; more requests with {@code -Dfuzz.requests=<n>}.
 */
class ApiFuzzTest extends ApiTestBase {

    static final long SEED = Long.getLong("fuzz.seed", 14L);
    static final int REQUESTS = Integer.getInteger("fuzz.requests", 10_000);

    /** Lists that hold everything the API can change. */
    static final List<String> STATE = List.of("/api/heatpumps", "/api/users", "/api/tokens", "/api/jobs",
            "/api/alerts", "/api/dashboards", "/api/settings", "/api/notifications/channels",
            "/api/notifications/outbox", "/api/audit", "/api/alerts/events");

    /** No anomaly events; enough for the routes to answer. */
    static final class NoAnomalies implements AnomalyStore {
        @Override
        public void recordScore(String heatpumpId, Instant time, double score, boolean flag) {
        }

        @Override
        public Event record(Event event) {
            return event;
        }

        @Override
        public List<Event> events(String heatpumpId, Instant from, Instant to, int limit) {
            return List.of();
        }

        @Override
        public List<Event> pending(int limit) {
            return List.of();
        }

        @Override
        public void markNotified(long id, Instant at) {
        }
    }

    final Map<String, List<String>> ids = new LinkedHashMap<>();

    @BeforeEach
    void everyService() throws Exception {
        servlet.setJobs(new DefinitionApiTest.Jobs());
        servlet.setAlerts(new DefinitionApiTest.Alerts());
        servlet.setDashboards(new DefinitionApiTest.Dashboards());
        servlet.setAutomation(new AutomationApiTest.RecordingAutomation());
        servlet.setNotificationChannels(new NotificationApiTest.Channels());
        servlet.setNotificationOutbox(new NotificationApiTest.Outbox());
        servlet.setAnomalies(new NoAnomalies());
        servlet.setCop(new EnergyApiTest.Days());
        servlet.setReadiness(() -> new GatewayReadiness.Status(true, List.of()));
        servlet.setConfigAdmin(new SettingsApiTest.OnePidConfigAdmin().service());
        servlet.setMetricsPush(() -> new MetricsPush.Status(false, "disabled", null, null, null, null, null, 0, 0, 0,
                0, 0));

        String device = createDevice(CONTRACT_BODY);
        ids.put("heatpumps", List.of(device));
        ids.put("data", List.of(device));
        ids.put("history", List.of(device));
        ids.put("control", List.of(device));
        ids.put("export", List.of(device));
        ids.put("jobs", List.of(created("/api/jobs", "{\"heatpump_id\":\"" + device
                + "\",\"sensor\":\"setpoint_hot_water\",\"value\":48,\"time\":\"05:30\",\"days\":[\"sat\"]}")));
        ids.put("alerts", List.of(created("/api/alerts", "{\"heatpump_id\":\"" + device + "\",\"name\":\"Cold\","
                + "\"type\":\"threshold\",\"sensor\":\"temp_outdoor\",\"condition\":\"<\",\"threshold\":-15}")));
        ids.put("dashboards", List.of(created("/api/dashboards", "{\"name\":\"Main\",\"heatpump_id\":\"" + device
                + "\",\"config\":{\"widgets\":[]}}")));
        ids.put("notifications", List.of(created("/api/notifications/channels", "{\"id\":\"phone\",\"type\":"
                + "\"gotify\",\"name\":\"Phone\",\"settings\":{\"url\":\"https://push.example\",\"token\":\"t\"}}")));
        ids.put("tokens", List.of(created("/api/tokens", "{\"name\":\"script\"}")));
        ids.put("users", List.of("alice", "oscar", "ada"));
        ids.put("manufacturers", List.of("acme"));
    }

    String created(String path, String body) throws Exception {
        Response r = send("POST", path, "ada", body);
        assertEquals(201, r.status(), path + ": " + r.body());
        return r.json().get("id").asText();
    }

    Map<String, String> state() throws Exception {
        Map<String, String> state = new LinkedHashMap<>();
        for (String path : STATE) {
            Response r = get(path, "ada");
            assertEquals(200, r.status(), path + ": " + r.body());
            state.put(path, r.body());
        }
        return state;
    }

    @Test
    void tenThousandHostileRequestsOnEveryRouteGetNo5xxAndChangeNothing() throws Exception {
        Map<String, String> before = state();
        JsonNode openApi = get("/api/openapi.json", "ada").json();
        ApiFuzzer fuzzer = new ApiFuzzer(URI.create(server.uri("/").toString()), basic("ada", "pw-ada"), SEED)
                // without a framework there is no bundle management; gateway.app's run covers those routes
                // nor backups nor an MQTT bridge nor the Viessmann driver (BackupApiTest, MqttApiTest and
                // ViCareSignInApiTest have fakes of those): their routes answer 503 naming the missing bundle
                .expectUnavailable(Set.of("bundles-unavailable", "backup-unavailable", "mqtt-unavailable",
                        "vicare-unavailable"))
                .skip(Set.of("GET /api/events"));
        ids.forEach(fuzzer::realIds);
        ApiFuzzer.Report report = fuzzer.run(openApi, REQUESTS);
        System.out.println(report.summary());

        assertTrue(report.clean(), report.summary());
        assertEquals(REQUESTS, report.statuses().values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(report.statuses().keySet().stream().anyMatch(s -> s == 422), "bodies reached the checks");
        assertTrue(report.statuses().keySet().stream().anyMatch(s -> s == 200), "real ids were read");
        Map<String, String> after = state();
        for (String path : STATE) {
            assertEquals(before.get(path), after.get(path), path + " changed; seed " + SEED);
        }
        assertEquals(Optional.of(1), Optional.of(manager.devices.size()));
    }
}
