package gateway.driver.nibe.internal;

import java.io.IOException;

import gateway.core.api.DeviceConfig;
import gateway.core.modbus.SimulatedModbusDevice;
import gateway.core.modbus.SimulatedModbusDeviceService;

/**
 * The simulator of one NIBE model as a service for the demo mode and tests; the DS components
 * {@link NibeS1155SimulatorService}, {@link NibeS1255SimulatorService}, {@link NibeS2125SimulatorService} register
 * one per model. Simulated devices step their thermal model every second.
 */
public abstract class NibeSimulatorService extends SimulatedModbusDeviceService {

    static final long TICK_MILLIS = 1000;

    private final NibeModel model;

    protected NibeSimulatorService(NibeModel model) {
        super(model.identity());
        this.model = model;
    }

    @Override
    protected SimulatedModbusDevice create(int port, DeviceConfig deviceConfig) throws IOException {
        return NibeSimulator.start(model, port, TICK_MILLIS);
    }
}
