package gateway.core.manager.internal;

import gateway.core.testing.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceState;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpSimulator;
import gateway.core.demo.internal.DemoSetup;

/** Demo mode, driven by a simulator service backed by the real Modbus simulator server. */
class DemoSetupTest {

    private final ManagerFixture f = new ManagerFixture();
    private final TestSimulator simulator = new TestSimulator();
    private final List<DemoSetup> demos = new CopyOnWriteArrayList<>();

    private DemoSetup demo(boolean enabled) {
        DemoSetup d = new DemoSetup(f.manager, f.registry, f.settings, enabled);
        demos.add(d);
        return d;
    }

    @AfterEach
    void tearDown() {
        demos.forEach(DemoSetup::deactivate);
        simulator.started.forEach(SimulatedDevice::close);
        f.close();
    }

    @Test
    void createsOneDevicePerSimulatedModelAndMovesItToTheNewPortOnTheNextStart() throws Exception {
        f.start();
        DemoSetup demo = demo(true);
        demo.addSimulator(simulator);
        f.await("demo device", () -> f.settings.values.containsKey("demo.testmaker.model-a"));
        Heatpump hp = f.manager.heatpumps().get(0);
        assertEquals("Test Maker Model A (demo)", hp.name());
        assertEquals("127.0.0.1", hp.connection().host());
        assertEquals(simulator.started.get(0).port(), hp.connection().port());
        assertEquals(hp.id(), f.settings.values.get("demo.testmaker.model-a"));
        assertEquals("http://127.0.0.1:" + hp.connection().port() + "/api",
                hp.connection().options().get("api_base_url"), "the simulator's connection options");
        f.await("demo device online", () -> f.status(hp.id()).state() == DeviceState.ONLINE);

        demo.deactivate();
        assertEquals(1, simulator.closed);

        DemoSetup again = demo(true);
        again.addSimulator(simulator);
        f.await("second simulator", () -> simulator.started.size() == 2);
        int newPort = simulator.started.get(1).port();
        assertNotEquals(hp.connection().port(), newPort);
        f.await("device moved", () -> f.manager.heatpump(hp.id()).orElseThrow().connection().port()
                == newPort);
        assertEquals(1, f.manager.heatpumps().size(), "no second demo device");
        assertEquals("http://127.0.0.1:" + newPort + "/api",
                f.manager.heatpump(hp.id()).orElseThrow().connection().options().get("api_base_url"),
                "options follow the simulator too");
        f.await("online on the new port", () -> f.status(hp.id()).state() == DeviceState.ONLINE);
        again.removeSimulator(simulator);
        assertEquals(2, simulator.closed);
    }

    @Test
    void staysIdleUnlessDemoModeIsOn() throws Exception {
        f.start();
        DemoSetup demo = demo(false);
        demo.addSimulator(simulator);
        // with demo mode off DemoSetup makes no thread that could act later, so there is nothing to wait for
        f.time.advance(java.time.Duration.ofSeconds(5));
        assertTrue(simulator.started.isEmpty());
        assertTrue(f.manager.heatpumps().isEmpty());
    }

    /** The test model's registers on a real Modbus TCP server. */
    static final class TestSimulator implements HeatpumpSimulator {
        final List<SimulatedDevice> started = new CopyOnWriteArrayList<>();
        volatile int closed;

        @Override
        public String manufacturerId() {
            return TestDriver.MANUFACTURER;
        }

        @Override
        public String modelId() {
            return TestDriver.MODEL;
        }

        @Override
        public Running start(int port, DeviceConfig deviceConfig) throws IOException {
            SimulatedDevice device = new SimulatedDevice();
            started.add(device);
            return new Running() {
                @Override
                public int port() {
                    return device.port();
                }

                @Override
                public void latencyMillis(int millis) {
                    device.server().latencyMillis(millis);
                }

                @Override
                public void disconnectClients() {
                    device.server().disconnectClients();
                }

                @Override
                public Double value(String sensorId) {
                    return device.value(SimulatedDevice.sensor(sensorId));
                }

                /** Like a cloud API's fake: the device needs a URL besides host and port. */
                @Override
                public java.util.Map<String, String> connectionOptions() {
                    return java.util.Map.of("api_base_url", "http://127.0.0.1:" + device.port() + "/api");
                }

                @Override
                public int writeCount(String sensorId) {
                    return device.writes(SimulatedDevice.sensor(sensorId));
                }

                @Override
                public long requestCount() {
                    return device.server().requestCount();
                }

                @Override
                public void close() {
                    closed++;
                    device.close();
                }
            };
        }
    }

    @Test
    void demoNamesDoNotRepeatTheBrand() {
        assertEquals("NIBE S1155 (ground source) (demo)",
                gateway.core.demo.internal.DemoSetup.demoName("NIBE", "NIBE S1155 (ground source)"));
        assertEquals("Luxtronik 2.0 / 2.1 (demo)",
                gateway.core.demo.internal.DemoSetup.demoName("Luxtronik (Alpha Innotec, Novelan)", "Luxtronik 2.0 / 2.1"));
        assertEquals("iDM Energiesysteme Navigator 2.0 (demo)",
                gateway.core.demo.internal.DemoSetup.demoName("iDM Energiesysteme", "Navigator 2.0"));
    }
}
