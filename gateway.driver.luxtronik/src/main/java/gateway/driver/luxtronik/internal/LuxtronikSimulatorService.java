package gateway.driver.luxtronik.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpSimulator;

/**
 * Offers the Luxtronik simulator to the demo mode and the tests. Device options: {@code firmware} (default
 * V3.88.1; a *.90.* value reboots on writes), {@code heat_quantity_bug} (true serves C151–154 with the sign bug).
 */
@Component(service = HeatpumpSimulator.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + LuxtronikDriver.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=" + LuxtronikDriver.MODEL_ID})
public final class LuxtronikSimulatorService implements HeatpumpSimulator {

    public static final String DEFAULT_FIRMWARE = "V3.88.1";

    private final List<LuxtronikSimulator> running = new CopyOnWriteArrayList<>();

    @Override
    public String manufacturerId() {
        return LuxtronikDriver.MANUFACTURER_ID;
    }

    @Override
    public String modelId() {
        return LuxtronikDriver.MODEL_ID;
    }

    @Override
    public Running start(int port, DeviceConfig deviceConfig) throws IOException {
        DeviceConfig config = deviceConfig == null ? DeviceConfig.empty() : deviceConfig;
        LuxtronikSimulator sim = LuxtronikSimulator.start(port, config.options().getOrDefault("firmware",
                DEFAULT_FIRMWARE));
        sim.heatQuantityBug(Boolean.parseBoolean(config.options().getOrDefault("heat_quantity_bug", "false")));
        running.add(sim);
        return sim;
    }

    /** A bundle stop or update must not leave a listening socket or a thread behind. */
    @Deactivate
    void deactivate() {
        for (LuxtronikSimulator sim : running) {
            sim.close();
        }
        running.clear();
    }
}
