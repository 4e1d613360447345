package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.AlertStore;
import gateway.core.api.DashboardStore;
import gateway.core.api.JobStore;

/** Jobs, alerts and dashboards: CRUD, validation against the device's sensors, roles. */
class DefinitionApiTest extends ApiTestBase {

    static final class Jobs implements JobStore {
        final Map<String, Job> rows = new LinkedHashMap<>();
        int next = 1;

        public List<Job> list(String hp) {
            return rows.values().stream().filter(j -> hp == null || hp.equals(j.heatpumpId())).toList();
        }

        public Optional<Job> get(String id) {
            return Optional.ofNullable(rows.get(id));
        }

        public Job save(Job j) {
            String id = j.id() == null ? "job-" + next++ : j.id();
            Job old = rows.get(id);
            Job s = new Job(id, j.heatpumpId(), j.sensor(), j.value(), j.time(), j.days(), j.enabled(),
                    old == null ? null : old.lastRun(), j.catchUpMinutes(), old == null ? null : old.lastResult(),
                    old == null ? null : old.lastReason());
            rows.put(id, s);
            return s;
        }

        public boolean delete(String id) {
            return rows.remove(id) != null;
        }

        public boolean claimRun(String id, java.time.Instant due) {
            Job j = rows.get(id);
            if (j == null || j.lastRun() != null && !j.lastRun().isBefore(due)) {
                return false;
            }
            startManualRun(id, due);
            return true;
        }

        public void startManualRun(String id, java.time.Instant at) {
            Job j = rows.get(id);
            rows.put(id, new Job(id, j.heatpumpId(), j.sensor(), j.value(), j.time(), j.days(), j.enabled(), at,
                    j.catchUpMinutes(), RESULT_RUNNING, null));
        }

        public void recordResult(String id, String result, String reason) {
            Job j = rows.get(id);
            rows.put(id, new Job(id, j.heatpumpId(), j.sensor(), j.value(), j.time(), j.days(), j.enabled(),
                    j.lastRun(), j.catchUpMinutes(), result, reason));
        }
    }

    static final class Alerts implements AlertStore {
        final Map<String, Alert> rows = new LinkedHashMap<>();
        final Map<Long, AlertEvent> events = new LinkedHashMap<>();
        int next = 1;

        public List<Alert> list(String hp) {
            return rows.values().stream().filter(j -> hp == null || hp.equals(j.heatpumpId())).toList();
        }

        public Optional<Alert> get(String id) {
            return Optional.ofNullable(rows.get(id));
        }

        public Alert save(Alert a) {
            String id = a.id() == null ? "alert-" + next++ : a.id();
            Alert s = new Alert(id, a.heatpumpId(), a.name(), a.type(), a.sensor(), a.condition(), a.threshold(),
                    a.message(), a.enabled(), a.intervalSeconds(), a.lastTriggered(), a.forSeconds(), a.hysteresis(),
                    a.channels(), a.notifyResolved());
            rows.put(id, s);
            return s;
        }

        public boolean delete(String id) {
            return rows.remove(id) != null;
        }

        public void markTriggered(String id, java.time.Instant at) {
        }

        public List<AlertState> states() {
            return List.of();
        }

        public void saveState(AlertState state) {
        }

        public AlertEvent recordEvent(AlertEvent e) {
            long id = events.size() + 1;
            AlertEvent s = new AlertEvent(id, e.alertId(), e.heatpumpId(), e.kind(), e.value(), e.message(), e.time(),
                    null, null);
            events.put(id, s);
            return s;
        }

        public Optional<AlertEvent> event(long id) {
            return Optional.ofNullable(events.get(id));
        }

        public List<AlertEvent> events(String hp, java.time.Instant from, java.time.Instant to, int limit) {
            List<AlertEvent> out = new ArrayList<>(events.values().stream()
                    .filter(e -> hp == null || hp.equals(e.heatpumpId()))
                    .filter(e -> (from == null || !e.time().isBefore(from)) && (to == null || !e.time().isAfter(to)))
                    .toList());
            java.util.Collections.reverse(out);
            return out.stream().limit(limit).toList();
        }

