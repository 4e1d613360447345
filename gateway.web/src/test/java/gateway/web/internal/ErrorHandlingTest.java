package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorHandlingTest extends ApiTestBase {

    private void assertProblem(Response r, int status) {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(status, r.json().get("status").asInt());
        assertTrue(r.json().has("type"));
        assertTrue(r.json().has("title"));
        assertTrue(r.json().has("detail"));
        assertTrue(r.json().get("instance").asText().startsWith("/api"));
        assertFalse(r.body().contains("at com.fasterxml"), "stack trace leaked: " + r.body());
        assertFalse(r.body().contains("gateway.web.internal"), "class names leaked: " + r.body());
    }

    @Test
    void unknownTopLevelFieldIsNamed() throws Exception {
        Response r = send("POST", "/api/heatpumps", "ada", """
                {"manufacturer":"acme","model":"aw10","connection_config":{"host":"h"},"poll_intervall":10}
                """);
        assertProblem(r, 400);
        assertEquals("poll_intervall", r.json().get("field").asText());
        assertTrue(r.json().get("detail").asText().contains("'poll_intervall'"));
        assertTrue(manager.devices.isEmpty());
    }

    @Test
    void unknownNestedFieldIsNamedWithItsPath() throws Exception {
        Response r = send("POST", "/api/heatpumps", "ada", """
                {"manufacturer":"acme","model":"aw10","connection_config":{"host":"h","unitid":2}}
                """);
        assertProblem(r, 400);
        assertEquals("connection_config.unitid", r.json().get("field").asText());
        assertTrue(r.json().get("errors").get(0).asText().contains("unit_id"), "lists the allowed names");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"manufacturer\": ", "{\"manufacturer\": \"acme\"} trailing", "[1,2", "nul",
            "{\"name\":\"a\",\"name\":\"b\"}"})
    void malformedJsonGives400Problem(String body) throws Exception {
        assertProblem(send("POST", "/api/heatpumps", "ada", body), 400);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"manufacturer\":\"acme\",\"model\":\"aw10\",\"connection_config\":{\"host\":\"h\",\"port\":\"502\"}}|connection_config.port",
            "{\"manufacturer\":\"acme\",\"model\":\"aw10\",\"connection_config\":{\"host\":\"h\",\"port\":502.5}}|connection_config.port",
            "{\"manufacturer\":\"acme\",\"model\":\"aw10\",\"connection_config\":{\"host\":\"h\"},\"enabled\":\"yes\"}|enabled",
            "{\"manufacturer\":5,\"model\":\"aw10\",\"connection_config\":{\"host\":\"h\"}}|manufacturer",
            "{\"manufacturer\":\"acme\",\"model\":\"aw10\",\"connection_config\":\"h\"}|connection_config",
            "{\"manufacturer\":\"acme\",\"model\":\"aw10\",\"connection_config\":{\"host\":\"h\"},\"device_config\":{\"circuits\":\"A\"}}|device_config.circuits"})
    void wrongTypesGive400NamingTheField(String body, String field) throws Exception {
        Response r = send("POST", "/api/heatpumps", "ada", body);
        assertProblem(r, 400);
        assertEquals(field, r.json().get("field").asText());
        assertTrue(manager.devices.isEmpty());
    }

    @Test
    void bodyThatIsNotAnObjectGives400() throws Exception {
        assertProblem(send("POST", "/api/heatpumps", "ada", "[]"), 400);
        assertProblem(send("POST", "/api/heatpumps", "ada", "null"), 400);
    }

    @Test
    void missingBodyGives400() throws Exception {
        assertProblem(send("POST", "/api/heatpumps", "ada", null), 400);
    }

    @Test
    void nonJsonBodyGives415() throws Exception {
        assertProblem(send("POST", "/api/heatpumps", "ada", "name=x", "application/x-www-form-urlencoded"), 415);
        assertProblem(send("POST", "/api/heatpumps", "ada", MINIMAL_BODY, "text/plain"), 415);
        assertEquals(201, send("POST", "/api/heatpumps", "ada", MINIMAL_BODY, "application/json; charset=utf-8")
                .status());
    }

    @Test
    void bodyOverOneMebibyteGives413() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(1024 * 1024) + "\"}";
        assertProblem(send("POST", "/api/heatpumps", "ada", big), 413);
    }

    @Test
    void chunkedBodyOverOneMebibyteGives413() throws Exception {
        byte[] big = ("{\"name\":\"" + "x".repeat(1024 * 1024) + "\"}").getBytes();
        // no Content-Length: the limit must hold while reading
        HttpRequest request = HttpRequest.newBuilder(server.uri("/api/heatpumps"))
                .header("Authorization", basic("ada", "pw-ada")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        assertProblem(execute(request), 413);
    }

    @Test
    void unknownPathGives404() throws Exception {
        assertProblem(get("/api/nothing-here", "alice"), 404);
        assertProblem(get("/api/heatpumps/hp-1/extra/more", "alice"), 404);
        assertProblem(get("/api", "alice"), 404);
    }

    @Test
    void unknownDeviceGives404() throws Exception {
        assertProblem(get("/api/heatpumps/hp-missing", "alice"), 404);
        assertProblem(get("/api/data/hp-missing", "alice"), 404);
        assertProblem(get("/api/control/hp-missing", "alice"), 404);
        assertProblem(send("PUT", "/api/heatpumps/hp-missing", "ada", "{}"), 404);
    }

    @Test
    void wrongMethodGives405WithAllow() throws Exception {
        Response r = send("PATCH", "/api/heatpumps/hp-1", "ada", "{}");
        assertProblem(r, 405);
        assertEquals("GET, PUT, DELETE", r.header("Allow"));
        Response all = send("DELETE", "/api/data/all", "ada", null);
        assertProblem(all, 405);
        assertEquals("GET", all.header("Allow"));
    }
}
