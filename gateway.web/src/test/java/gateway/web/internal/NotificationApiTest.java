package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.Notification;
import gateway.core.api.NotificationChannel.Setting;
import gateway.core.api.NotificationChannelStore.ChannelConfig;
import gateway.core.api.NotificationChannels;
import gateway.core.api.NotificationOutbox;

/**
 * {@code /api/notifications} over real HTTP: roles, statuses, list settings as JSON arrays, outbox filters. The
 * masking and validation rules themselves are gateway.core.notification's (tested there); here a small in-memory
 * stand-in with one secret setting shows the API passes them through.
 */
class NotificationApiTest extends ApiTestBase {

    /** In memory; setting "token" is secret; a url not starting with http is invalid. */
    static final class Channels implements NotificationChannels {
        final Map<String, ChannelConfig> stored = new LinkedHashMap<>();
        final List<String> tested = new ArrayList<>();

        @Override
        public List<ChannelType> types() {
            return List.of(new ChannelType("gotify", "Gotify push", List.of(
                    new Setting("url", "server", true, false, null), new Setting("token", "app", true, true, null))));
        }

        @Override
        public List<ChannelConfig> list() {
            return stored.values().stream().map(Channels::masked).toList();
        }

        @Override
        public Optional<ChannelConfig> get(String id) {
            return Optional.ofNullable(stored.get(id)).map(Channels::masked);
        }

        @Override
        public ChannelConfig save(ChannelConfig c) throws InvalidConfigurationException {
            if (!c.settings().getOrDefault("url", "").startsWith("http")) {
                throw new InvalidConfigurationException(List.of("'url' must be an http(s) URL"));
            }
            String id = c.id() == null || c.id().isBlank() ? "ch-" + (stored.size() + 1) : c.id();
            ChannelConfig saved = new ChannelConfig(id, c.type(), c.name(), c.enabled(), c.settings(), NOW);
            stored.put(id, saved);
            return masked(saved);
        }

        @Override
        public boolean delete(String id) {
            return stored.remove(id) != null;
        }

        @Override
        public Optional<TestResult> test(String id) {
            tested.add(id);
            return stored.containsKey(id) ? Optional.of(new TestResult(false, "Gotify answered HTTP 401", false))
                    : Optional.empty();
        }

        private static ChannelConfig masked(ChannelConfig c) {
            Map<String, String> s = new LinkedHashMap<>(c.settings());
            s.computeIfPresent("token", (k, v) -> MASK);
            return new ChannelConfig(c.id(), c.type(), c.name(), c.enabled(), s, c.updatedAt());
        }
    }

    static final class Outbox implements NotificationOutbox {
        final List<Entry> entries = new ArrayList<>();
        State askedState;
        int askedLimit;

        @Override
        public List<Entry> enqueue(Notification notification) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Entry> entries(State state, int limit) {
            askedState = state;
            askedLimit = limit;
            return entries;
        }
    }

    Channels channels;
    Outbox outbox;

    @BeforeEach
    void services() {
        channels = new Channels();
        outbox = new Outbox();
        servlet.setNotificationChannels(channels);
        servlet.setNotificationOutbox(outbox);
    }

    @Test
    void anAdminCreatesAChannelAndEveryoneReadsItWithTheSecretMasked() throws Exception {
        Response created = send("POST", "/api/notifications/channels", "ada", "{\"type\":\"gotify\",\"name\":\"Phone\","
                + "\"settings\":{\"url\":\"https://push.example.org\",\"token\":\"AppToken.1\"}}");
        assertEquals(201, created.status(), created.body());
        assertEquals("/api/notifications/channels/ch-1", created.header("Location"));
        assertEquals(NotificationChannels.MASK, created.json().get("settings").get("token").asText());
        assertTrue(created.json().get("enabled").asBoolean(), "enabled unless said otherwise");
        assertEquals("AppToken.1", channels.stored.get("ch-1").settings().get("token"));

        Response read = get("/api/notifications/channels", "alice");
        assertEquals(200, read.status());
        assertFalse(read.body().contains("AppToken.1"));
        assertEquals("Phone", read.json().get(0).get("name").asText());
        assertEquals(200, get("/api/notifications/channels/ch-1", "alice").status());
        assertEquals("gotify", get("/api/notifications/channel-types", "alice").json().get(0).get("type").asText());
    }

    @Test
    void viewersAndOperatorsCannotChangeOrTestChannels() throws Exception {
        channels.save(new ChannelConfig("c1", "gotify", "Phone", true, Map.of("url", "http://x", "token", "t"),
                null));
        String body = "{\"type\":\"gotify\",\"name\":\"X\",\"settings\":{\"url\":\"http://x\"}}";
        assertEquals(403, send("POST", "/api/notifications/channels", "alice", body).status());
        assertEquals(403, send("PUT", "/api/notifications/channels/c1", "oscar", body).status());
        assertEquals(403, send("DELETE", "/api/notifications/channels/c1", "oscar", null).status());
        assertEquals(403, send("POST", "/api/notifications/channels/c1/test", "alice", null).status());
        assertTrue(channels.tested.isEmpty());
        assertEquals(1, channels.stored.size());
    }

