package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.ConnectionDiagnosis;
import gateway.core.api.ConnectionTestFailedException;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.Heatpump;
import gateway.core.api.InvalidConfigurationException;

class HeatpumpApiTest extends ApiTestBase {

    @Test
    void createKeepsEveryFieldOfTheContractBody() throws Exception {
        Response r = send("POST", "/api/heatpumps", "ada", CONTRACT_BODY);
        assertEquals(201, r.status(), r.body());
        String id = r.json().get("id").asText();
        assertTrue(id.matches("hp-[0-9a-f]{8}"), id);
        assertEquals("/api/heatpumps/" + id, r.header("Location"));
        Heatpump stored = manager.devices.get(id);
        assertEquals("Basement", stored.name());
        assertEquals(new ConnectionConfig("192.168.1.50", 1502, 3), stored.connection());
        assertEquals(DeviceConfig.of(List.of("A"), List.of()), stored.deviceConfig());
        assertEquals(15, stored.pollIntervalSeconds());
        assertFalse(stored.enabled());
        JsonNode body = r.json();
        assertEquals(1502, body.get("connection_config").get("port").asInt());
        assertEquals(3, body.get("connection_config").get("unit_id").asInt());
        assertEquals(15, body.get("poll_interval").asInt());
        assertEquals("disabled", body.get("status").get("state").asText());
        assertEquals("2026-11-27T12:00:00Z", body.get("created_at").asText());
    }

    @Test
    void createFillsMissingFieldsWithDriverDefaults() throws Exception {
        String id = createDevice(MINIMAL_BODY);
        Heatpump stored = manager.devices.get(id);
        assertEquals(502, stored.connection().port());
        assertEquals(1, stored.connection().unitId());
        assertEquals(3000, stored.connection().timeoutMs());
        assertEquals(30, stored.pollIntervalSeconds());
        assertTrue(stored.enabled());
        assertEquals("AW 10", stored.name());
        assertEquals(DeviceConfig.empty(), stored.deviceConfig());
    }

    @Test
    void createAcceptsTimeoutAndOptions() throws Exception {
        String id = createDevice("""
                {"manufacturer":"acme","model":"aw10",
                 "connection_config":{"host":"h","timeout":1500,"options":{"max_block":60,"password":"s3cret"}},
                 "device_config":{"circuits":["A","B"],"zones":[0],"options":{"variant":"x"}}}
                """);
        Heatpump stored = manager.devices.get(id);
        assertEquals(1500, stored.connection().timeoutMs());
        assertEquals(Map.of("max_block", "60", "password", "s3cret"), stored.connection().options());
        assertEquals(Map.of("variant", "x"), stored.deviceConfig().options());
        assertEquals(List.of(0), stored.deviceConfig().zones());
    }

    @Test
    void detailsMaskSecretOptionsAndListSensors() throws Exception {
        String id = createDevice("""
                {"manufacturer":"acme","model":"aw10","connection_config":{"host":"h",
                 "options":{"password":"s3cret","Api_Token":"t0k","client_secret":"c","max_block":"60"}},
                 "device_config":{"circuits":["A"]}}
                """);
        Response r = get("/api/heatpumps/" + id, "alice");
        assertEquals(200, r.status());
        assertFalse(r.body().contains("s3cret"));
        assertFalse(r.body().contains("t0k"));
        JsonNode options = r.json().get("connection_config").get("options");
        assertEquals("***", options.get("password").asText());
        assertEquals("***", options.get("Api_Token").asText());
        assertEquals("***", options.get("client_secret").asText());
        assertEquals("60", options.get("max_block").asText());
        JsonNode sensors = r.json().get("sensors");
        assertEquals(5, sensors.size());
        JsonNode setpoint = sensors.get(1);
        assertEquals("setpoint_hot_water", setpoint.get("id").asText());
        assertEquals("read_write", setpoint.get("access").asText());
        assertEquals("holding", setpoint.get("register_type").asText());
        assertEquals("float32", setpoint.get("data_type").asText());
        assertEquals(35.0, setpoint.get("min").asDouble());
        assertEquals(0.5, setpoint.get("step").asDouble());
        assertEquals("eeprom", setpoint.get("flags").get(0).asText());
        assertEquals("Automatic", sensors.get(2).get("enum_values").get("1").asText());
        assertEquals("coil", sensors.get(3).get("register_type").asText());
        assertEquals("A", sensors.get(4).get("circuit").asText());
        JsonNode status = r.json().get("status");
        for (String field : List.of("state", "error_count", "total_errors", "last_error", "last_error_at",
                "last_success", "requests_last_poll", "bytes_last_poll", "last_poll_ms", "next_attempt",
                "reconnects")) {
            assertTrue(status.has(field), field);
        }
        assertEquals("connecting", status.get("state").asText());
    }

