package gateway.driver.stiebel.internal;

import java.io.IOException;

import gateway.core.api.DeviceConfig;
import gateway.core.modbus.SimulatedModbusDevice;
import gateway.core.modbus.SimulatedModbusDeviceService;

/**
 * The simulator of one Stiebel model as a service for the demo and tests. A WPM device simulates a WPM 3i (its
 * optional blocks then show both ways: the 3i's own refrigerant block answers, the cascade and inverter blocks are
 * refused), an LWZ device an LWZ x04. The thermal model steps every second.
 */
public abstract class StiebelSimulatorService extends SimulatedModbusDeviceService {

    static final long TICK_MILLIS = 1000;

    private final StiebelModel model;

    protected StiebelSimulatorService(StiebelModel model) {
        super(model.identity());
        this.model = model;
    }

    @Override
    protected SimulatedModbusDevice create(int port, DeviceConfig deviceConfig) throws IOException {
        StiebelSimulator sim = StiebelSimulator.start(StiebelSimulator.defaultController(model), port, TICK_MILLIS);
        String fallBack = deviceConfig == null ? null
                : deviceConfig.options().get(StiebelSimulator.OPTION_SG_READY_FALLBACK_SECONDS);
        if (fallBack != null) {
            try {
                sim.sgReadyFallbackSeconds(Double.parseDouble(fallBack.trim()));
            } catch (IllegalArgumentException e) { // NumberFormatException too
                sim.close();
                throw new IOException(StiebelSimulator.OPTION_SG_READY_FALLBACK_SECONDS + ": " + e.getMessage(), e);
            }
        }
        return sim;
    }
}