    @Test
    void listSettingsMayBeJsonArraysAndNumbersAreTakenAsText() throws Exception {
        Response r = send("POST", "/api/notifications/channels", "ada", "{\"id\":\"mail\",\"type\":\"gotify\","
                + "\"name\":\"Mail\",\"enabled\":false,\"settings\":{\"url\":\"http://x\",\"to\":[\"a@x.org\","
                + "\"b@x.org\"],\"port\":587}}");
        assertEquals(201, r.status(), r.body());
        assertEquals(Map.of("url", "http://x", "to", "a@x.org,b@x.org", "port", "587"),
                channels.stored.get("mail").settings());
        assertFalse(channels.stored.get("mail").enabled());
        Response nested = send("POST", "/api/notifications/channels", "ada", "{\"type\":\"gotify\",\"name\":\"M\","
                + "\"settings\":{\"url\":{\"a\":1}}}");
        assertEquals(422, nested.status(), nested.body());
    }

    @Test
    void badInputGetsA4xxThatSaysWhy() throws Exception {
        Response invalid = send("POST", "/api/notifications/channels", "ada", "{\"type\":\"gotify\",\"name\":\"P\","
                + "\"settings\":{\"url\":\"ftp://x\"}}");
        assertEquals(422, invalid.status());
        assertTrue(invalid.body().contains("'url' must be an http(s) URL"), invalid.body());
        assertEquals(422, send("POST", "/api/notifications/channels", "ada", "{\"name\":\"P\"}").status());
        assertEquals(400, send("POST", "/api/notifications/channels", "ada", "{\"colour\":\"red\"}").status());
        channels.save(new ChannelConfig("c1", "gotify", "Phone", true, Map.of("url", "http://x"), null));
        assertEquals(409, send("POST", "/api/notifications/channels", "ada", "{\"id\":\"c1\",\"type\":\"gotify\","
                + "\"name\":\"P\",\"settings\":{\"url\":\"http://x\"}}").status());
        assertEquals(404, send("PUT", "/api/notifications/channels/nope", "ada", "{\"type\":\"gotify\","
                + "\"name\":\"P\",\"settings\":{\"url\":\"http://x\"}}").status());
        assertEquals(400, send("PUT", "/api/notifications/channels/c1", "ada", "{\"id\":\"c2\",\"type\":\"gotify\","
                + "\"name\":\"P\",\"settings\":{\"url\":\"http://x\"}}").status());
        assertEquals(404, send("DELETE", "/api/notifications/channels/nope", "ada", null).status());
        assertEquals(404, send("POST", "/api/notifications/channels/nope/test", "ada", null).status());
        assertEquals(404, get("/api/notifications/channels/nope", "alice").status());
    }

    @Test
    void updateDeleteAndTest() throws Exception {
        channels.save(new ChannelConfig("c1", "gotify", "Phone", true, Map.of("url", "http://x", "token", "t"),
                null));
        Response updated = send("PUT", "/api/notifications/channels/c1", "ada", "{\"type\":\"gotify\","
                + "\"name\":\"Phone 2\",\"settings\":{\"url\":\"http://y\",\"token\":\"********\"}}");
        assertEquals(200, updated.status(), updated.body());
        assertEquals("Phone 2", channels.stored.get("c1").name());
        Response test = send("POST", "/api/notifications/channels/c1/test", "ada", null);
        assertEquals(200, test.status());
        assertFalse(test.json().get("delivered").asBoolean());
        assertEquals("Gotify answered HTTP 401", test.json().get("error").asText());
        assertEquals(204, send("DELETE", "/api/notifications/channels/c1", "ada", null).status());
        assertTrue(channels.stored.isEmpty());
    }

    @Test
    void theOutboxListsEntriesByStateWithoutSettings() throws Exception {
        outbox.entries.add(new NotificationOutbox.Entry(7, new Notification("alert-event-1", "Flow high", "61 °C",
                "critical", List.of("c1"), "hp-1", "alert:al-1", NOW), "c1", NotificationOutbox.State.PENDING, 2,
                NOW.plusSeconds(60), "Gotify answered HTTP 503", null));
        Response r = get("/api/notifications/outbox?state=pending&limit=10", "alice");
        assertEquals(200, r.status(), r.body());
        assertEquals(NotificationOutbox.State.PENDING, outbox.askedState);
        assertEquals(10, outbox.askedLimit);
        assertEquals("pending", r.json().get(0).get("state").asText());
        assertEquals(2, r.json().get(0).get("attempts").asInt());
        assertEquals("Gotify answered HTTP 503", r.json().get(0).get("last_error").asText());
        assertEquals("alert-event-1", r.json().get(0).get("notification_key").asText());
        assertEquals(Instant.parse("2026-11-27T12:01:00Z").toString(), r.json().get(0).get("next_attempt").asText());
        assertEquals(400, get("/api/notifications/outbox?state=lost", "alice").status());
        assertEquals(400, get("/api/notifications/outbox?limit=0", "alice").status());
    }

    @Test
    void withoutTheNotificationBundleTheEndpointsAnswer503() throws Exception {
        servlet.unsetNotificationChannels(channels);
        servlet.unsetNotificationOutbox(outbox);
        assertEquals(503, get("/api/notifications/channels", "alice").status());
        assertEquals(503, get("/api/notifications/outbox", "alice").status());
    }
}