    @Test
    void optionsTheDriverDeclaresSecretAreMaskedAndAMaskedPutKeepsThem() throws Exception {
        String id = createDevice("""
                {"manufacturer":"acme","model":"aw10","connection_config":{"host":"h",
                 "options":{"pin":"4711","token_url":"https://iam.example/token"}}}
                """);
        Response r = get("/api/heatpumps/" + id, "alice");
        assertFalse(r.body().contains("4711"), r.body());
        assertEquals("***", r.json().get("connection_config").get("options").get("pin").asText());
        assertEquals("https://iam.example/token",
                r.json().get("connection_config").get("options").get("token_url").asText(), "a URL is no secret");
        Response list = get("/api/heatpumps", "alice");
        assertFalse(list.body().contains("4711"), list.body());
        Response put = send("PUT", "/api/heatpumps/" + id, "ada",
                "{\"connection_config\": {\"options\": {\"pin\": \"***\", \"token_url\": \"https://x/t\"}}}");
        assertEquals(200, put.status(), put.body());
        assertEquals("4711", manager.devices.get(id).connection().options().get("pin"), "the mask keeps the value");
        assertEquals("https://x/t", manager.devices.get(id).connection().options().get("token_url"));
    }

    @Test
    void listShowsStatusWithoutSensors() throws Exception {
        createDevice(MINIMAL_BODY);
        Response r = get("/api/heatpumps", "alice");
        assertEquals(1, r.json().size());
        assertEquals("connecting", r.json().get(0).get("status").get("state").asText());
        assertFalse(r.json().get(0).has("sensors"));
    }

    @Test
    void putMergesOnlyTheGivenFields() throws Exception {
        String id = createDevice(CONTRACT_BODY);
        Response r = send("PUT", "/api/heatpumps/" + id, "ada",
                "{\"connection_config\": {\"port\": 5020}, \"poll_interval\": 60}");
        assertEquals(200, r.status(), r.body());
        Heatpump stored = manager.devices.get(id);
        assertEquals("192.168.1.50", stored.connection().host());
        assertEquals(5020, stored.connection().port());
        assertEquals(3, stored.connection().unitId());
        assertEquals(60, stored.pollIntervalSeconds());
        assertEquals("Basement", stored.name());
        assertEquals(List.of("A"), stored.deviceConfig().circuits());
    }

    @Test
    void putOfTheMaskKeepsTheStoredSecret() throws Exception {
        String id = createDevice("""
                {"manufacturer":"acme","model":"aw10","connection_config":{"host":"h","options":{"password":"s3cret"}}}
                """);
        Response r = send("PUT", "/api/heatpumps/" + id, "ada",
                "{\"connection_config\": {\"options\": {\"password\": \"***\", \"max_block\": 40}}}");
        assertEquals(200, r.status(), r.body());
        assertEquals(Map.of("password", "s3cret", "max_block", "40"), manager.devices.get(id).connection().options());
    }

    @Test
    void putWithAnotherIdIsRefused() throws Exception {
        String id = createDevice(MINIMAL_BODY);
        assertEquals(400, send("PUT", "/api/heatpumps/" + id, "ada", "{\"id\": \"hp-other\"}").status());
    }

