package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;

import org.junit.jupiter.api.Test;

class AuthenticationTest extends ApiTestBase {

    @Test
    void healthAndVersionAnswerWithoutCredentials() throws Exception {
        createDevice(MINIMAL_BODY);
        Response health = get("/api/health", null);
        assertEquals(200, health.status());
        assertEquals("ok", health.json().get("status").asText());
        assertEquals(1, health.json().get("devices").asInt());
        assertEquals(0, health.json().get("online").asInt());
        Response version = get("/api/version", null);
        assertEquals(200, version.status());
        assertEquals("1.2.3.test", version.json().get("version").asText());
        assertEquals("1", version.json().get("api").asText());
    }

    @Test
    void requestWithoutCredentialsGets401WithBasicChallenge() throws Exception {
        Response r = get("/api/heatpumps", null);
        assertEquals(401, r.status());
        assertEquals("application/problem+json", r.contentType());
        assertTrue(r.header("WWW-Authenticate").startsWith("Basic realm=\"heatpump-gateway\""));
        assertEquals(401, r.json().get("status").asInt());
    }

    @Test
    void wrongPasswordGets401AndIsNeverEchoed() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri("/api/heatpumps"))
                .header("Authorization", basic("ada", "hunter2")).GET().build();
        Response r = execute(request);
        assertEquals(401, r.status());
        assertFalse(r.body().contains("hunter2"));
        assertEquals("ada", users.attempts.get(0));
    }

    @Test
    void malformedAuthorizationHeaderGets401() throws Exception {
        for (String header : new String[] {"Basic !!!notbase64", "Bearer abc", "Basic "
                + java.util.Base64.getEncoder().encodeToString("no-colon".getBytes())}) {
            Response r = execute(HttpRequest.newBuilder(server.uri("/api/status")).header("Authorization", header)
                    .GET().build());
            assertEquals(401, r.status(), header);
        }
    }

    @Test
    void passwordMayContainColons() throws Exception {
        // RFC 7617: the user id ends at the first colon; the rest is the password
        HttpRequest request = HttpRequest.newBuilder(server.uri("/api/status"))
                .header("Authorization", basic("colin", "pw:colin")).GET().build();
        assertEquals(200, execute(request).status());
        assertEquals("colin", users.attempts.get(0));
    }

    @Test
    void viewerReadsButCannotChangeAnything() throws Exception {
        String id = createDevice(MINIMAL_BODY);
        assertEquals(200, get("/api/heatpumps", "alice").status());
        assertEquals(200, get("/api/heatpumps/" + id, "alice").status());
        assertEquals(200, get("/api/settings", "alice").status());
        Response create = send("POST", "/api/heatpumps", "alice", MINIMAL_BODY);
        assertEquals(403, create.status());
        assertEquals("application/problem+json", create.contentType());
        assertEquals(403, send("POST", "/api/control/" + id, "alice",
                "{\"sensor\":\"setpoint_hot_water\",\"value\":50}").status());
        assertEquals(403, send("DELETE", "/api/heatpumps/" + id, "alice", null).status());
        assertTrue(manager.writes.isEmpty());
        assertTrue(manager.devices.containsKey(id));
    }

    @Test
    void operatorWritesValuesButCannotAdministrate() throws Exception {
        String id = createDevice(MINIMAL_BODY);
        manager.writeEnabled = true;
        assertEquals(200, send("POST", "/api/control/" + id, "oscar",
                "{\"sensor\":\"setpoint_hot_water\",\"value\":50}").status());
        assertEquals(403, send("PUT", "/api/settings", "oscar", "{\"write_enabled\":false}").status());
        assertEquals(403, send("POST", "/api/heatpumps/" + id + "/disable", "oscar", null).status());
        assertEquals(403, send("POST", "/api/heatpumps/" + id + "/test", "oscar", null).status());
        assertEquals(403, send("PUT", "/api/heatpumps/" + id, "oscar", "{\"name\":\"x\"}").status());
        assertTrue(manager.writeEnabled);
    }

    @Test
    void adminChangesTheWriteSwitchAndIsNamedAsActor() throws Exception {
        Response r = send("PUT", "/api/settings", "ada", "{\"write_enabled\": true}");
        assertEquals(200, r.status());
        assertTrue(r.json().get("write_enabled").asBoolean());
        assertTrue(manager.writeEnabled);
        assertEquals("ada", manager.writeSwitchActor);
    }

    @Test
    void everyResponseCarriesSecurityHeaders() throws Exception {
        for (Response r : new Response[] {get("/api/health", null), get("/api/heatpumps", null),
                get("/api/heatpumps", "alice")}) {
            assertEquals("nosniff", r.header("X-Content-Type-Options"));
            assertEquals("no-store", r.header("Cache-Control"));
        }
    }
}
