package gateway.driver.nibe.internal;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpSimulator;

/**
 * The simulator of one NIBE model as a service for the demo mode and tests; the DS components
 * {@link NibeS1155SimulatorService}, {@link NibeS1255SimulatorService}, {@link NibeS2125SimulatorService} register
 * one per model. Simulated devices step their thermal model every second.
 */
public abstract class NibeSimulatorService implements HeatpumpSimulator {

    static final long TICK_MILLIS = 1000;

    private final NibeModel model;
    private final Set<NibeSimulator> running = ConcurrentHashMap.newKeySet();

    protected NibeSimulatorService(NibeModel model) {
        this.model = model;
    }

    @Override
    public String manufacturerId() {
        return NibeModel.MANUFACTURER_ID;
    }

    @Override
    public String modelId() {
        return model.id();
    }

    @Override
    public Running start(int port, DeviceConfig deviceConfig) throws IOException {
        NibeSimulator sim = NibeSimulator.start(model, port, TICK_MILLIS);
        running.add(sim);
        return sim;
    }

    /** Closes every simulator this service started, so a stopped bundle leaves no socket or thread behind. */
    protected void closeAll() {
        for (NibeSimulator sim : running) {
            sim.close();
        }
        running.clear();
    }
}
