package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceRateLimitedException;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.SensorReading;
import gateway.core.api.WriteRejectedException;

class ControlApiTest extends ApiTestBase {

    private String id;

    @BeforeEach
    void device() throws Exception {
        id = createDevice(MINIMAL_BODY);
        manager.writeEnabled = true;
    }

    private Response write(String body) throws Exception {
        return send("POST", "/api/control/" + id, "oscar", body);
    }

    @Test
    void writeAnswersWithTheManagersResultAndNamesTheUser() throws Exception {
        Response r = write("{\"sensor\":\"setpoint_hot_water\",\"value\":50.5}");
        assertEquals(200, r.status(), r.body());
        assertEquals(List.of(id + "/setpoint_hot_water=50.5 by oscar"), manager.writes);
        JsonNode body = r.json();
        assertTrue(body.get("written").asBoolean());
        assertEquals(48.0, body.get("old_value").asDouble());
        assertEquals(50.5, body.get("value").asDouble());
        assertEquals(50.5, body.get("read_back").asDouble());
        assertEquals("written", body.get("message").asText());
    }

    @Test
    void enumLabelIsWrittenAsItsNumber() throws Exception {
        assertEquals(200, write("{\"sensor\":\"operating_mode\",\"value\":\"away\"}").status());
        assertEquals(List.of(id + "/operating_mode=2.0 by oscar"), manager.writes);
        Response unknown = write("{\"sensor\":\"operating_mode\",\"value\":\"Turbo\"}");
        assertEquals(422, unknown.status());
        assertTrue(unknown.json().get("detail").asText().contains("Standby, Automatic, Away"));
    }

    @Test
    void booleanIsAcceptedOnlyForBoolSensors() throws Exception {
        assertEquals(200, write("{\"sensor\":\"pv_surplus\",\"value\":true}").status());
        assertEquals(List.of(id + "/pv_surplus=1.0 by oscar"), manager.writes);
        Response r = write("{\"sensor\":\"setpoint_hot_water\",\"value\":true}");
        assertEquals(422, r.status());
        assertEquals("invalid_value", r.json().get("reason").asText());
    }

    @Test
    void unknownSensorGives404() throws Exception {
        Response r = write("{\"sensor\":\"nope\",\"value\":1}");
        assertEquals(404, r.status());
        assertEquals("unknown_sensor", r.json().get("reason").asText());
    }

    @Test
    void missingOrMistypedFieldsGive400() throws Exception {
        assertEquals(400, write("{\"sensor\":\"setpoint_hot_water\"}").status());
        assertEquals(400, write("{\"value\":50}").status());
        assertEquals(400, write("{\"sensor\":\"setpoint_hot_water\",\"value\":null}").status());
        assertEquals(400, write("{\"sensor\":\"setpoint_hot_water\",\"value\":50,\"force\":true}").status());
        assertTrue(manager.writes.isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"WRITES_DISABLED,409", "NOT_WRITABLE,422", "OUT_OF_RANGE,422", "INVALID_VALUE,422",
            "UNKNOWN_SENSOR,404", "DEVICE_UNAVAILABLE,503", "REFUSED_BY_DRIVER,422"})
    void writeRejectionReasonsMapToStatuses(WriteRejectedException.Reason reason, int status) throws Exception {
        manager.nextWriteFailure = new WriteRejectedException(reason, "refused: " + reason);
        Response r = write("{\"sensor\":\"setpoint_hot_water\",\"value\":50}");
        assertEquals(status, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(reason.name().toLowerCase(), r.json().get("reason").asText());
        assertEquals("refused: " + reason, r.json().get("detail").asText());
    }

    @Test
    void deviceFailuresGive503() throws Exception {
        manager.nextWriteFailure = new DeviceUnreachableException("timeout");
        assertEquals(503, write("{\"sensor\":\"setpoint_hot_water\",\"value\":50}").status());
        manager.nextWriteFailure = new DeviceProtocolException("illegal data address", 2);
        Response r = write("{\"sensor\":\"setpoint_hot_water\",\"value\":50}");
        assertEquals(503, r.status());
        assertEquals(2, r.json().get("code").asInt());
    }

    @Test
    void aRateLimitedDeviceAnswers429WithTheResetTimeNot503() throws Exception {
        Instant reset = NOW.plusSeconds(3 * 3600).plusMillis(200);
        manager.nextWriteFailure = new DeviceRateLimitedException("device x is rate limited until " + reset
                + "; the write was not sent", reset);
        Response r = write("{\"sensor\":\"setpoint_hot_water\",\"value\":50}");
        assertEquals(429, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals("urn:heatpump-gateway:problem:rate-limited", r.json().get("type").asText());
        assertEquals("rate_limited", r.json().get("reason").asText());
        assertEquals(reset.toString(), r.json().get("retry_at").asText());
        assertTrue(r.json().get("detail").asText().contains("rate limited until"), r.body());
        assertEquals("10801", r.header("Retry-After"), "whole seconds, rounded up");
    }

    @Test
    void controlListShowsWritableSensorsWithCurrentValues() throws Exception {
        Instant at = Instant.parse("2026-11-27T11:59:00Z");
        manager.snapshots.put(id, new DeviceSnapshot(id, "acme", "aw10", at,
                Map.of("setpoint_hot_water", SensorReading.good("setpoint_hot_water", 48, null, at),
                        "operating_mode", SensorReading.good("operating_mode", 1, "Automatic", at))));
        Response r = get("/api/control/" + id, "alice");
        assertEquals(200, r.status());
        assertTrue(r.json().get("write_enabled").asBoolean());
        JsonNode sensors = r.json().get("sensors");
        assertEquals(3, sensors.size(), "setpoint, mode and the write-only switch; not the outdoor sensor");
        assertEquals("setpoint_hot_water", sensors.get(0).get("id").asText());
        assertEquals(48.0, sensors.get(0).get("value").asDouble());
        assertEquals(60.0, sensors.get(0).get("max").asDouble());
        assertEquals("Automatic", sensors.get(1).get("text").asText());
        assertEquals("Away", sensors.get(1).get("enum_values").get("2").asText());
        assertTrue(sensors.get(2).get("value").isNull());
        assertNull(manager.writeSwitchActor);
    }
}
