package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import gateway.core.api.MqttStatus;

/** {@code GET /api/mqtt} over real HTTP: the bridge's state for any signed-in user, 503 without the bundle. */
class MqttApiTest extends ApiTestBase {

    @Test
    void anyUserSeesTheStateAndCountersAndNothingWithoutTheBundle() throws Exception {
        Response none = get("/api/mqtt", "alice");
        assertEquals(503, none.status(), none.body());
        assertEquals(401, get("/api/mqtt", null).status());

        MqttStatus bridge = () -> new MqttStatus.Connection(MqttStatus.UNAUTHORIZED,
                "not authorized: the broker refused the user name or password, or this client", NOW,
                "tcp://broker:1883", "heatpump-gateway-0a1b2c3d", "heatpump", true, false, 120, 7, 0, 1, 2, 3, null);
        servlet.setMqtt(bridge);
        Response r = get("/api/mqtt", "alice");
        assertEquals(200, r.status(), r.body());
        assertEquals("unauthorized", r.json().get("state").asText());
        assertTrue(r.json().get("last_error").asText().contains("user name or password"));
        assertEquals("tcp://broker:1883", r.json().get("broker_url").asText());
        assertEquals(120, r.json().get("published").asLong());
        assertEquals(7, r.json().get("dropped").asLong());
        assertEquals(2, r.json().get("commands_refused").asLong());
        servlet.unsetMqtt(bridge);
        assertEquals(503, get("/api/mqtt", "alice").status());
    }
}
