package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.AlertStore.AlertEvent;
import gateway.core.api.Automation;
import gateway.core.api.JobStore;
import gateway.core.api.SensorRole;
import gateway.core.api.UnknownHeatpumpException;

/** The automation endpoints and the job and alert fields they added, against a recording Automation service. */
class AutomationApiTest extends ApiTestBase {

    /** Answers like the engine: a run's outcome, a fixed next run, one template per device. */
    static final class RecordingAutomation implements Automation {
        final List<String> runs = new ArrayList<>();

        @Override
        public ZoneId timeZone() {
            return ZoneId.of("Europe/Berlin");
        }

        @Override
        public RunOutcome runNow(String jobId) {
            runs.add(jobId);
            return new RunOutcome(jobId, NOW, "skipped", "writes are disabled");
        }

        @Override
        public Optional<Instant> nextRun(JobStore.Job job) {
            return job.enabled() ? Optional.of(Instant.parse("2026-11-28T05:30:00Z")) : Optional.empty();
        }

        @Override
        public List<AlertTemplate> templates(String heatpumpId) throws UnknownHeatpumpException {
            if (!heatpumpId.startsWith("hp-")) {
                throw new UnknownHeatpumpException(heatpumpId);
            }
            return List.of(new AlertTemplate("flow_high", "Flow above 60 °C", "", heatpumpId, "threshold",
                    SensorRole.FLOW_TEMPERATURE, null, ">", "60", 0, 300, 2, null,
                    "the ACME Heat AW 10 driver has no sensor for flow temperature"));
        }
    }

    DefinitionApiTest.Jobs jobs;
    DefinitionApiTest.Alerts alerts;
    RecordingAutomation automation;
    String device;

    @BeforeEach
    void services() throws Exception {
        jobs = new DefinitionApiTest.Jobs();
        alerts = new DefinitionApiTest.Alerts();
        automation = new RecordingAutomation();
        servlet.setJobs(jobs);
        servlet.setAlerts(alerts);
        servlet.setAutomation(automation);
        device = createDevice(CONTRACT_BODY);
    }

    String job(Object value, String extra) {
        return "{\"heatpump_id\":\"" + device + "\",\"sensor\":\"setpoint_hot_water\",\"value\":" + value
                + ",\"time\":\"05:30\",\"days\":[\"sat\"]" + extra + "}";
    }

    @Test
    void jobsKeepTheirFieldsAndGainRunRecordNextRunAndCatchUp() throws Exception {
        Response r = send("POST", "/api/jobs", "oscar", job(47.5, ",\"catch_up_minutes\":15"));
        assertEquals(201, r.status(), r.body());
        JsonNode j = r.json();
        for (String field : List.of("id", "heatpump_id", "sensor", "value", "time", "days", "enabled", "last_run",
                "last_result", "last_reason", "next_run", "catch_up_minutes")) {
            assertTrue(j.has(field), field + " in " + j);
        }
        assertEquals("47.5", j.get("value").asText());
        assertEquals(15, j.get("catch_up_minutes").asInt());
        assertEquals("2026-11-28T05:30:00Z", j.get("next_run").asText());
        assertTrue(j.get("last_result").isNull());

        jobs.recordResult(j.get("id").asText(), "ok", "wrote 47.5");
        JsonNode again = get("/api/jobs/" + j.get("id").asText(), "alice").json();
        assertEquals("ok", again.get("last_result").asText());
        assertEquals("wrote 47.5", again.get("last_reason").asText());

        Response paused = send("PUT", "/api/jobs/" + j.get("id").asText(), "oscar", "{\"enabled\":false}");
        assertTrue(paused.json().get("next_run").isNull());
        assertEquals(15, paused.json().get("catch_up_minutes").asInt());
    }

