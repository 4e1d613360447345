package gateway.core.api;

import java.util.Map;

/**
 * What one read of a sensor set produced.
 *
 * @param readings  per sensor id (every requested readable sensor appears, with quality)
 * @param requests  protocol requests sent
 * @param bytes     payload bytes received
 */
public record ReadResult(Map<String, SensorReading> readings, int requests, long bytes) {
    public ReadResult {
        readings = Map.copyOf(readings);
    }
}