        public Optional<AlertEvent> acknowledge(long id, String by, java.time.Instant at) {
            AlertEvent e = events.get(id);
            if (e == null) {
                return Optional.empty();
            }
            if (e.acknowledgedAt() == null) {
                e = new AlertEvent(e.id(), e.alertId(), e.heatpumpId(), e.kind(), e.value(), e.message(), e.time(),
                        at, by);
                events.put(id, e);
            }
            return Optional.of(e);
        }
    }

    static final class Dashboards implements DashboardStore {
        final Map<String, Dashboard> rows = new LinkedHashMap<>();
        int next = 1;

        public List<Dashboard> list(String hp) {
            List<Dashboard> out = new ArrayList<>();
            rows.values().stream().filter(d -> java.util.Objects.equals(hp, d.heatpumpId())).forEach(out::add);
            return out;
        }

        public Optional<Dashboard> get(String id) {
            return Optional.ofNullable(rows.get(id));
        }

        public Dashboard save(Dashboard d) {
            String id = d.id() == null ? "dash-" + next++ : d.id();
            Dashboard s = new Dashboard(id, d.name(), d.heatpumpId(), d.config(), d.position());
            rows.put(id, s);
            return s;
        }

        public boolean delete(String id) {
            return rows.remove(id) != null;
        }
    }

    Jobs jobs;
    String device;
    String writable;
    String readOnly;

    @BeforeEach
    void stores() throws Exception {
        jobs = new Jobs();
        servlet.setJobs(jobs);
        servlet.setAlerts(new Alerts());
        servlet.setDashboards(new Dashboards());
        device = createDevice(CONTRACT_BODY);
        var sensors = manager.sensors(device);
        var w = sensors.stream().filter(s -> s.writable() && s.min() != null && s.enumValues().isEmpty()).findFirst()
                .orElseThrow();
        writable = w.id();
        readOnly = sensors.stream().filter(s -> !s.writable()).findFirst().orElseThrow().id();
        inRange = w.min();
        aboveMax = w.max() + 1;
    }

    double inRange;
    double aboveMax;

    String job(String sensor, Object value, String time, String days) {
        return "{\"heatpump_id\":\"" + device + "\",\"sensor\":\"" + sensor + "\",\"value\":" + value
                + ",\"time\":\"" + time + "\",\"days\":" + days + "}";
    }

    @Test
    void operatorCreatesListsUpdatesAndDeletesAJob() throws Exception {
        Response created = send("POST", "/api/jobs", "oscar", job(writable, inRange, "06:30", "[\"tue\",\"Mon\"]"));
        assertEquals(201, created.status(), created.body());
        String id = created.json().get("id").asText();
        assertEquals("[\"mon\",\"tue\"]", created.json().get("days").toString());
        assertTrue(created.json().get("enabled").asBoolean());
        assertEquals(1, get("/api/jobs?heatpump_id=" + device, "alice").json().size());
        assertEquals(0, get("/api/jobs?heatpump_id=other", "alice").json().size());
        Response paused = send("PUT", "/api/jobs/" + id, "oscar", "{\"enabled\":false,\"time\":\"07:00\"}");
        assertEquals(200, paused.status(), paused.body());
        assertEquals("07:00", paused.json().get("time").asText());
        assertEquals(403, send("DELETE", "/api/jobs/" + id, "alice", null).status());
        assertEquals(204, send("DELETE", "/api/jobs/" + id, "oscar", null).status());
        assertEquals(404, get("/api/jobs/" + id, "alice").status());
    }

