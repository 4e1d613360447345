package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.SensorReading;

/**
 * The live event feed: filtered per device, bounded per client, slow clients dropped, never blocking, in each
 * client's language.
 */
class EventStreamTest extends ApiTestBase {

    @Test
    void clientGetsOnlyItsDevicesEvents() {
        EventResource.Client one = servlet.events.subscribe("hp-1");
        EventResource.Client all = servlet.events.subscribe(null);
        servlet.events.publish("hp-1", "state", Map.of("state", "online"));
        servlet.events.publish("hp-2", "state", Map.of("state", "offline"));
        assertEquals(1, one.queue.size());
        assertTrue(one.queue.peek().contains("event: state") && one.queue.peek().contains("online"));
        assertEquals(2, all.queue.size());
    }

    @Test
    void slowClientIsDroppedWithoutBlockingThePublisher() {
        EventResource.Client slow = servlet.events.subscribe(null);
        EventResource.Client other = servlet.events.subscribe("hp-9");
        // publishing never waits for a reader: a blocking offer would hang here (the bound is only a safety net)
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < EventResource.CLIENT_QUEUE * 10; i++) {
                servlet.events.publish("hp-1", "snapshot", Map.of("i", i));
            }
        });
        assertTrue(slow.dropped);
        assertEquals(1, slow.queue.size(), "only the close marker is left");
        assertFalse(other.dropped);
    }

    @Test
    void streamsAreCappedAndNeedAuthentication() throws Exception {
        assertEquals(401, get("/api/events", null).status());
        servlet.events.maxClients = 1;
        servlet.events.subscribe(null);
        assertEquals(503, get("/api/events", "alice").status());
        assertEquals(404, get("/api/events?heatpump_id=ghost", "alice").status());
    }

    @Test
    void eachStreamGetsSensorNamesAndEnumLabelsInItsLanguage() throws Exception {
        String id = createDevice("""
                {"manufacturer": "acme", "model": "aw10", "connection_config": {"host": "10.0.0.7"}}
                """);
        Instant at = Instant.parse("2026-11-27T11:59:00Z");
        EventResource.Client german = servlet.events.subscribe(id, Locale.GERMAN);
        EventResource.Client english = servlet.events.subscribe(id, Locale.ENGLISH);
        DeviceSnapshot snapshot = new DeviceSnapshot(id, "acme", "aw10", at, Map.of(
                "operating_mode", SensorReading.good("operating_mode", 1, "Automatic", at)));
        manager.snapshots.put(id, snapshot); // what the manager then answers as its latest
        servlet.events.snapshot(snapshot);
        String de = german.queue.poll();
        String en = english.queue.poll();
        assertTrue(de.contains("\"name\":\"Betriebsart\"") && de.contains("\"label\":\"Automatik\""), de);
        assertTrue(en.contains("\"name\":\"Operating mode\""), en);
        assertFalse(en.contains("Automatik"), en);
        assertTrue(de.contains("\"text\":\"Automatic\"") && en.contains("\"text\":\"Automatic\""), "the key stays");
        assertEquals(de.substring(0, de.indexOf('\n')), en.substring(0, en.indexOf('\n')), "one event id for both");
    }

    @Test
    void theStreamSpeaksTheLanguageOfItsRequest() throws Exception {
        // through HTTP: the first event (the current values) of a stream asked for in German
        String id = createDevice("""
                {"manufacturer": "acme", "model": "aw10", "connection_config": {"host": "10.0.0.7"}}
                """);
        Instant at = Instant.parse("2026-11-27T11:59:00Z");
        manager.snapshots.put(id, new DeviceSnapshot(id, "acme", "aw10", at, Map.of(
                "operating_mode", SensorReading.good("operating_mode", 1, "Automatic", at))));
        java.net.http.HttpResponse<java.io.InputStream> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(server.uri("/api/events?lang=de&heatpump_id=" + id))
                        .header("Authorization", basic("alice", "pw-alice")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        try (java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(r.body(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("data: ")) {
                // the comment and retry lines first
            }
            assertTrue(line != null && line.contains("\"name\":\"Betriebsart\""), String.valueOf(line));
        }
    }
}
