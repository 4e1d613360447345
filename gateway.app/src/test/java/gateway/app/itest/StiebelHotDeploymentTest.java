package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
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
import gateway.core.api.HeatpumpSimulator;
import gateway.core.api.ManufacturerRegistry;
import gateway.core.api.RegisterKind;
import gateway.core.modbus.ModbusSimulatorServer;
import gateway.core.modbus.RegisterBank;

/**
 * The Stiebel Eltron bundle deployed into a running gateway, as a jar dropped into deploy/: both models and both
 * simulator services appear, a device configured for it polls within seconds, an update resumes polling on one
 * connection, removal returns the device to "driver missing"; three cycles leave no thread, socket or service.
 *
 * <p>The device's peer is a Modbus server owned by this test (serving the WPM map with a WPM 3i identification),
 * so it outlives the driver and every socket to it is one the driver opened.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class StiebelHotDeploymentTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String BSN = "gateway.driver.stiebel";
    private static final int CYCLES = 3;
    private static final java.util.regex.Pattern POLL_POOL = java.util.regex.Pattern.compile("gateway-poll-\\d+");

    @InjectBundleContext
    BundleContext context;

    @InjectService
    HeatpumpManager manager;

    @InjectService
    ManufacturerRegistry registry;

    private Bundle bundle;
    private ModbusSimulatorServer peer;
    private String deviceId;

    @AfterEach
    void cleanUp() throws Exception {
        DriverBundles.uninstall(bundle);
        if (deviceId != null) {
            manager.delete(deviceId);
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void stiebelJarComesUpdatesAndGoesWithoutLeaks() throws Exception {
        assertTrue(DriverBundles.installed(context, BSN).isEmpty(), "Stiebel must not be installed yet");

        bundle = DriverBundles.start(context, BSN);
        HeatpumpDriver wpm = Await.value("Stiebel WPM driver", WAIT,
                () -> registry.driver("stiebel_eltron", "wpm").orElse(null));
        Await.value("Stiebel LWZ driver", WAIT, () -> registry.driver("stiebel_eltron", "lwz").orElse(null));
        assertEquals(Set.of("wpm", "lwz"), simulatorModels(), "one simulator service per model for the demo");

        startPeer(wpm);
        Heatpump created = manager.create(new Heatpump(null, "hot deployment Stiebel", "stiebel_eltron", "wpm",
                new ConnectionConfig("127.0.0.1", peer.port(), 1), DeviceConfig.empty(), 5, true, null, null));
        deviceId = created.id();
        Await.until("device polls", WAIT, () -> state() == DeviceState.ONLINE);
        DriverBundles.uninstall(bundle);
        bundle = null;
        Await.until("driver missing once the bundle is gone", WAIT, () -> state() == DeviceState.DRIVER_MISSING);
        Await.until("no connection left", WAIT, () -> LoopbackConnections.establishedTo(peer.port()) == 0);
        assertTrue(simulatorModels().isEmpty(), "the simulator services left with the bundle");

        Set<String> threadsBefore = threadNames();
        int servicesBefore = serviceCount();
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            String at = "cycle " + cycle + ": ";
            Instant dropped = Instant.now();
            bundle = DriverBundles.start(context, BSN);
            Await.until(at + "polls within seconds of the drop", Duration.ofSeconds(10),
                    () -> state() == DeviceState.ONLINE && polledSince(dropped));
            assertEquals(5.5, manager.latest(deviceId).orElseThrow().reading("temp_outdoor").value(), 1e-9,
                    at + "manual 507 = PDU 506 = 55 × 0.1");
            assertEquals(12_345, manager.latest(deviceId).orElseThrow().reading("energy_heating_total").value(),
                    1e-9, at + "3503 HI 12 × 1000 + 3502 LOW 345");

            Instant updated = Instant.now();
            DriverBundles.update(context, bundle);
            Await.until(at + "polling resumes after the update", WAIT,
                    () -> state() == DeviceState.ONLINE && polledSince(updated));
            Await.until(at + "one connection after the update", WAIT,
                    () -> LoopbackConnections.establishedTo(peer.port()) == 1);

            DriverBundles.uninstall(bundle);
            bundle = null;
            Await.until(at + "driver missing after removal", WAIT, () -> state() == DeviceState.DRIVER_MISSING);
            Await.until(at + "no connection left after removal", WAIT,
                    () -> LoopbackConnections.establishedTo(peer.port()) == 0);
        }
        Await.until("service count back to " + servicesBefore, WAIT, () -> serviceCount() == servicesBefore);
        try {
            Await.until("no thread of Stiebel left and none added", WAIT, () -> addedThreads(threadsBefore).isEmpty()
                    && stiebelThreads().isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; added: " + addedThreads(threadsBefore) + ", Stiebel's: "
                    + stiebelThreads(), e);
        }
        assertFalse(registry.driver("stiebel_eltron", "wpm").isPresent());
    }

    /** Serves every register of the WPM map; the ISG identifies a WPM 3i (391), outdoor reads 5.5 °C. */
    private void startPeer(HeatpumpDriver wpm) throws Exception {
        RegisterBank bank = new RegisterBank();
        // the map's blocks with every register between their rows, as the ISG has them
        defineSpan(bank, RegisterKind.INPUT, 500, 547);
        defineSpan(bank, RegisterKind.INPUT, 2500, 2506);
        defineSpan(bank, RegisterKind.INPUT, 3500, 3521);
        defineSpan(bank, RegisterKind.INPUT, 3679, 3679);
        defineSpan(bank, RegisterKind.INPUT, 5000, 5001);
        defineSpan(bank, RegisterKind.HOLDING, 1500, 1511);
        defineSpan(bank, RegisterKind.HOLDING, 4000, 4002);
        wpm.sensors(DeviceConfig.empty()).forEach(s -> assertTrue(
                bank.defined(s.registerKind(), s.address()), s.id() + " served"));
        bank.set(RegisterKind.INPUT, 5001, 391);
        bank.set(RegisterKind.INPUT, 506, 55);
        bank.set(RegisterKind.INPUT, 3501, 345);
        bank.set(RegisterKind.INPUT, 3502, 12);
        peer = new ModbusSimulatorServer(bank);
        peer.start(0);
    }

    private static void defineSpan(RegisterBank bank, RegisterKind kind, int first, int last) {
        bank.define(kind, first, last - first + 1, kind == RegisterKind.HOLDING);
    }

    private Set<String> simulatorModels() {
        try {
            return context.getServiceReferences(HeatpumpSimulator.class, "(" + HeatpumpDriver.MANUFACTURER_PROPERTY
                    + "=stiebel_eltron)").stream().map(r -> String.valueOf(r.getProperty(HeatpumpDriver.MODEL_PROPERTY)))
                    .collect(Collectors.toSet());
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
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

    private int serviceCount() {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null, null);
            return refs == null ? 0 : refs.length;
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> addedThreads(Set<String> before) {
        Set<String> added = new TreeSet<>(threadNames());
        added.removeAll(before);
        added.removeIf(n -> POLL_POOL.matcher(n).matches());
        return added;
    }

    /** The bundle's own threads (simulator model threads); FileInstall's watcher carries the deploy path instead. */
    private static Set<String> stiebelThreads() {
        return threadNames().stream().filter(n -> n.toLowerCase().startsWith("stiebel")).collect(Collectors.toSet());
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }
}
