package gateway.driver.daikin.internal;

import java.io.IOException;

import gateway.core.api.DeviceConfig;
import gateway.core.modbus.SimulatedModbusDevice;
import gateway.core.modbus.SimulatedModbusDeviceService;

/**
 * The simulator of one Daikin model as a service for the demo mode and tests; {@link DaikinAltherma3EkrhhSimulatorService}
 * and {@link DaikinAltherma4SimulatorService} register one per model. The device config's circuits say whether the
 * simulated installation has an additional zone.
 */
public abstract class DaikinSimulatorService extends SimulatedModbusDeviceService {

    static final long TICK_MILLIS = 1000;

    private final DaikinModel model;

    protected DaikinSimulatorService(DaikinModel model) {
        super(model.identity());
        this.model = model;
    }

    @Override
    protected SimulatedModbusDevice create(int port, DeviceConfig deviceConfig) throws IOException {
        return DaikinSimulator.start(model, port,
                deviceConfig == null ? DeviceConfig.empty() : deviceConfig, TICK_MILLIS);
    }
}
