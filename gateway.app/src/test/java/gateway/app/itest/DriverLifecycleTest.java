package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceState;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.HeatpumpSimulator;
import gateway.core.api.ManufacturerRegistry;

/** Driver bundles coming and going while the manager polls, inside the real framework. */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class DriverLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectBundleContext
    BundleContext context;

    @InjectService
    HeatpumpManager manager;

    @InjectService
    ManufacturerRegistry registry;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    private HeatpumpSimulator.Running simulator;
    private String deviceId;

    @AfterEach
    void cleanUp() throws Exception {
        Bundle idm = idmBundle();
        if (idm.getState() != Bundle.ACTIVE) {
            idm.start();
        }
        if (deviceId != null) {
            manager.delete(deviceId);
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void driverLeavingAndReturningChangesRegistryAndDeviceState() throws Exception {
        assertTrue(modelIds().contains("idm/navigator_2_0"), "IDM driver registered at start: " + modelIds());
        startSimulatorAndDevice(0);
        Await.until("device online", WAIT, () -> state() == DeviceState.ONLINE);

        Bundle idm = idmBundle();
        idm.stop();
        assertFalse(modelIds().contains("idm/navigator_2_0"), "IDM gone from the registry after its bundle stopped");
        Await.until("device shows driver missing", WAIT, () -> state() == DeviceState.DRIVER_MISSING);
        assertTrue(manager.heatpump(deviceId).isPresent(), "the device stays configured while its driver is missing");

        idm.start();
        // The simulator lived in the stopped bundle: bring the device's peer back on the same port.
        int port = manager.heatpump(deviceId).orElseThrow().connection().port();
        simulator = simulatorService().start(port, DeviceConfig.of(List.of("A"), List.of()));
        Await.until("IDM back in the registry", WAIT, () -> modelIds().contains("idm/navigator_2_0"));
        Await.until("polling resumes without a restart", WAIT, () -> state() == DeviceState.ONLINE);
    }

    @Test
    void restartingTheIdmBundleWhilePollingLeavesNoThreadOrSocketBehind() throws Exception {
        startSimulatorAndDevice(1);
        int port = simulator.port();
        Await.until("device online", WAIT, () -> state() == DeviceState.ONLINE);
        assertTrue(LoopbackConnections.establishedTo(port) > 0, "the device holds a connection while polling");

        Bundle idm = idmBundle();
        idm.stop();
        simulator = null;
        Await.until("no connection to the simulator's port is left", WAIT,
                () -> LoopbackConnections.establishedTo(port) == 0);
        // The IDM bundle names its threads "idm-..." (simulator, model clock); none may outlive the bundle.
        Await.until("no thread of the stopped bundle is left: " + threadNames(), WAIT, () -> threadNames().stream()
                .noneMatch(n -> n.toLowerCase().startsWith("idm")));

        idm.start();
        simulator = simulatorService().start(port, DeviceConfig.of(List.of("A"), List.of()));
        Await.until("polling resumes after the restart", WAIT, () -> state() == DeviceState.ONLINE);
        long polledBefore = simulator.requestCount();
        Await.until("the simulator keeps receiving requests", WAIT, () -> simulator.requestCount() > polledBefore);
    }

    private void startSimulatorAndDevice(int index) throws Exception {
        simulator = simulatorService().start(0, DeviceConfig.of(List.of("A"), List.of()));
        Heatpump created = manager.create(new Heatpump(null, "lifecycle test " + index, "idm", "navigator_2_0",
                new ConnectionConfig("127.0.0.1", simulator.port(), 1), DeviceConfig.of(List.of("A"), List.of()), 1,
                true, null, null));
        deviceId = created.id();
    }

    private DeviceState state() {
        try {
            return manager.status(deviceId).state();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HeatpumpSimulator simulatorService() {
        return Await.value("IDM simulator service", WAIT, () -> simulators.getServices().stream()
                .filter(s -> s.manufacturerId().equals("idm")).findFirst().orElse(null));
    }

    private Set<String> modelIds() {
        return registry.manufacturers().stream()
                .flatMap(m -> m.models().stream().map(model -> m.id() + "/" + model.id()))
                .collect(Collectors.toSet());
    }

    private Bundle idmBundle() {
        return Arrays.stream(context.getBundles()).filter(b -> "gateway.driver.idm".equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError("gateway.driver.idm not installed"));
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }
}
