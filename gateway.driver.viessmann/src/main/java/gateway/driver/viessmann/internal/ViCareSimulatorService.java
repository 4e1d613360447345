package gateway.driver.viessmann.internal;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpSimulator;

/**
 * Offers the fake ViCare API to the demo mode and the tests. A device reaches it through the connection options of
 * {@link HeatpumpSimulator.Running#connectionOptions()} (base URL, token URL and the credentials it accepts). Options
 * {@value #DAILY_LIMIT} and {@value #TEN_MINUTE_LIMIT} lower the quota the fake API enforces.
 */
@Component(service = HeatpumpSimulator.class, property = {
    HeatpumpDriver.MANUFACTURER_PROPERTY + "=" + ViCareDriver.MANUFACTURER_ID,
    HeatpumpDriver.MODEL_PROPERTY + "=" + ViCareDriver.MODEL_ID})
public final class ViCareSimulatorService implements HeatpumpSimulator {

    /** Simulator options: the quota the fake API enforces (the basic tier's 1,450 and 120 by default). */
    public static final String DAILY_LIMIT = "daily_limit";
    public static final String TEN_MINUTE_LIMIT = "ten_minute_limit";

    private final List<ViCareSimulator> running = new CopyOnWriteArrayList<>();

    @Override
    public String manufacturerId() {
        return ViCareDriver.MANUFACTURER_ID;
    }

    @Override
    public String modelId() {
        return ViCareDriver.MODEL_ID;
    }

    @Override
    public Running start(int port, DeviceConfig deviceConfig) throws IOException {
        ViCareSimulator sim = ViCareSimulator.start(port, Clock.systemUTC());
        Map<String, String> o = deviceConfig == null ? Map.of() : deviceConfig.options();
        try {
            sim.limits(Integer.parseInt(o.getOrDefault(DAILY_LIMIT, String.valueOf(ViCareQuota.DAILY_LIMIT))),
                    Integer.parseInt(o.getOrDefault(TEN_MINUTE_LIMIT, String.valueOf(ViCareQuota.TEN_MINUTE_LIMIT))));
        } catch (NumberFormatException e) {
            sim.close();
            throw new IllegalArgumentException(DAILY_LIMIT + " and " + TEN_MINUTE_LIMIT + " must be numbers", e);
        }
        running.add(sim);
        return sim;
    }

    /** A bundle stop or update must not leave a listening socket or a thread behind. */
    @Deactivate
    void deactivate() {
        running.forEach(ViCareSimulator::close);
        running.clear();
    }
}
