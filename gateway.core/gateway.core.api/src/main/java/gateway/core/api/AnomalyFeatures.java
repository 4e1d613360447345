package gateway.core.api;

import java.util.List;

/**
 * Which sensors of a device configuration describe its behaviour well enough to learn "normal" from (temperatures,
 * powers, compressor state), and which of them play a role in derived features. Settings, counters and energy totals
 * are not features: they move by user action or grow without bound.
 *
 * @param sensors           feature sensor ids, in a stable order
 * @param flowTemperature   heat pump flow temperature sensor id, or null (with the return: the spread flow − return)
 * @param returnTemperature heat pump return temperature sensor id, or null
 * @param thermalPower      thermal output power sensor id (kW), or null (with the electrical: the instant COP)
 * @param electricalPower   electrical input power sensor id (kW), or null
 */
public record AnomalyFeatures(List<String> sensors, String flowTemperature, String returnTemperature,
                              String thermalPower, String electricalPower) {

    /** A driver that names no features: the device gets no anomaly model. */
    public static final AnomalyFeatures NONE = new AnomalyFeatures(List.of(), null, null, null, null);

    public AnomalyFeatures {
        sensors = sensors == null ? List.of() : List.copyOf(sensors);
    }

    public boolean isEmpty() {
        return sensors.isEmpty();
    }
}
