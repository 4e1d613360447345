package gateway.driver.idm.internal;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpSimulator;

/**
 * Offers {@link IdmSimulator} to the demo mode and tests. Every simulator it started is stopped when the bundle stops,
 * so an update of the driver bundle leaves no thread or socket behind.
 */
@Component(service = HeatpumpSimulator.class, property = {
        HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + IdmDriver.MANUFACTURER_ID,
        HeatpumpDriver.MODEL_PROPERTY + "=" + IdmDriver.MODEL_ID})
public class IdmSimulatorService implements HeatpumpSimulator {

    private static final Logger LOG = LoggerFactory.getLogger(IdmSimulatorService.class);

    private final Set<IdmSimulator> running = ConcurrentHashMap.newKeySet();

    @Override
    public String manufacturerId() {
        return IdmDriver.MANUFACTURER_ID;
    }

    @Override
    public String modelId() {
        return IdmDriver.MODEL_ID;
    }

    /** The simulator serves every circuit and zone module, so any valid configuration can poll it. */
    @Override
    public Running start(int port, DeviceConfig deviceConfig) throws IOException {
        if (deviceConfig != null) {
            List<String> problems = IdmRegisterMap.validate(deviceConfig);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
        }
        IdmSimulator sim = new IdmSimulator();
        try {
            int bound = sim.listen(port);
            sim.startModel(IdmSimulator.DEFAULT_TICK_MILLIS);
            running.add(sim);
            sim.onClose(() -> running.remove(sim));
            LOG.info("idm simulator started on 127.0.0.1:{}", bound);
            return sim;
        } catch (IOException | RuntimeException e) {
            sim.close();
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        for (IdmSimulator sim : List.copyOf(running)) {
            sim.close();
        }
        running.clear();
    }
}
