package gateway.driver.vaillant.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpSimulator;

/**
 * Offers a simulated ebusd with an aroTHERM system behind it to the demo mode and the tests. Device options:
 * {@code heatpump_circuit} and {@code controller_circuit} (the circuit names it answers to; defaults {@code hmu} and
 * {@code ctlv2}), {@code broken} and {@code missing} (comma-separated message names answering {@code ERR: invalid
 * position} or {@code ERR: element not found}, added to the default broken {@code FlowTemp} and
 * {@code ConsumptionTotal}).
 */
@Component(service = HeatpumpSimulator.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + VaillantDriver.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=" + VaillantDriver.MODEL_ID})
public final class VaillantSimulatorService implements HeatpumpSimulator {

    private final List<EbusdSimulator> running = new CopyOnWriteArrayList<>();

    @Override
    public String manufacturerId() {
        return VaillantDriver.MANUFACTURER_ID;
    }

    @Override
    public String modelId() {
        return VaillantDriver.MODEL_ID;
    }

    @Override
    public Running start(int port, DeviceConfig deviceConfig) throws IOException {
        DeviceConfig config = deviceConfig == null ? DeviceConfig.empty() : deviceConfig;
        String hmu = config.options().getOrDefault(VaillantDriver.OPTION_HEATPUMP_CIRCUIT,
                VaillantDriver.DEFAULT_HEATPUMP_CIRCUIT);
        String ctl = config.options().getOrDefault(VaillantDriver.OPTION_CONTROLLER_CIRCUIT,
                VaillantDriver.DEFAULT_CONTROLLER_CIRCUIT);
        EbusdSimulator sim = EbusdSimulator.start(port, hmu, ctl);
        for (String m : config.options().getOrDefault("broken", "").split(",")) {
            if (!m.isBlank()) {
                sim.broken(m.trim(), true);
            }
        }
        for (String m : config.options().getOrDefault("missing", "").split(",")) {
            if (!m.isBlank()) {
                sim.missing(m.trim(), true);
            }
        }
        running.add(sim);
        return sim;
    }

    /** A bundle stop or update must not leave a listening socket or a thread behind. */
    @Deactivate
    void deactivate() {
        for (EbusdSimulator sim : running) {
            sim.close();
        }
        running.clear();
    }
}
