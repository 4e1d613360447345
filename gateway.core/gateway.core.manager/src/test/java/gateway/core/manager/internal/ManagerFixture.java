package gateway.core.manager.internal;

import gateway.core.testing.*;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.ReadingListener;

/** Builds a manager on in-memory stores with a registry holding real test drivers, and cleans up after. */
final class ManagerFixture implements AutoCloseable {

    /** A poll "second" lasts this long in tests, so a 1 s interval polls every 100 ms. */
    static final long MILLIS_PER_SECOND = 100;

    final InMemoryStores.Repository repository = new InMemoryStores.Repository();
    final InMemoryStores.Settings settings = new InMemoryStores.Settings();
    final InMemoryStores.Audit audit = new InMemoryStores.Audit();
    final InMemoryStores.Dashboards dashboards = new InMemoryStores.Dashboards();
    final DriverRegistry registry = new DriverRegistry();
    final TestDriver driver = new TestDriver();
    final Map<String, Object> config = new HashMap<>();
    Function<String, String> env = k -> null;
    final List<SimulatedDevice> devices = new ArrayList<>();
    PollingManager manager;

    ManagerFixture() {
        registry.bindDriver(driver);
        config.put("backoff_min_millis", 100L);
        config.put("backoff_max_millis", 800L);
        config.put("write_wait_seconds", 5);
    }

    PollingManager start() {
        manager = new PollingManager(repository, settings, audit, dashboards, registry, config(config), env,
                MILLIS_PER_SECOND);
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

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    static void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(10), condition);
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
