package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.ZoneId;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * {@code /api/settings} with the jobs' time zone: stored as ConfigAdmin pid gateway.automation key time.zone (where
 * the automation bundle reads it), validated as a zone id, 422 naming the field otherwise. ConfigAdmin here is a small
 * in-memory stand-in for one pid; the real one is exercised end to end through gateway.jar.
 */
class SettingsApiTest extends ApiTestBase {

    /** One configuration object, as ConfigAdmin keeps it; counts the updates that reached it. */
    static final class OnePidConfigAdmin {
        Dictionary<String, Object> properties;
        String location;
        final AtomicInteger updates = new AtomicInteger();

        @SuppressWarnings("unchecked")
        ConfigurationAdmin service() {
            Configuration config = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "getPid" -> TimeZoneSetting.PID;
                        case "getProperties" -> properties == null ? null : copy(properties);
                        case "update", "updateIfDifferent" -> {
                            properties = copy(args[0] == null ? new Hashtable<>() : (Dictionary<String, Object>) args[0]);
                            updates.incrementAndGet();
                            yield method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "getConfiguration" -> {
                            if (args.length > 1) {
                                location = (String) args[1];
                            }
                            yield config;
                        }
                        case "listConfigurations" -> properties == null ? null : new Configuration[] {config};
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        private static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
            Hashtable<String, Object> out = new Hashtable<>();
            for (var keys = d.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                out.put(k, d.get(k));
            }
            return out;
        }
    }

    OnePidConfigAdmin configAdmin;
    ConfigurationAdmin service;

    @BeforeEach
    void withConfigAdmin() {
        configAdmin = new OnePidConfigAdmin();
        service = configAdmin.service();
        servlet.setConfigAdmin(service);
    }

    @Test
    void withoutAConfiguredZoneTheSystemsApplies() throws Exception {
        Response r = get("/api/settings", "alice");
        assertEquals(200, r.status(), r.body());
        assertEquals(ZoneId.systemDefault().getId(), r.json().get("time_zone").asText());
        assertEquals(ZoneId.systemDefault().getId(), r.json().get("system_time_zone").asText());
        assertFalse(r.json().get("write_enabled").asBoolean());
    }

    @Test
    void anAdminSetsTheZoneWhereTheAutomationBundleReadsIt() throws Exception {
        Response r = send("PUT", "/api/settings", "ada", "{\"time_zone\": \"Asia/Kathmandu\"}");
        assertEquals(200, r.status(), r.body());
        assertEquals("Asia/Kathmandu", r.json().get("time_zone").asText());
        assertEquals("Asia/Kathmandu", configAdmin.properties.get("time.zone"));
        assertEquals("?", configAdmin.location, "bound to no single bundle, so the automation bundle receives it");
        assertEquals("Asia/Kathmandu", get("/api/settings", "alice").json().get("time_zone").asText());
        assertFalse(r.json().get("write_enabled").asBoolean(), "the write switch is left as it was");
    }

    @Test
    void otherSettingsOfThePidAreKept() throws Exception {
        configAdmin.properties = new Hashtable<>();
        configAdmin.properties.put("tick.millis", 500L);
        configAdmin.properties.put("time.zone", "Europe/Berlin");
        assertEquals("Europe/Berlin", get("/api/settings", "alice").json().get("time_zone").asText());
        assertEquals(200, send("PUT", "/api/settings", "ada", "{\"time_zone\": \"UTC\"}").status());
        assertEquals(500L, configAdmin.properties.get("tick.millis"));
        assertEquals("UTC", configAdmin.properties.get("time.zone"));
    }

    @Test
    void anEmptyZoneGoesBackToTheSystemsZone() throws Exception {
        assertEquals(200, send("PUT", "/api/settings", "ada", "{\"time_zone\": \"Europe/Berlin\"}").status());
        Response r = send("PUT", "/api/settings", "ada", "{\"time_zone\": \"\"}");
        assertEquals(200, r.status(), r.body());
        assertNull(configAdmin.properties.get("time.zone"));
        assertEquals(ZoneId.systemDefault().getId(), r.json().get("time_zone").asText());
    }

    @Test
    void anUnknownZoneIs422NamingTheFieldAndChangesNothing() throws Exception {
        Response r = send("PUT", "/api/settings", "ada", "{\"time_zone\": \"Mars/Olympus_Mons\", \"write_enabled\": true}");
        assertEquals(422, r.status(), r.body());
        assertTrue(r.json().get("errors").get(0).asText().startsWith("time_zone:"), r.body());
        assertEquals(0, configAdmin.updates.get());
        assertFalse(manager.writeEnabled(), "the write switch in the same request is not changed either");
    }

    @Test
    void theWriteSwitchAndTheZoneChangeTogether() throws Exception {
        Response r = send("PUT", "/api/settings", "ada", "{\"time_zone\": \"America/St_Johns\", \"write_enabled\": true}");
        assertEquals(200, r.status(), r.body());
        assertTrue(r.json().get("write_enabled").asBoolean());
        assertEquals("America/St_Johns", r.json().get("time_zone").asText());
    }

    @Test
    void onlyAnAdminChangesTheZone() throws Exception {
        assertEquals(403, send("PUT", "/api/settings", "oscar", "{\"time_zone\": \"UTC\"}").status());
        assertEquals(403, send("PUT", "/api/settings", "alice", "{\"time_zone\": \"UTC\"}").status());
        assertEquals(0, configAdmin.updates.get());
    }

    @Test
    void withoutConfigAdminTheZoneCannotBeStored() throws Exception {
        servlet.unsetConfigAdmin(service);
        Response r = send("PUT", "/api/settings", "ada", "{\"time_zone\": \"UTC\"}");
        assertEquals(503, r.status(), r.body());
        assertEquals(200, get("/api/settings", "alice").status(), "reading still works (the system's zone)");
    }

    @Test
    void anEmptyBodyNamesBothSettings() throws Exception {
        Response r = send("PUT", "/api/settings", "ada", "{}");
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().get("detail").asText().contains("time_zone"), r.body());
    }
}
