package gateway.driver.daikin.internal;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpSimulator;

/**
 * The simulator of one Daikin model as a service for the demo mode and tests; {@link DaikinAltherma3EkrhhSimulatorService}
 * and {@link DaikinAltherma4SimulatorService} register one per model. The device config's circuits say whether the
 * simulated installation has an additional zone.
 */
public abstract class DaikinSimulatorService implements HeatpumpSimulator {

    static final long TICK_MILLIS = 1000;

    private final DaikinModel model;
    private final Set<DaikinSimulator> running = ConcurrentHashMap.newKeySet();

    protected DaikinSimulatorService(DaikinModel model) {
        this.model = model;
    }

    @Override
    public String manufacturerId() {
        return DaikinModel.MANUFACTURER_ID;
    }

    @Override
    public String modelId() {
        return model.id();
    }

    @Override
    public Running start(int port, DeviceConfig deviceConfig) throws IOException {
        DaikinSimulator sim = DaikinSimulator.start(model, port,
                deviceConfig == null ? DeviceConfig.empty() : deviceConfig, TICK_MILLIS);
        running.add(sim);
        return sim;
    }

    /** Closes every simulator this service started, so a stopped bundle leaves no socket or thread behind. */
    protected void closeAll() {
        for (DaikinSimulator sim : running) {
            sim.close();
        }
        running.clear();
    }
}
