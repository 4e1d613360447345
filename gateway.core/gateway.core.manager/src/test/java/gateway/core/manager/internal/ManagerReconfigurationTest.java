package gateway.core.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.DeviceState;
import gateway.core.api.Heatpump;
import gateway.core.testing.SimulatedDevice;

/** Issue 11: a changed manager configuration applies in place; no device reconnects because of it. */
class ManagerReconfigurationTest {

    private final ManagerFixture f = new ManagerFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void newSettingsApplyWithoutReconnectingAnyDevice() throws Exception {
        SimulatedDevice first = f.simulator();
        SimulatedDevice second = f.simulator();
        f.realTime = true; // the pool size is a property of the production thread pool
        f.start();
        Heatpump a = f.create("First", first);
        Heatpump b = f.create("Second", second);
        f.await("both online", () -> f.status(a.id()).state() == DeviceState.ONLINE
                && f.status(b.id()).state() == DeviceState.ONLINE);
        long reconnectsA = f.status(a.id()).reconnects();
        long reconnectsB = f.status(b.id()).reconnects();
        long requestsA = first.server().requestCount();

        Map<String, Object> changed = new HashMap<>(f.config);
        changed.put("poll_threads", 3);
        changed.put("backoff_min_millis", 50L);
        changed.put("backoff_max_millis", 400L);
        changed.put("listener_queue_capacity", 7);
        f.manager.modified(ManagerFixture.config(changed));

        f.await("first keeps polling", () -> first.server().requestCount() > requestsA + 2);
        assertEquals(DeviceState.ONLINE, f.status(a.id()).state());
        assertEquals(DeviceState.ONLINE, f.status(b.id()).state());
        assertEquals(reconnectsA, f.status(a.id()).reconnects(), "no new connection for the first device");
        assertEquals(reconnectsB, f.status(b.id()).reconnects(), "no new connection for the second device");
        assertEquals(3, f.manager.pollThreads(), "the poll pool took the new size");
        assertEquals(50L, f.manager.backoff().minMillis());
        assertEquals(400L, f.manager.backoff().maxMillis());

        // and a device that fails now backs off with the new bounds
        first.stop();
        f.await("first offline", () -> f.status(a.id()).state() == DeviceState.OFFLINE);
        assertEquals(DeviceState.ONLINE, f.status(b.id()).state(), "the other device is untouched");
    }
}
