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

    /** Receives exported rows one at a time. */
    @FunctionalInterface
    interface RowSink {
        void row(String sensorId, Instant time, double value) throws java.io.IOException;
    }

    /**
     * Every stored reading of the given sensors in [from, to], ordered by time then sensor, handed to {@code sink}
     * one row at a time so that a long range never sits in memory. This default goes sensor by sensor through
     * {@link #query} (raw, so bounded by the store's cap); stores override it with a streaming cursor.
     */
    default void export(String heatpumpId, List<String> sensorIds, Instant from, Instant to, RowSink sink)
            throws java.io.IOException {
        for (String sensor : sensorIds) {
            for (Point p : query(heatpumpId, sensor, from, to, 0)) {
                sink.row(sensor, p.time(), p.value());
            }
        }
    }
}
