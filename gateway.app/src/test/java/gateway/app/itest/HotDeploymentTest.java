package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceState;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.HistoryStore;
import gateway.core.api.ManufacturerRegistry;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.modbus.ModbusSimulatorServer;
import gateway.core.modbus.RegisterBank;

/**
 * Issue 3's hot deployment: a NIBE device configured while the NIBE bundle is absent shows "driver missing"; the
 * NIBE jar dropped in polls within seconds; an update keeps the device's configuration and history and resumes
 * polling; removal returns it to "driver missing"; ten such cycles leak no thread, socket or service.
 *
 * <p>The jar is installed from the folder gateway.jar's drivers come from ({@code gateway.itest.bundled}), as
 * FileInstall installs a file from deploy/. The "rebuilt version" is the same jar content given to
 * {@link Bundle#update(java.io.InputStream)}: for the framework that is a new bundle revision with a new class
 * loader and fresh components, exactly what a changed jar in deploy/ produces. The device's peer is a Modbus
 * server owned by this test (from gateway.core.modbus, serving the NIBE register map), not the NIBE bundle's own
 * simulator, so the peer outlives the driver and every socket to it is one the driver opened.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class HotDeploymentTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NIBE_BSN = "gateway.driver.nibe";
    private static final int CYCLES = 10;
    private static final java.util.regex.Pattern POLL_POOL = java.util.regex.Pattern.compile("gateway-poll-\\d+");
    /** The manager's default poll_threads. */
    private static final int POLL_POOL_SIZE = 16;

    @InjectBundleContext
    BundleContext context;

    @InjectService
    HeatpumpManager manager;

    @InjectService
    ManufacturerRegistry registry;

    @InjectService
    HistoryStore history;

    private Bundle nibe;
    private ModbusSimulatorServer peer;
    private String deviceId;

    @AfterEach
    void cleanUp() throws Exception {
        DriverBundles.uninstall(nibe);
        if (deviceId != null) {
            manager.delete(deviceId);
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void nibeJarComesUpdatesAndGoesTenTimesWithoutLeaks() throws Exception {
        assertTrue(DriverBundles.installed(context, NIBE_BSN).isEmpty(), "NIBE must not be installed yet");

        // The device is configured while NIBE is present (creating needs the driver to validate), then NIBE leaves.
        nibe = DriverBundles.start(context, NIBE_BSN);
        HeatpumpDriver driver = Await.value("NIBE S1155 driver", WAIT,
                () -> registry.driver("nibe", "s1155").orElse(null));
        startPeer(driver.sensors(DeviceConfig.empty()));
        Heatpump created = manager.create(new Heatpump(null, "hot deployment NIBE", "nibe", "s1155",
                new ConnectionConfig("127.0.0.1", peer.port(), 1), DeviceConfig.empty(), 1, true, null, null));
        deviceId = created.id();
        Await.until("device polls", WAIT, () -> state() == DeviceState.ONLINE);
        Await.until("history recorded (flushed every few seconds)", WAIT,
                () -> !history.sensorsWithHistory(deviceId).isEmpty());
        DriverBundles.uninstall(nibe);
        nibe = null;
        Await.until("driver missing once the bundle is gone", WAIT, () -> state() == DeviceState.DRIVER_MISSING);
        Await.until("no connection left", WAIT, () -> LoopbackConnections.establishedTo(peer.port()) == 0);
        Heatpump configured = manager.heatpump(deviceId).orElseThrow();

        Set<String> threadsBefore = threadNames();
        int servicesBefore = serviceCount();
        long slowestOnlineMs = 0;
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            String at = "cycle " + cycle + ": ";
            long t0 = System.nanoTime();
            // stamped before the call: the new revision's first poll starts inside start() and update(), so a
            // stamp taken after them would wait a whole poll interval for the second poll
            Instant dropped = Instant.now();
            nibe = DriverBundles.start(context, NIBE_BSN);
            Await.until(at + "polls within seconds of the drop", Duration.ofSeconds(10),
                    () -> state() == DeviceState.ONLINE && polledSince(dropped));
            slowestOnlineMs = Math.max(slowestOnlineMs, (System.nanoTime() - t0) / 1_000_000);
            assertEquals(55 / 10.0, value("temp_outdoor"), 1e-9, at + "the value the peer serves");

            int pointsBefore = outdoorHistory().size();
            Instant updated = Instant.now();
            DriverBundles.update(context, nibe);
            // the old revision is gone when update() returns (its driver leaves synchronously, DRIVER_MISSING), so
            // ONLINE from here on can only come from a poll through the new revision
            Await.until(at + "polling resumes after the update", WAIT,
                    () -> state() == DeviceState.ONLINE && polledSince(updated));
            assertEquals(configured, manager.heatpump(deviceId).orElseThrow(), at + "configuration kept");
            assertTrue(outdoorHistory().size() >= pointsBefore && pointsBefore > 0,
                    at + "history kept: " + pointsBefore + " points before the update");
            Await.until(at + "one connection after the update (the old revision's is closed)", WAIT,
                    () -> LoopbackConnections.establishedTo(peer.port()) == 1);

            DriverBundles.uninstall(nibe);
            nibe = null;
            Await.until(at + "driver missing after removal", WAIT, () -> state() == DeviceState.DRIVER_MISSING);
            Await.until(at + "no connection left after removal", WAIT,
                    () -> LoopbackConnections.establishedTo(peer.port()) == 0);
        }

        assertEquals(configured, manager.heatpump(deviceId).orElseThrow(), "the device stays configured");
        Await.until("service count back to " + servicesBefore, WAIT, () -> serviceCount() == servicesBefore);
        try {
            Await.until("no thread of NIBE left and none added", WAIT, () -> addedThreads(threadsBefore).isEmpty()
                    && threadNames().stream().noneMatch(n -> n.toLowerCase().contains("nibe")));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; added: " + addedThreads(threadsBefore) + ", all: "
                    + new TreeSet<>(threadNames()), e);
        }
        long pollThreads = threadNames().stream().filter(n -> POLL_POOL.matcher(n).matches()).count();
        assertTrue(pollThreads <= POLL_POOL_SIZE, "the poll pool stays bounded: " + pollThreads + " threads");
        assertFalse(registry.driver("nibe", "s1155").isPresent());
        System.out.printf("hot deployment: %d cycles, slowest drop-to-poll %d ms, threads %d, services %d%n", CYCLES,
                slowestOnlineMs, threadNames().size(), serviceCount());
    }

    /** Serves every register of the NIBE map; BT1 outdoor reads 5.5 °C. */
    private void startPeer(List<SensorDefinition> sensors) throws Exception {
        RegisterBank bank = new RegisterBank();
        sensors.forEach(bank::define);
        bank.set(RegisterKind.INPUT, 1, 55);
        peer = new ModbusSimulatorServer(bank);
        peer.start(0);
    }

    private DeviceState state() {
        try {
            return manager.status(deviceId).state();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private boolean polledSince(Instant t) {
        try {
            return manager.latest(deviceId).map(DeviceSnapshot::time).filter(s -> s.isAfter(t)).isPresent();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private double value(String sensor) throws Exception {
        return manager.latest(deviceId).orElseThrow().reading(sensor).value();
    }

    private List<HistoryStore.Point> outdoorHistory() {
        return history.query(deviceId, "temp_outdoor", Instant.now().minusSeconds(3600), Instant.now(), 0);
    }

    private int serviceCount() {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null, null);
            return refs == null ? 0 : refs.length;
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Threads that are new since {@code before}, except the manager's poll pool: a fixed pool (poll_threads, 16 by
     * default) that starts its threads lazily, so it fills up over the cycles without leaking (bounded below).
     */
    private static Set<String> addedThreads(Set<String> before) {
        Set<String> added = new TreeSet<>(threadNames());
        added.removeAll(before);
        added.removeIf(n -> POLL_POOL.matcher(n).matches());
        return added;
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }
}
