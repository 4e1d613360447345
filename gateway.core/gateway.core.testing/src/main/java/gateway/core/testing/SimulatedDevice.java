package gateway.core.testing;

import java.io.IOException;

import gateway.core.api.SensorDefinition;
import gateway.core.modbus.ModbusSimulatorServer;
import gateway.core.modbus.RegisterBank;

/** A simulated test device: the test driver's registers served by a real Modbus TCP server on 127.0.0.1. */
public final class SimulatedDevice implements AutoCloseable {

    public final RegisterBank bank = new RegisterBank();
    private ModbusSimulatorServer server;
    private int port;

    public SimulatedDevice() throws IOException {
        for (SensorDefinition s : TestDriver.SENSORS) {
            bank.define(s);
        }
        TestDriver.initialValues().forEach((id, v) -> set(sensor(id), v));
        server = new ModbusSimulatorServer(bank);
        port = server.start(0);
    }

    public static SensorDefinition sensor(String id) {
        return TestDriver.SENSORS.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    public int port() {
        return port;
    }

    public ModbusSimulatorServer server() {
        return server;
    }

    public void set(SensorDefinition s, double value) {
        bank.setValue(s, value, TestDriver.ORDER);
    }

    public double value(SensorDefinition s) {
        return bank.getValue(s, TestDriver.ORDER);
    }

    public int writes(SensorDefinition s) {
        return server.writeCount(s.address());
    }

    public void stop() {
        server.close();
    }

    /** The same registers served again on the same port (the device came back). */
    public void restart() throws IOException {
        server = new ModbusSimulatorServer(bank);
        server.start(port);
    }

    @Override
    public void close() {
        server.close();
    }
}