    @Test
    void jobIsValidatedLikeAWrite() throws Exception {
        assertEquals(422, send("POST", "/api/jobs", "oscar", job("no_such_sensor", 1, "06:30", "[]")).status());
        assertEquals(422, send("POST", "/api/jobs", "oscar", job(readOnly, 1, "06:30", "[]")).status());
        assertEquals(422, send("POST", "/api/jobs", "oscar", job(writable, aboveMax, "06:30", "[]")).status());
        assertEquals(422, send("POST", "/api/jobs", "oscar", job(writable, inRange, "24:00", "[]")).status());
        assertEquals(422, send("POST", "/api/jobs", "oscar", job(writable, inRange, "6:30", "[]")).status());
        Response badDay = send("POST", "/api/jobs", "oscar", job(writable, inRange, "06:30", "[\"monday\"]"));
        assertEquals(422, badDay.status());
        assertTrue(badDay.body().contains("days"), badDay.body());
        assertEquals(422, send("POST", "/api/jobs", "oscar", "{\"heatpump_id\":\"nope\",\"sensor\":\"" + writable
                + "\",\"value\":1,\"time\":\"06:30\"}").status());
        assertEquals(400, send("POST", "/api/jobs", "oscar", "{\"when\":\"06:30\"}").status());
        assertTrue(jobs.rows.isEmpty());
    }

    @Test
    void adminManagesAlertsAndTheyAreChecked() throws Exception {
        String alert = "{\"heatpump_id\":\"" + device + "\",\"name\":\"too hot\",\"sensor\":\"" + readOnly
                + "\",\"condition\":\">\",\"threshold\":60,\"interval_seconds\":600}";
        assertEquals(403, send("POST", "/api/alerts", "oscar", alert).status());
        Response created = send("POST", "/api/alerts", "ada", alert);
        assertEquals(201, created.status(), created.body());
        assertEquals("threshold", created.json().get("type").asText());
        assertEquals("60", created.json().get("threshold").asText());
        String id = created.json().get("id").asText();
        assertEquals(422, send("PUT", "/api/alerts/" + id, "ada", "{\"condition\":\"~\"}").status());
        assertEquals(422, send("POST", "/api/alerts", "ada", alert.replace(readOnly, "ghost")).status());
        assertEquals(422, send("POST", "/api/alerts", "ada", "{\"heatpump_id\":\"" + device
                + "\",\"name\":\"status\",\"type\":\"status\",\"sensor\":\"" + readOnly + "\"}").status(),
                "a status alert needs its period");
        assertEquals(200, get("/api/alerts/" + id, "alice").status());
        assertEquals(204, send("DELETE", "/api/alerts/" + id, "ada", null).status());
        assertEquals(404, send("DELETE", "/api/alerts/" + id, "ada", null).status());
    }

    @Test
    void dashboardsPerDeviceAndOverview() throws Exception {
        Response created = send("POST", "/api/dashboards", "oscar", "{\"name\":\"Heating\",\"heatpump_id\":\""
                + device + "\",\"config\":{\"charts\":[{\"type\":\"line\"}]},\"position\":2}");
        assertEquals(201, created.status(), created.body());
        String id = created.json().get("id").asText();
        assertEquals("line", created.json().get("config").get("charts").get(0).get("type").asText());
        assertEquals(1, get("/api/dashboards?heatpump_id=" + device, "alice").json().size());
        assertEquals(0, get("/api/dashboards", "alice").json().size(), "overview has none yet");
        assertEquals(404, get("/api/dashboards?heatpump_id=ghost", "alice").status());
        assertEquals(422, send("POST", "/api/dashboards", "oscar", "{\"name\":\"\"}").status());
        assertEquals(422, send("POST", "/api/dashboards", "oscar", "{\"name\":\"x\",\"config\":[1]}").status());
        Response renamed = send("PUT", "/api/dashboards/" + id, "oscar", "{\"name\":\"Hot water\"}");
        assertEquals("Hot water", renamed.json().get("name").asText());
        assertEquals("line", renamed.json().get("config").get("charts").get(0).get("type").asText());
        assertEquals(403, send("DELETE", "/api/dashboards/" + id, "alice", null).status());
        assertEquals(204, send("DELETE", "/api/dashboards/" + id, "oscar", null).status());
    }

    @Test
    void missingStoreAnswers503() throws Exception {
        servlet.unsetJobs(jobs);
        assertEquals(503, get("/api/jobs", "alice").status());
    }
}
