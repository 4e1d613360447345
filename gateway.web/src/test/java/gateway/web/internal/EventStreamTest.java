package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The live event feed: filtered per device, bounded per client, slow clients dropped, never blocking. */
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
        long start = System.nanoTime();
        for (int i = 0; i < EventResource.CLIENT_QUEUE * 10; i++) {
            servlet.events.publish("hp-1", "snapshot", Map.of("i", i));
        }
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "publishing never waits for a reader");
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
}
