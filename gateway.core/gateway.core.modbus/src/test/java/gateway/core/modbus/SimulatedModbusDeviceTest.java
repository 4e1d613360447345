package gateway.core.modbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import gateway.core.api.DataType;
import gateway.core.api.DeviceConfig;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;

/** The simulator plumbing every Modbus driver shares: clock, time scale, close, and the service's bookkeeping. */
class SimulatedModbusDeviceTest {

    /** A plant whose only sensor counts simulated seconds. */
    private static final class Clockwork extends SimulatedModbusDevice {
        volatile double lastStep = Double.NaN;

        Clockwork() {
            super("clockwork", WordOrder.HIGH_WORD_FIRST);
            SensorDefinition s = SensorDefinition.builder("seconds").kind(RegisterKind.HOLDING).address(0)
                    .type(DataType.UINT32).build();
            sensors.put(s.id(), s);
            bank.define(s);
        }

        static Clockwork start(long tickMillis, double timeScale) throws IOException {
            Clockwork c = new Clockwork();
            c.serve(0, tickMillis, timeScale);
            return c;
        }

        @Override
        public synchronized void step(double dt) {
            seconds += dt;
            lastStep = dt;
            set("seconds", seconds);
        }
    }

    @Test
    void frozenDeviceMovesOnlyWhenTheCallerSteps() throws IOException {
        try (Clockwork c = Clockwork.start(0, 1)) {
            assertTrue(c.port() > 0);
            c.step(90);
            c.step(30);
            assertEquals(120, c.simulatedSeconds(), 1e-9);
            assertEquals(120.0, c.value("seconds"));
        }
    }

    @Test
    void modelThreadAdvancesTimeScaleSimulatedSecondsPerRealSecond() throws IOException, InterruptedException {
        try (Clockwork c = Clockwork.start(10, 60)) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Double.isNaN(c.lastStep) && System.nanoTime() < deadline) {
                Thread.sleep(2); // polling the condition, not waiting a fixed time
            }
            assertEquals(0.6, c.lastStep, 1e-9, "10 ms at 60x is 0.6 simulated seconds per step");
        }
        assertThrows(IllegalArgumentException.class, () -> Clockwork.start(10, 0));
    }

    @Test
    void closingTwiceRunsTheCloseActionsOnceAndFreesThePort() throws IOException {
        Clockwork c = Clockwork.start(0, 1);
        int port = c.port();
        AtomicInteger closed = new AtomicInteger();
        c.onClose(closed::incrementAndGet);
        c.close();
        c.close();
        assertEquals(1, closed.get());
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());
        c.onClose(closed::incrementAndGet);
        assertEquals(2, closed.get(), "an action registered after close runs at once");
    }

    @Test
    void serviceForgetsClosedDevicesAndClosesTheRestWhenItStops() throws IOException {
        SimulatedModbusDeviceService service = new SimulatedModbusDeviceService(
                new DriverIdentity("acme", "ACME", "x1", "X1")) {
            @Override
            protected SimulatedModbusDevice create(int port, DeviceConfig deviceConfig) throws IOException {
                return Clockwork.start(0, 1);
            }
        };
        assertEquals("acme", service.manufacturerId());
        assertEquals("x1", service.modelId());
        var first = service.start(0, null);
        var second = service.start(0, DeviceConfig.empty());
        assertEquals(2, service.runningCount());
        first.close();
        assertEquals(1, service.runningCount());
        service.closeAll();
        assertEquals(0, service.runningCount());
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", second.port()).close());
    }
}
