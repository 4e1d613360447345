package gateway.core.internal.manager;

import java.io.IOException;

import gateway.core.api.SensorDefinition;
import gateway.core.modbus.ModbusSimulatorServer;
import gateway.core.modbus.RegisterBank;

/** A simulated test device: the test driver's registers served by a real Modbus TCP server on 127.0.0.1. */
final class SimulatedDevice implements AutoCloseable {

    final RegisterBank bank = new RegisterBank();
    private ModbusSimulatorServer server;
    private int port;

    SimulatedDevice() throws IOException {
        for (SensorDefinition s : TestDriver.SENSORS) {
            bank.define(s);
        }
        TestDriver.initialValues().forEach((id, v) -> set(sensor(id), v));
        server = new ModbusSimulatorServer(bank);
        port = server.start(0);
    }

    static SensorDefinition sensor(String id) {
        return TestDriver.SENSORS.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    int port() {
        return port;
    }

    ModbusSimulatorServer server() {
        return server;
    }

    void set(SensorDefinition s, double value) {
        bank.setValue(s, value, TestDriver.ORDER);
    }

    double value(SensorDefinition s) {
        return bank.getValue(s, TestDriver.ORDER);
    }

    int writes(SensorDefinition s) {
        return server.writeCount(s.address());
    }

    void stop() {
        server.close();
    }

    /** The same registers served again on the same port (the device came back). */
    void restart() throws IOException {
        server = new ModbusSimulatorServer(bank);
        server.start(port);
    }

    @Override
    public void close() {
        server.close();
    }
}
