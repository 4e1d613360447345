package gateway.core.api;

import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Stored history of good readings. */
@ProviderType
public interface HistoryStore {

    /**
     * One point of a (possibly downsampled) series: the average of the bucket, with its extremes.
     */
    record Point(Instant time, double value, double min, double max) {
    }

    /**
     * Readings of one sensor in [from, to], downsampled to at most {@code points} buckets (0 = raw).
     */
    List<Point> query(String heatpumpId, String sensorId, Instant from, Instant to, int points);

    /** Sensor ids that have history for the device. */
    List<String> sensorsWithHistory(String heatpumpId);
}
