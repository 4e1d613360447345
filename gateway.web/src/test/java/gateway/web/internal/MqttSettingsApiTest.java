package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Hashtable;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/mqtt/settings}: the MQTT bridge's configuration, stored as ConfigAdmin pid gateway.mqtt with the keys the
 * bridge's Metatype names (broker.url, topic.prefix...), the password write-only, bad values 422 naming the field. The
 * bridge's reaction to a configuration is tested against Mosquitto in gateway.core.mqtt.
 */
class MqttSettingsApiTest extends ApiTestBase {

    SettingsApiTest.OnePidConfigAdmin configAdmin;

    @BeforeEach
    void withConfigAdmin() {
        configAdmin = new SettingsApiTest.OnePidConfigAdmin();
        servlet.setConfigAdmin(configAdmin.service());
    }

    @Test
    void withNothingConfiguredTheBridgesDefaultsShow() throws Exception {
        Response r = get("/api/mqtt/settings", "ada");
        assertEquals(200, r.status(), r.body());
        assertEquals("", r.json().get("broker_url").asText());
        assertEquals("heatpump", r.json().get("topic_prefix").asText());
        assertEquals(1, r.json().get("qos").asInt());
        assertTrue(r.json().get("discovery_enabled").asBoolean());
        assertFalse(r.json().get("commands_enabled").asBoolean());
        assertFalse(r.json().get("password_set").asBoolean());
    }

    @Test
    void anAdminSetsTheBrokerAndThePasswordIsNeverReturned() throws Exception {
        Response r = send("PUT", "/api/mqtt/settings", "ada", "{\"broker_url\": \"ssl://broker.lan:8883\","
                + " \"username\": \"gw\", \"password\": \"mqtt-s3cret\", \"qos\": 0, \"commands_enabled\": true,"
                + " \"topic_prefix\": \"heatpump/{site}\"}");
        assertEquals(200, r.status(), r.body());
        assertFalse(r.body().contains("mqtt-s3cret"));
        assertTrue(r.json().get("password_set").asBoolean());
        assertEquals("ssl://broker.lan:8883", configAdmin.properties.get("broker.url"));
        assertEquals("mqtt-s3cret", configAdmin.properties.get("password"));
        assertEquals(0, configAdmin.properties.get("qos"));
        assertEquals(true, configAdmin.properties.get("commands.enabled"));
        assertEquals("heatpump/{site}", configAdmin.properties.get("topic.prefix"));
        assertEquals("?", configAdmin.location, "bound to no single bundle, so the MQTT bundle receives it");
        assertFalse(get("/api/mqtt/settings", "ada").body().contains("mqtt-s3cret"));

        // the mask keeps the password, absent fields stay, "" clears
        assertEquals(200, send("PUT", "/api/mqtt/settings", "ada", "{\"password\": \"***\", \"qos\": 2}").status());
        assertEquals("mqtt-s3cret", configAdmin.properties.get("password"));
        assertEquals("gw", configAdmin.properties.get("username"));
        assertEquals(2, configAdmin.properties.get("qos"));
        assertEquals(200, send("PUT", "/api/mqtt/settings", "ada", "{\"password\": \"\"}").status());
        assertNull(configAdmin.properties.get("password"));
    }

    @Test
    void keysTheApiDoesNotKnowAreKept() throws Exception {
        configAdmin.properties = new Hashtable<>();
        configAdmin.properties.put("queue.capacity", 5000);
        configAdmin.properties.put("broker.url", "tcp://old:1883");
        assertEquals(200, send("PUT", "/api/mqtt/settings", "ada", "{\"broker_url\": \"tcp://new:1883\"}").status());
        assertEquals(5000, configAdmin.properties.get("queue.capacity"));
        assertEquals("tcp://new:1883", configAdmin.properties.get("broker.url"));
    }

    @Test
    void badValuesAre422NamingTheFieldAndChangeNothing() throws Exception {
        for (String body : new String[] {"{\"broker_url\": \"http://broker:1883\"}", "{\"qos\": 3}",
                "{\"topic_prefix\": \"heat/#\"}", "{\"publish_interval_seconds\": -1}",
                "{\"discovery_prefix\": \"home assistant\"}"}) {
            Response r = send("PUT", "/api/mqtt/settings", "ada", body);
            assertEquals(422, r.status(), body + " -> " + r.body());
            String field = body.substring(2, body.indexOf('"', 2));
            assertTrue(r.json().get("errors").get(0).asText().startsWith(field + ":"), r.body());
        }
        assertEquals(0, configAdmin.updates.get());
    }

    @Test
    void onlyAnAdminSeesOrChangesThem() throws Exception {
        assertEquals(403, get("/api/mqtt/settings", "alice").status());
        assertEquals(403, send("PUT", "/api/mqtt/settings", "oscar", "{\"qos\": 0}").status());
        assertEquals(0, configAdmin.updates.get());
    }
}
