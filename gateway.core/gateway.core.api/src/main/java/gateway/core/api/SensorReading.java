package gateway.core.api;

import java.time.Instant;

/**
 * One sensor's value at one poll.
 *
 * @param sensorId  the sensor
 * @param value     the engineering value (enums and bit fields: their number); null unless GOOD or STALE
 * @param text      a label for enums, the set bits' labels for bit fields, or the value of a STRING sensor; may be null
 * @param quality   how far to trust the value
 * @param timestamp when the value was read from the device (for STALE: the original read time)
 * @param error     why the quality is not GOOD (sentinel seen, exception text), else null
 */
public record SensorReading(String sensorId, Double value, String text, Quality quality, Instant timestamp,
                            String error) {

    public static SensorReading good(String sensorId, double value, String text, Instant at) {
        return new SensorReading(sensorId, value, text, Quality.GOOD, at, null);
    }

    public static SensorReading text(String sensorId, String text, Instant at) {
        return new SensorReading(sensorId, null, text, Quality.GOOD, at, null);
    }

    public static SensorReading invalid(String sensorId, String why, Instant at) {
        return new SensorReading(sensorId, null, null, Quality.INVALID, at, why);
    }

    public static SensorReading error(String sensorId, String why, Instant at) {
        return new SensorReading(sensorId, null, null, Quality.ERROR, at, why);
    }

    /** The same value marked as left over from an earlier poll. */
    public SensorReading stale() {
        return quality == Quality.GOOD || quality == Quality.STALE
                ? new SensorReading(sensorId, value, text, Quality.STALE, timestamp, error)
                : this;
    }

    public boolean good() {
        return quality == Quality.GOOD;
    }
}