    @Test
    void aJobsValueIsValidatedLikeAWriteWhenSaved() throws Exception {
        assertEquals(422, send("POST", "/api/jobs", "oscar", job(47.3, "")).status(), "not a multiple of 0.5");
        assertEquals(422, send("POST", "/api/jobs", "oscar", job(61, "")).status(), "above the maximum");
        assertEquals(422, send("POST", "/api/jobs", "oscar", job(48, ",\"catch_up_minutes\":-1")).status());
        Response noDevice = send("POST", "/api/jobs", "oscar",
                "{\"sensor\":\"setpoint_hot_water\",\"value\":48,\"time\":\"05:30\"}");
        assertEquals(422, noDevice.status());
        assertTrue(noDevice.body().contains("heatpump_id: required"), noDevice.body());
        Response byLabel = send("POST", "/api/jobs", "oscar", "{\"heatpump_id\":\"" + device
                + "\",\"sensor\":\"operating_mode\",\"value\":\"away\",\"time\":\"05:30\"}");
        assertEquals(201, byLabel.status(), byLabel.body());
        Response badLabel = send("POST", "/api/jobs", "oscar", "{\"heatpump_id\":\"" + device
                + "\",\"sensor\":\"operating_mode\",\"value\":\"party\",\"time\":\"05:30\"}");
        assertEquals(422, badLabel.status());
        assertTrue(badLabel.body().contains("Standby, Automatic, Away"), badLabel.body());
    }

    @Test
    void runNowRunsTheJobThroughTheEngine() throws Exception {
        String id = send("POST", "/api/jobs", "oscar", job(48, "")).json().get("id").asText();
        assertEquals(403, send("POST", "/api/jobs/" + id + "/run", "alice", null).status());
        Response r = send("POST", "/api/jobs/" + id + "/run", "oscar", null);
        assertEquals(200, r.status(), r.body());
        assertEquals("skipped", r.json().get("result").asText());
        assertEquals("writes are disabled", r.json().get("reason").asText());
        assertEquals(List.of(id), automation.runs);
        assertEquals(404, send("POST", "/api/jobs/job-nope/run", "oscar", null).status());

        servlet.unsetAutomation(automation);
        Response unavailable = send("POST", "/api/jobs/" + id + "/run", "oscar", null);
        assertEquals(503, unavailable.status());
        assertTrue(get("/api/jobs/" + id, "alice").json().get("next_run").isNull());
    }

    @Test
    void alertsKeepTheirFieldsAndGainTheEnginesOptions() throws Exception {
        Response r = send("POST", "/api/alerts", "ada", "{\"heatpump_id\":\"" + device + "\",\"name\":\"Too cold\","
                + "\"type\":\"threshold\",\"sensor\":\"temp_outdoor\",\"condition\":\"<=\",\"threshold\":-15,"
                + "\"for_seconds\":600,\"hysteresis\":1.5,\"channels\":[\"mail\",\"phone\"],"
                + "\"notify_resolved\":false,\"interval_seconds\":3600}");
        assertEquals(201, r.status(), r.body());
        JsonNode a = r.json();
        for (String field : List.of("id", "heatpump_id", "name", "type", "sensor", "condition", "threshold", "message",
                "enabled", "interval_seconds", "last_triggered", "for_seconds", "hysteresis", "channels",
                "notify_resolved")) {
            assertTrue(a.has(field), field + " in " + a);
        }
        assertEquals(600, a.get("for_seconds").asInt());
        assertEquals(1.5, a.get("hysteresis").asDouble());
        assertEquals("phone", a.get("channels").get(1).asText());
        assertFalse(a.get("notify_resolved").asBoolean());

        Response defaults = send("POST", "/api/alerts", "ada", "{\"heatpump_id\":\"" + device + "\",\"name\":\"Mode\","
                + "\"sensor\":\"operating_mode\",\"condition\":\"=\",\"threshold\":\"away\"}");
        assertEquals(201, defaults.status(), defaults.body());
        assertTrue(defaults.json().get("notify_resolved").asBoolean());
        assertEquals(0, defaults.json().get("channels").size());
    }