    @Test
    void enableDisableAndDelete() throws Exception {
        String id = createDevice(MINIMAL_BODY);
        Response disabled = send("POST", "/api/heatpumps/" + id + "/disable", "ada", null);
        assertEquals(200, disabled.status());
        assertFalse(disabled.json().get("enabled").asBoolean());
        assertEquals("disabled", disabled.json().get("status").get("state").asText());
        assertEquals(400, send("POST", "/api/heatpumps/" + id + "/enable", "ada", "{\"enabled\": false}").status());
        assertEquals(200, send("POST", "/api/heatpumps/" + id + "/enable", "ada", "{\"enabled\": true}").status());
        assertTrue(manager.devices.get(id).enabled());
        Response deleted = send("DELETE", "/api/heatpumps/" + id, "ada", null);
        assertEquals(204, deleted.status());
        assertEquals("", deleted.body());
        assertEquals(404, get("/api/heatpumps/" + id, "ada").status());
        assertEquals(404, send("DELETE", "/api/heatpumps/" + id, "ada", null).status());
    }

    @Test
    void missingRequiredFieldsGive422WithEachProblem() throws Exception {
        Response r = send("POST", "/api/heatpumps", "ada", "{\"manufacturer\": \"acme\"}");
        assertEquals(422, r.status());
        JsonNode errors = r.json().get("errors");
        assertEquals(2, errors.size(), r.body());
        assertTrue(errors.get(0).asText().startsWith("model"));
        assertTrue(errors.get(1).asText().startsWith("connection_config"));
    }

    @Test
    void valuesReachTheManagerUncheckedAndItsProblemsComeBackAs422() throws Exception {
        // ranges, the poll interval and the driver's check are the manager's (gateway.core.manager tests them);
        // the API hands the values over as given and lists every problem the manager names
        manager.nextCreateFailure = new InvalidConfigurationException(List.of("port must be 1-65535",
                "unit id must be 0-255", "poll interval must be at least 5 s for this model",
                "unknown heating circuit Z"));
        Response r = send("POST", "/api/heatpumps", "ada", """
                {"manufacturer":"acme","model":"aw10","connection_config":{"host":"h","port":70000,"unit_id":256},
                 "poll_interval":2,"device_config":{"circuits":["Z"]}}
                """);
        assertEquals(422, r.status());
        assertEquals(4, r.json().get("errors").size(), r.body());
        assertEquals("unit id must be 0-255", r.json().get("errors").get(1).asText());
        assertEquals(70000, manager.lastCreated.connection().port());
        assertEquals(256, manager.lastCreated.connection().unitId());
        assertEquals(2, manager.lastCreated.pollIntervalSeconds());
        assertTrue(manager.devices.isEmpty());
    }

    @Test
    void withoutPollIntervalTheManagersDefaultApplies() throws Exception {
        createDevice(MINIMAL_BODY);
        assertEquals(0, manager.lastCreated.pollIntervalSeconds(), "0 asks the manager for its default");
        assertEquals(502, manager.lastCreated.connection().port(), "the port defaults from the driver");
    }

    @Test
    void nullListEntriesGive422() throws Exception {
        Response r = send("POST", "/api/heatpumps", "ada", """
                {"manufacturer":"acme","model":"aw10","connection_config":{"host":"h"},
                 "device_config":{"circuits":[null],"zones":[1,null]}}
                """);
        assertEquals(422, r.status(), r.body());
        assertEquals(2, r.json().get("errors").size());
    }

    @Test
    void unknownModelGives422() throws Exception {
        Response r = send("POST", "/api/heatpumps", "ada",
                "{\"manufacturer\":\"acme\",\"model\":\"zz\",\"connection_config\":{\"host\":\"h\"}}");
        assertEquals(422, r.status());
        assertTrue(r.json().get("errors").get(0).asText().contains("no driver"));
    }

