package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceState;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.HeatpumpSimulator;
import gateway.core.api.ManufacturerRegistry;

/**
 * Issue 11: the core is a set of bundles that can be replaced while the gateway runs. Drivers import only the API
 * (and the Modbus package), so updating the store, metrics or manager must leave every driver bundle exactly as it
 * was wired; and updating one driver must not disturb another driver's devices.
 */
@ExtendWith(BundleContextExtension.class)
class BundleIndependenceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NIBE_BSN = "gateway.driver.nibe";
    private static final String IDM_BSN = "gateway.driver.idm";

    @InjectBundleContext
    BundleContext context;

    private final List<HeatpumpSimulator.Running> simulators = new ArrayList<>();
    private final List<String> devices = new ArrayList<>();
    private boolean installedNibe;

    @AfterEach
    void cleanUp() throws Exception {
        HeatpumpManager manager = manager();
        for (String id : devices) {
            manager.delete(id);
        }
        simulators.forEach(HeatpumpSimulator.Running::close);
        if (installedNibe) {
            DriverBundles.uninstall(bundle(NIBE_BSN));
        }
        Bundle idm = bundle(IDM_BSN);
        if (idm.getState() != Bundle.ACTIVE) {
            idm.start();
        }
    }

    @Test
    void updatingOrRestartingStoreMetricsAndManagerLeavesEveryDriverBundleWiredAsItWas() throws Exception {
        startNibe();
        Map<String, DriverWiring> before = driverWirings();
        assertTrue(before.keySet().containsAll(List.of(IDM_BSN, NIBE_BSN)), "both drivers present: " + before.keySet());

        for (String core : List.of("gateway.core.store", "gateway.core.metrics", "gateway.core.manager")) {
            Bundle bundle = bundle(core);
            long id = bundle.getBundleId();
            bundle.update();
            refresh(bundle);
            assertEquals(Bundle.ACTIVE, bundle.getState(), core + " active after its update");
            assertEquals(id, bundle.getBundleId(), core + " kept its id");
            assertDriversUntouched(before, "after updating " + core);

            bundle.stop();
            bundle.start();
            assertDriversUntouched(before, "after restarting " + core);
        }
        // and the gateway works again with the updated bundles: the manager is back and sees both drivers
        Await.until("manager and both drivers back", WAIT, () -> {
            ManufacturerRegistry registry = service(ManufacturerRegistry.class);
            return service(HeatpumpManager.class) != null && registry != null
                    && registry.driver("idm", "navigator_2_0").isPresent()
                    && registry.driver("nibe", "s1155").isPresent();
        });
    }

    @Test
    void updatingOneDriverLeavesAnotherDriversDevicePollingWithoutReconnecting() throws Exception {
        startNibe();
        HeatpumpSimulator.Running nibeSimulator = startSimulator("nibe", "s1155");
        String nibeDevice = createDevice("nibe", "s1155", nibeSimulator.port(), DeviceConfig.of(List.of(), List.of()));
        HeatpumpSimulator.Running idmSimulator = startSimulator("idm", "navigator_2_0");
        String idmDevice = createDevice("idm", "navigator_2_0", idmSimulator.port(),
                DeviceConfig.of(List.of("A"), List.of()));
        Await.until("both devices online", WAIT,
                () -> state(nibeDevice) == DeviceState.ONLINE && state(idmDevice) == DeviceState.ONLINE);
        DeviceStatus nibeBefore = manager().status(nibeDevice);
        DriverWiring nibeWiring = driverWirings().get(NIBE_BSN);

        Bundle idm = bundle(IDM_BSN);
        int idmPort = idmSimulator.port();
        idm.update();
        refresh(idm);
        simulators.remove(idmSimulator); // it lived in the old IDM bundle and closed with it
        simulators.add(startSimulatorOn("idm", "navigator_2_0", idmPort));
        Await.until("IDM device online again with the updated driver", WAIT,
                () -> state(idmDevice) == DeviceState.ONLINE);

        // a poll that completed after the IDM update (the simulator counting a request is not enough: the manager
        // records the poll when the answer is in)
        java.time.Instant polledBefore = status(nibeDevice).lastSuccess();
        Await.until("NIBE polled after the IDM update", WAIT,
                () -> status(nibeDevice).lastSuccess().isAfter(polledBefore));
        DeviceStatus nibeAfter = manager().status(nibeDevice);
        assertEquals(DeviceState.ONLINE, nibeAfter.state(), "NIBE device stayed online");
        assertEquals(nibeBefore.reconnects(), nibeAfter.reconnects(), "NIBE device did not reconnect");
        DriverWiring nibeWiringAfter = driverWirings().get(NIBE_BSN);
        assertSame(nibeWiring.wiring(), nibeWiringAfter.wiring(), "NIBE bundle not re-wired by the IDM update");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** A driver bundle's identity and wiring: the wiring object itself and the packages it imports from whom. */
    private record DriverWiring(long id, int state, BundleWiring wiring, TreeSet<String> imports) {
    }

    private Map<String, DriverWiring> driverWirings() {
        Map<String, DriverWiring> out = new LinkedHashMap<>();
        for (Bundle b : context.getBundles()) {
            String bsn = b.getSymbolicName();
            if (bsn != null && bsn.startsWith("gateway.driver.")) {
                BundleWiring wiring = b.adapt(BundleWiring.class);
                TreeSet<String> imports = new TreeSet<>();
                for (BundleWire wire : wiring.getRequiredWires(null)) {
                    imports.add(wire.getCapability().getNamespace() + " "
                            + wire.getCapability().getAttributes().get(wire.getCapability().getNamespace()) + " <- "
                            + wire.getProvider().getBundle().getSymbolicName() + "#"
                            + wire.getProvider().getBundle().getBundleId());
                }
                out.put(bsn, new DriverWiring(b.getBundleId(), b.getState(), wiring, imports));
            }
        }
        return out;
    }

    private void assertDriversUntouched(Map<String, DriverWiring> before, String when) {
        Map<String, DriverWiring> now = driverWirings();
        assertEquals(before.keySet(), now.keySet(), "same driver bundles " + when);
        before.forEach((bsn, was) -> {
            DriverWiring is = now.get(bsn);
            assertEquals(was.id(), is.id(), bsn + " id " + when);
            assertEquals(Bundle.ACTIVE, is.state(), bsn + " active " + when);
            assertSame(was.wiring(), is.wiring(), bsn + " wiring object unchanged " + when);
            assertTrue(is.wiring().isCurrent(), bsn + " wiring still current " + when);
            assertEquals(was.imports(), is.imports(), bsn + " imports from the same bundles " + when);
        });
        assertTrue(now.values().stream().allMatch(d -> d.imports().stream().noneMatch(i ->
                i.contains("<- gateway.core.store") || i.contains("<- gateway.core.metrics")
                        || i.contains("<- gateway.core.manager"))), "drivers import nothing from store, metrics or manager");
    }

    /** Refreshes the bundle and whatever depends on it, and waits until the framework says it is done. */
    private void refresh(Bundle bundle) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertTrue(done.await(WAIT.toSeconds(), TimeUnit.SECONDS), "refresh of " + bundle.getSymbolicName());
    }

    private void startNibe() throws Exception {
        installedNibe = DriverBundles.installed(context, NIBE_BSN).isEmpty();
        DriverBundles.start(context, NIBE_BSN);
        Await.until("NIBE driver registered", WAIT, () -> {
            ManufacturerRegistry registry = service(ManufacturerRegistry.class);
            return registry != null && registry.driver("nibe", "s1155").isPresent();
        });
    }

    private HeatpumpSimulator.Running startSimulator(String manufacturer, String model) throws Exception {
        HeatpumpSimulator.Running running = startSimulatorOn(manufacturer, model, 0);
        simulators.add(running);
        return running;
    }

    private HeatpumpSimulator.Running startSimulatorOn(String manufacturer, String model, int port) throws Exception {
        HeatpumpSimulator simulator = Await.value(manufacturer + " simulator service", WAIT, () -> {
            for (ServiceReference<HeatpumpSimulator> ref : simulatorReferences()) {
                HeatpumpSimulator s = context.getService(ref);
                if (s != null && s.manufacturerId().equals(manufacturer) && s.modelId().equals(model)) {
                    return s;
                }
            }
            return null;
        });
        return simulator.start(port, manufacturer.equals("idm") ? DeviceConfig.of(List.of("A"), List.of())
                : DeviceConfig.of(List.of(), List.of()));
    }

    private java.util.Collection<ServiceReference<HeatpumpSimulator>> simulatorReferences() {
        try {
            return context.getServiceReferences(HeatpumpSimulator.class, null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private String createDevice(String manufacturer, String model, int port, DeviceConfig config) throws Exception {
        Heatpump created = manager().create(new Heatpump(null, "independence " + manufacturer, manufacturer, model,
                new ConnectionConfig("127.0.0.1", port, 1), config, 1, true, null, null));
        devices.add(created.id());
        return created.id();
    }

    private DeviceStatus status(String id) {
        try {
            return manager().status(id);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private DeviceState state(String id) {
        try {
            return manager().status(id).state();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HeatpumpManager manager() {
        return Await.value("manager service", WAIT, () -> service(HeatpumpManager.class));
    }

    private <T> T service(Class<T> type) {
        ServiceReference<T> ref = context.getServiceReference(type);
        return ref == null ? null : context.getService(ref);
    }

    private Bundle bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError(bsn + " not installed"));
    }
}
