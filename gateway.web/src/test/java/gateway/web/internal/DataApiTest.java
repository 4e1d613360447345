package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.SensorReading;

class DataApiTest extends ApiTestBase {

    private String id;

    @BeforeEach
    void device() throws Exception {
        id = createDevice(MINIMAL_BODY);
    }

    @Test
    void dataWithoutSnapshotHasStateAndNoValues() throws Exception {
        Response r = get("/api/data/" + id, "alice");
        assertEquals(200, r.status());
        assertEquals(id, r.json().get("heatpump_id").asText());
        assertEquals("connecting", r.json().get("state").asText());
        assertEquals(0, r.json().get("values").size());
    }

    @Test
    void dataCarriesValueQualityUnitAndError() throws Exception {
        Instant at = Instant.parse("2026-11-27T11:59:00Z");
        manager.snapshots.put(id, new DeviceSnapshot(id, "acme", "aw10", at, Map.of(
                "temp_outdoor", SensorReading.good("temp_outdoor", 4.5, null, at),
                "setpoint_hot_water", SensorReading.invalid("setpoint_hot_water", "sentinel -1.0", at),
                "operating_mode", SensorReading.good("operating_mode", 1, "Automatic", at).stale())));
        Response r = get("/api/data/" + id, "alice");
        JsonNode values = r.json().get("values");
        assertEquals("online", r.json().get("state").asText());
        assertEquals("2026-11-27T11:59:00Z", r.json().get("time").asText());
        assertEquals(4.5, values.get("temp_outdoor").get("value").asDouble());
        assertEquals("°C", values.get("temp_outdoor").get("unit").asText());
        assertEquals("good", values.get("temp_outdoor").get("quality").asText());
        assertEquals("2026-11-27T11:59:00Z", values.get("temp_outdoor").get("timestamp").asText());
        assertEquals("invalid", values.get("setpoint_hot_water").get("quality").asText());
        assertTrue(values.get("setpoint_hot_water").get("value").isNull());
        assertEquals("sentinel -1.0", values.get("setpoint_hot_water").get("error").asText());
        assertEquals("stale", values.get("operating_mode").get("quality").asText());
        assertEquals("Automatic", values.get("operating_mode").get("text").asText());

        Response all = get("/api/data/all", "alice");
        assertEquals(200, all.status());
        assertEquals(4.5, all.json().get(id).get("values").get("temp_outdoor").get("value").asDouble());
    }

    @Test
    void historyDefaultsToTheLast24HoursAnd500Points() throws Exception {
        Response r = get("/api/history/" + id + "?sensor=temp_outdoor", "alice");
        assertEquals(200, r.status(), r.body());
        assertEquals(Instant.parse("2026-11-26T12:00:00Z"), history.lastFrom);
        assertEquals(Instant.parse("2026-11-27T12:00:00Z"), history.lastTo);
        assertEquals(500, history.lastPoints);
        assertEquals("°C", r.json().get("unit").asText());
        JsonNode point = r.json().get("points").get(0);
        assertEquals("2026-11-26T12:00:00Z", point.get("time").asText());
        assertEquals(3.5, point.get("min").asDouble());
        assertEquals(4.5, point.get("max").asDouble());
    }

    @Test
    void historyAcceptsIsoInstantsAndEpochSeconds() throws Exception {
        Response r = get("/api/history/" + id
                + "?sensor=temp_outdoor&from=2026-11-01T00:00:00Z&to=1795132800&points=5000", "alice");
        assertEquals(200, r.status(), r.body());
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), history.lastFrom);
        assertEquals(Instant.parse("2026-11-20T00:00:00Z"), history.lastTo);
        assertEquals(5000, history.lastPoints);
    }

    @Test
    void historyOfARetiredSensorIsStillServed() throws Exception {
        assertEquals(200, get("/api/history/" + id + "?sensor=temp_retired", "alice").status());
        assertEquals(404, get("/api/history/" + id + "?sensor=never_existed", "alice").status());
        assertEquals(404, get("/api/history/hp-missing?sensor=temp_outdoor", "alice").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "?from=2026-11-27T00:00:00Z", "?sensor=temp_outdoor&from=yesterday",
            "?sensor=temp_outdoor&to=2026-13-01T00:00:00Z", "?sensor=temp_outdoor&points=0",
            "?sensor=temp_outdoor&points=5001", "?sensor=temp_outdoor&points=ten",
            "?sensor=temp_outdoor&from=2026-11-27T10:00:00Z&to=2026-11-27T09:00:00Z",
            "?sensor=temp_outdoor&from=1764547200&to=1764547200"})
    void historyRejectsBadParameters(String query) throws Exception {
        Response r = get("/api/history/" + id + query, "alice");
        assertEquals(400, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(-1, history.lastPoints, "the store must not be asked");
    }

    @Test
    void historyAndAuditAnswer503WhileTheirStoreIsAbsent() throws Exception {
        servlet.unsetHistory(history);
        servlet.unsetAudit(audit);
        assertEquals(503, get("/api/history/" + id + "?sensor=temp_outdoor", "alice").status());
        assertEquals(503, get("/api/audit", "alice").status());
        Response status = get("/api/status", "alice");
        assertEquals(false, status.json().get("history_available").asBoolean());
    }

    @Test
    void auditIsNewestFirstAndFiltered() throws Exception {
        audit.record("oscar", id, "setpoint_hot_water", 48.0, 50.0, "ok", "written");
        audit.record("oscar", "hp-other", "setpoint_hot_water", 48.0, 50.0, "ok", "written");
        audit.record("ada", id, "operating_mode", 1.0, 2.0, "rejected", "writes disabled");
        Response r = get("/api/audit?heatpump_id=" + id + "&limit=5", "alice");
        assertEquals(200, r.status());
        assertEquals(2, r.json().size());
        assertEquals("operating_mode", r.json().get(0).get("sensor_id").asText());
        assertEquals(id, r.json().get(0).get("heatpump_id").asText());
        assertEquals(1, get("/api/audit?limit=1", "alice").json().size());
        assertEquals(400, get("/api/audit?limit=0", "alice").status());
        assertEquals(400, get("/api/audit?limit=lots", "alice").status());
    }

    @Test
    void statusSummarisesTheGateway() throws Exception {
        manager.writeEnabled = true;
        Response r = get("/api/status", "alice");
        assertEquals(200, r.status());
        assertEquals("1.2.3.test", r.json().get("version").asText());
        assertTrue(r.json().get("write_enabled").asBoolean());
        assertEquals(1, r.json().get("device_count").asInt());
        assertEquals(id, r.json().get("devices").get(0).get("id").asText());
        assertEquals("connecting", r.json().get("devices").get(0).get("state").asText());
        assertEquals(0, r.json().get("uptime_seconds").asLong());
    }
}
