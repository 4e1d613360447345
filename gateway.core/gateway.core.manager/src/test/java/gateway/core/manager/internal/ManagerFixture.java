package gateway.core.manager.internal;

import gateway.core.testing.*;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.CopStore;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.ReadingListener;

/**
 * Builds a manager on in-memory stores with a registry holding real test drivers, and cleans up after. The manager
 * runs on simulated time ({@link #time}): polls, reconnects and refresh rewrites happen in the test's thread when the
 * test advances the clock, so periods and backoff delays are exact and "nothing happened for 8 s" needs no sleep.
 * Devices are still real: simulators on loopback TCP.
 */
final class ManagerFixture implements AutoCloseable {

    /** How far {@link #await} moves simulated time between two looks at its condition. */
    static final Duration STEP = Duration.ofMillis(100);

    final InMemoryStores.Repository repository = new InMemoryStores.Repository();
    final InMemoryStores.Settings settings = new InMemoryStores.Settings();
    final InMemoryStores.Audit audit = new InMemoryStores.Audit();
    final InMemoryStores.Dashboards dashboards = new InMemoryStores.Dashboards();
    CopStore cop = new InMemoryStores.CopTotalsStore();
    final DriverRegistry registry = new DriverRegistry();
    final TestDriver driver = new TestDriver();
    final Map<String, Object> config = new HashMap<>();
    Function<String, String> env = k -> null;
    final List<SimulatedDevice> devices = new ArrayList<>();
    final SimulatedScheduler time = new SimulatedScheduler(Instant.parse("2026-01-15T06:00:00Z"));
    /** Set before {@link #start()}: the production clock and threads instead of simulated time. */
    boolean realTime;
    /** Set before {@link #start()}: the poll pool on simulated time (default: {@link #time} itself). */
    java.util.concurrent.ExecutorService pollPool;
    PollingManager manager;

    ManagerFixture() {
        registry.bindDriver(driver);
        config.put("write_wait_seconds", 5);
    }

    PollingManager start() {
        ManagerConfig c = config(config);
        Scheduling scheduling = realTime ? Scheduling.system(c.poll_threads())
                : new Scheduling(time.clock(), time, pollPool != null ? pollPool : time);
        manager = new PollingManager(repository, settings, audit, dashboards, registry, cop, c, env, scheduling);
        return manager;
    }

    static ManagerConfig config(Map<String, Object> overrides) {
        return (ManagerConfig) Proxy.newProxyInstance(ManagerConfig.class.getClassLoader(),
                new Class<?>[] { ManagerConfig.class }, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("hashCode") ? 0 : method.getName().equals("equals") ? false
                                : "ManagerConfig" + overrides;
                    }
                    Object v = overrides.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }

    SimulatedDevice simulator() throws Exception {
        SimulatedDevice d = new SimulatedDevice();
        devices.add(d);
        return d;
    }

    static Heatpump definition(String name, int port) {
        return new Heatpump("", name, TestDriver.MANUFACTURER, TestDriver.MODEL,
                new ConnectionConfig("127.0.0.1", port, 1, 1000, Map.of()), DeviceConfig.of(List.of("A"), List.of()),
                1, true, null, null);
    }

    Heatpump create(String name, SimulatedDevice device) throws InvalidConfigurationException {
        return manager.create(definition(name, device.port()));
    }

    void enableWrites() {
        manager.setWriteEnabled(true, "test");
    }

    DeviceStatus status(String id) {
        try {
            return manager.status(id);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    DeviceSnapshot latest(String id) {
        try {
            return manager.latest(id).orElse(null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Waits for a condition, moving simulated time forward a {@link #STEP} at a time while it does not hold (and
     * running what is due). The deadline is real time: listeners run on their own threads.
     */
    void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        time.runDue();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + timeout.toMillis() + " ms (real time; simulated now " + time.now()
                        + ") waiting for: " + what);
            }
            if (realTime) {
                pause(10);
            } else {
                time.advance(STEP);
                pause(1); // lets the listener threads catch up
            }
        }
    }

    void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(10), condition);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /** Collects what a listener receives. */
    static final class RecordingListener implements ReadingListener {
        final List<DeviceSnapshot> snapshots = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<DeviceStatus> states = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void snapshot(DeviceSnapshot snapshot) {
            snapshots.add(snapshot);
        }

        @Override
        public void stateChanged(DeviceStatus status) {
            states.add(status);
        }

        long count(String heatpumpId) {
            return snapshots.stream().filter(s -> s.heatpumpId().equals(heatpumpId)).count();
        }
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.deactivate();
        }
        devices.forEach(SimulatedDevice::close);
    }
}