    @Test
    void everyAlertTypeIsCheckedWhenSaved() throws Exception {
        String base = "{\"heatpump_id\":\"" + device + "\",\"name\":\"x\",";
        assertEquals(422, send("POST", "/api/alerts", "ada", base + "\"sensor\":\"operating_mode\","
                + "\"condition\":\"=\",\"threshold\":\"party\"}").status(), "no such label");
        assertEquals(422, send("POST", "/api/alerts", "ada", base + "\"type\":\"stale\","
                + "\"sensor\":\"temp_outdoor\"}").status(), "stale without for_seconds");
        assertEquals(201, send("POST", "/api/alerts", "ada", base + "\"type\":\"stale\","
                + "\"sensor\":\"temp_outdoor\",\"for_seconds\":300}").status());
        assertEquals(422, send("POST", "/api/alerts", "ada", base + "\"type\":\"device_state\","
                + "\"threshold\":\"burning\"}").status());
        assertEquals(201, send("POST", "/api/alerts", "ada", base + "\"type\":\"device_state\","
                + "\"threshold\":\"offline\",\"for_seconds\":120}").status());
        assertEquals(201, send("POST", "/api/alerts", "ada", base + "\"type\":\"device_state\","
                + "\"threshold\":\"offline, rate_limited\"}").status(), "a quota running out, by choice");
        assertEquals(201, send("POST", "/api/alerts", "ada", "{\"name\":\"AI\",\"type\":\"anomaly\"}").status(),
                "an anomaly alert for every device");
        assertEquals(422, send("POST", "/api/alerts", "ada", base + "\"type\":\"status\"}").status(),
                "status needs its period");
        assertEquals(422, send("POST", "/api/alerts", "ada", base + "\"type\":\"sometimes\"}").status());
        assertEquals(422, send("POST", "/api/alerts", "ada", base + "\"sensor\":\"temp_outdoor\","
                + "\"condition\":\">\",\"threshold\":5,\"hysteresis\":-1}").status());
    }

    @Test
    void historyListsEventsInRangeAndAcknowledges() throws Exception {
        AlertEvent fired = alerts.recordEvent(new AlertEvent(0, "alert-1", device, "fired", 38.0, "too cold",
                NOW.minusSeconds(600), null, null));
        alerts.recordEvent(new AlertEvent(0, "alert-1", device, "resolved", 42.0, "fine", NOW.minusSeconds(60),
                null, null));
        alerts.recordEvent(new AlertEvent(0, "alert-1", device, "fired", 30.0, "old", NOW.minusSeconds(30 * 86400),
                null, null));
        Response r = get("/api/alerts/events?heatpump_id=" + device, "alice");
        assertEquals(200, r.status(), r.body());
        JsonNode events = r.json().get("events");
        assertEquals(2, events.size(), "the default range is a week");
        assertEquals("resolved", events.get(0).get("kind").asText());
        assertEquals(42.0, events.get(0).get("value").asDouble());
        assertFalse(events.get(1).get("acknowledged").asBoolean());

        Response ranged = get("/api/alerts/events?from=" + NOW.minusSeconds(40 * 86400) + "&to="
                + NOW.minusSeconds(86400), "alice");
        assertEquals(1, ranged.json().get("events").size());
        assertEquals(400, get("/api/alerts/events?from=" + NOW + "&to=" + NOW.minusSeconds(1), "alice").status());
        assertEquals(404, get("/api/alerts/events?heatpump_id=hp-nope", "alice").status());

        assertEquals(403, send("POST", "/api/alerts/events/" + fired.id() + "/ack", "alice", null).status());
        Response ack = send("POST", "/api/alerts/events/" + fired.id() + "/ack", "oscar", null);
        assertEquals(200, ack.status(), ack.body());
        assertTrue(ack.json().get("acknowledged").asBoolean());
        assertEquals("oscar", ack.json().get("acknowledged_by").asText());
        assertEquals(404, send("POST", "/api/alerts/events/999/ack", "oscar", null).status());
        assertEquals(404, send("POST", "/api/alerts/events/abc/ack", "oscar", null).status());
    }

    @Test
    void templatesPerDeviceSayWhyTheyDoNotApply() throws Exception {
        Response r = get("/api/alerts/templates?heatpump_id=" + device, "alice");
        assertEquals(200, r.status(), r.body());
        assertEquals("FLOW_TEMPERATURE", r.json().get(0).get("role").asText());
        assertTrue(r.json().get(0).get("unavailable").asText().contains("no sensor for flow temperature"));
        assertEquals(1, get("/api/alerts/templates", "alice").json().size(), "every device when none is named");
        assertEquals(404, get("/api/alerts/templates?heatpump_id=nope", "alice").status());
    }
}
