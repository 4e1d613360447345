package gateway.core.api;

import java.time.Instant;
import java.util.Map;

/**
 * The result of one poll of one device: every polled sensor with its quality.
 *
 * @param heatpumpId device id
 * @param manufacturer manufacturer id (for labels, without a lookup)
 * @param model      model id
 * @param time       when the poll started
 * @param readings   per sensor id
 */
public record DeviceSnapshot(String heatpumpId, String manufacturer, String model, Instant time,
                             Map<String, SensorReading> readings) {

    public DeviceSnapshot {
        readings = Map.copyOf(readings);
    }

    public SensorReading reading(String sensorId) {
        return readings.get(sensorId);
    }
}
