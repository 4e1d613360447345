package gateway.core.manager.internal;

import gateway.core.testing.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.DeviceState;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.Quality;

class DeviceLifecycleTest {

    private final ManagerFixture f = new ManagerFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void unreachableDeviceGoesOfflineBacksOffLongerEachTimeAndRecoversOnTheSamePort() throws Exception {
        SimulatedDevice flaky = f.simulator();
        SimulatedDevice steady = f.simulator();
        f.start();
        ManagerFixture.RecordingListener listener = new ManagerFixture.RecordingListener();
        f.manager.addListener(listener, Map.of());
        Heatpump a = f.create("Flaky", flaky);
        Heatpump b = f.create("Steady", steady);
        f.await("both online", () -> f.status(a.id()).state() == DeviceState.ONLINE
                && f.status(b.id()).state() == DeviceState.ONLINE);

        flaky.stop();
        // the delay before each retry, by failures in a row (the default backoff: 1 s doubling up to 60 s, ±20 %);
        // simulated time stamps the failure and the next attempt exactly, and no failure is missed between steps
        Map<Integer, Long> delays = new TreeMap<>();
        Instant end = f.time.now().plusSeconds(30);
        while (delays.size() < 4 && f.time.now().isBefore(end)) {
            f.time.advance(ManagerFixture.STEP);
            DeviceStatus s = f.status(a.id());
            if (s.errorCount() > 0) {
                delays.putIfAbsent(s.errorCount(), Duration.between(s.lastErrorAt(), s.nextAttempt()).toMillis());
            }
        }
        DeviceStatus offline = f.status(a.id());
        assertEquals(DeviceState.OFFLINE, offline.state());
        assertNotNull(offline.lastError());
        assertEquals(Quality.STALE, f.latest(a.id()).reading("temp_outdoor").quality());
        assertEquals(7.5, f.latest(a.id()).reading("temp_outdoor").value(), 1e-9, "the last value is kept, stale");
        assertEquals(List.of(1, 2, 3, 4), List.copyOf(delays.keySet()), "every failure seen: " + delays);
        for (Map.Entry<Integer, Long> e : delays.entrySet()) {
            long base = 1000L << (e.getKey() - 1);
            assertTrue(e.getValue() >= base * 0.8 && e.getValue() <= base * 1.2,
                    "retry " + e.getKey() + " after " + base + " ms ±20 %: " + delays);
        }

        // the other device was not held up
        long before = listener.count(b.id());
        f.await("steady keeps polling", () -> listener.count(b.id()) >= before + 3);
        assertEquals(DeviceState.ONLINE, f.status(b.id()).state());

        flaky.restart();
        f.await("flaky back online", () -> f.status(a.id()).state() == DeviceState.ONLINE);
        assertEquals(Quality.GOOD, f.latest(a.id()).reading("temp_outdoor").quality());
        assertEquals(0, f.status(a.id()).errorCount());
        assertTrue(f.status(a.id()).totalErrors() >= 3);
        assertTrue(listener.states.stream().anyMatch(s -> s.heatpumpId().equals(a.id())
                && s.state() == DeviceState.OFFLINE));
    }

    @Test
    void backoffNeverExceedsItsMaximum() throws Exception {
        SimulatedDevice gone = f.simulator();
        f.config.put("backoff_max_millis", 2000L);
        f.start();
        Heatpump a = f.create("Gone", gone);
        f.await("online", () -> f.status(a.id()).state() == DeviceState.ONLINE);
        gone.stop();
        f.await("6 failures", () -> f.status(a.id()).errorCount() >= 6);
        DeviceStatus s = f.status(a.id());
        long delay = Duration.between(s.lastErrorAt(), s.nextAttempt()).toMillis();
        assertTrue(delay >= 2000 * 0.8 && delay <= 2000 * 1.2, "the maximum 2 s ±20 %, was " + delay);
    }

    @Test
    void driverLeavingShowsDriverMissingClosesTheSessionAndItsReturnResumesPolling() throws Exception {
        SimulatedDevice sim = f.simulator();
        f.start();
        Heatpump hp = f.create("Cellar", sim);
        f.await("online", () -> f.status(hp.id()).state() == DeviceState.ONLINE);
        assertEquals(1, f.driver.openSessions());

        f.registry.unbindDriver(f.driver);

        assertEquals(DeviceState.DRIVER_MISSING, f.status(hp.id()).state());
        assertEquals(0, f.driver.openSessions(), "the session of the departed driver is closed");
        assertTrue(f.manager.sensors(hp.id()).isEmpty());
        assertTrue(f.manager.heatpump(hp.id()).isPresent(), "the device stays configured");
        long requests = sim.server().requestCount();
        f.time.advance(Duration.ofSeconds(5)); // five poll intervals
        assertEquals(requests, sim.server().requestCount(), "no polls without a driver");

        TestDriver returned = new TestDriver();
        f.registry.bindDriver(returned);
        f.await("online with the new driver", () -> f.status(hp.id()).state() == DeviceState.ONLINE);
        f.await("polled again", () -> sim.server().requestCount() > requests + 2);
        assertEquals(1, returned.openSessions());
        assertEquals(TestDriver.SENSORS.size(), f.manager.sensors(hp.id()).size());
    }

    @Test
    void deviceWhoseDriverIsMissingAtStartWaitsForIt() throws Exception {
        SimulatedDevice sim = f.simulator();
        f.repository.insert(ManagerFixture.definition("Cellar", sim.port()).withId("hp-0000beef"));
        f.registry.unbindDriver(f.driver);
        f.start();
        assertEquals(DeviceState.DRIVER_MISSING, f.status("hp-0000beef").state());
        f.registry.bindDriver(f.driver);
        f.await("online", () -> f.status("hp-0000beef").state() == DeviceState.ONLINE);
    }

    @Test
    void deactivationLeavesNoGatewayThreadOrSessionBehind() throws Exception {
        f.realTime = true; // the production threads are what must not be left behind
        List<Thread> before = gatewayThreads(); // other tests' threads are not this manager's
        SimulatedDevice a = f.simulator();
        SimulatedDevice b = f.simulator();
        f.start();
        f.manager.addListener(new ManagerFixture.RecordingListener(), Map.of());
        Heatpump hpA = f.create("A", a);
        f.create("B", b);
        f.await("online", () -> f.status(hpA.id()).state() == DeviceState.ONLINE);
        f.enableWrites();
        f.manager.write(hpA.id(), "pv_surplus", 1.0, "alice"); // a refresh hold is a scheduled task too
        assertTrue(newGatewayThreads(before).size() >= 3, "poll, scheduler and listener threads run");

        f.manager.deactivate();
        f.manager = null;

        try {
            f.await("no gateway thread alive", Duration.ofSeconds(5), () -> newGatewayThreads(before).isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + newGatewayThreads(before), e);
        }
        assertEquals(0, f.driver.openSessions());
    }

    private static List<Thread> gatewayThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("gateway-")).toList();
    }

    private static List<String> newGatewayThreads(List<Thread> before) {
        return gatewayThreads().stream().filter(t -> !before.contains(t)).map(Thread::getName).toList();
    }
}