    @Test
    void duplicateEndpointFromTheManagerGives409() throws Exception {
        manager.nextCreateFailure = new InvalidConfigurationException(List.of("10.0.0.7:502:1 is used by hp-1"),
                true);
        Response r = send("POST", "/api/heatpumps", "ada", MINIMAL_BODY);
        assertEquals(409, r.status());
        assertEquals("10.0.0.7:502:1 is used by hp-1", r.json().get("errors").get(0).asText());
        manager.nextCreateFailure = new InvalidConfigurationException(List.of("bad"), false);
        assertEquals(422, send("POST", "/api/heatpumps", "ada", MINIMAL_BODY).status());
    }

    @Test
    void connectionTestReportsValuesOr503() throws Exception {
        String id = createDevice(MINIMAL_BODY);
        Response ok = send("POST", "/api/heatpumps/" + id + "/test", "ada", null);
        assertEquals(200, ok.status(), ok.body());
        assertTrue(ok.json().get("ok").asBoolean());
        assertEquals(2, ok.json().get("requests").asInt());
        assertEquals(4.5, ok.json().get("values").get("temp_outdoor").get("value").asDouble());
        assertEquals("°C", ok.json().get("values").get("temp_outdoor").get("unit").asText());
        manager.nextTestFailure = new ConnectionTestFailedException(new ConnectionDiagnosis(
                ConnectionDiagnosis.Cause.CONNECTION_REFUSED,
                "Modbus TCP is probably not enabled on the device (connection refused)"),
                new DeviceUnreachableException("connection refused: 10.0.0.7:502"));
        Response failed = send("POST", "/api/heatpumps/" + id + "/test", "ada", null);
        assertEquals(503, failed.status());
        assertEquals("application/problem+json", failed.contentType());
        // the problem states the manager's diagnosis first and keeps the transport's own words after it
        assertEquals("Modbus TCP is probably not enabled on the device (connection refused)"
                + " (connection refused: 10.0.0.7:502)", failed.json().get("detail").asText());
        assertEquals("connection-refused", failed.json().get("diagnosis").asText());
        assertEquals("Connection refused", failed.json().get("title").asText());
        manager.nextTestFailure = new DeviceUnreachableException("gone");
        Response undiagnosed = send("POST", "/api/heatpumps/" + id + "/test", "ada", null);
        assertEquals(503, undiagnosed.status(), "a failure without diagnosis is still the device's, not ours");
    }

    @Test
    void connectionTestOfAnUnsavedDefinition() throws Exception {
        Response r = send("POST", "/api/heatpumps/test", "ada", MINIMAL_BODY);
        assertEquals(200, r.status(), r.body());
        assertEquals("10.0.0.7", manager.lastTested.connection().host());
        assertEquals(502, manager.lastTested.connection().port());
        assertTrue(manager.devices.isEmpty());
    }

    @Test
    void manufacturersAndSetup() throws Exception {
        Response list = get("/api/manufacturers", "alice");
        assertEquals("acme", list.json().get(0).get("id").asText());
        assertEquals(502, list.json().get(0).get("models").get(0).get("default_port").asInt());
        Response setup = get("/api/manufacturers/acme/models/aw10/setup?circuits=A,B", "alice");
        assertEquals(200, setup.status(), setup.body());
        JsonNode s = setup.json();
        assertEquals("modbus_tcp", s.get("protocol").asText());
        assertEquals(5, s.get("min_poll_interval").asInt());
        assertEquals(30, s.get("default_poll_interval").asInt());
        assertTrue(s.get("capabilities").get("hot_water").asBoolean());
        assertEquals(6, s.get("sensor_count").asInt());
        assertTrue(s.get("instructions").asText().startsWith("# Enable Modbus TCP"));
        assertEquals("line", s.get("dashboard_template").get("charts").get(0).get("type").asText());
        assertEquals(404, get("/api/manufacturers/acme/models/nope/setup", "alice").status());
        assertNull(setup.header("WWW-Authenticate"));
    }
}
