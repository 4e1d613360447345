package gateway.core.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Anomaly detection results: the score series per device (stored as the history sensors {@link #SCORE_SENSOR} and
 * {@link #FLAG_SENSOR}, so they chart like any sensor) and the anomaly events, which wait in the store until the alert
 * engine has notified them.
 */
@ProviderType
public interface AnomalyStore {

    /** History sensor id of the anomaly score (0 normal … 1 anomalous). */
    String SCORE_SENSOR = "anomaly_score";
    /** History sensor id of the anomaly flag (1 while the score is above the threshold). */
    String FLAG_SENSOR = "anomaly_flag";

    /** A feature that stood out in an anomalous sample: its value against the model's running mean. */
    record Contribution(String feature, double value, double mean, double z) {
    }

    /**
     * One raised anomaly (after warm-up, consecutive hits and cooldown).
     *
     * @param id         store id (0 before it is stored)
     * @param mode       the operating mode whose model raised it
     * @param threshold  the score threshold in force
     * @param features   the features that stood out most, largest |z| first
     * @param context    the sample's feature values
     * @param notifiedAt when the alert engine notified it, or null while pending
     */
    record Event(long id, String heatpumpId, Instant time, OperatingMode mode, double score, double threshold,
                 List<Contribution> features, Map<String, Double> context, Instant notifiedAt) {
        public Event {
            features = features == null ? List.of() : List.copyOf(features);
            context = context == null ? Map.of() : Map.copyOf(context);
        }
    }

    /** The latest score of a device. */
    record Score(Instant time, double score, boolean flag) {
    }

    /** Appends a score sample to the device's history. */
    void recordScore(String heatpumpId, Instant time, double score, boolean flag);

    /** The device's latest score since the gateway started (for /metrics), if any. */
    default java.util.Optional<Score> latestScore(String heatpumpId) {
        return java.util.Optional.empty();
    }

    /** Stores an event; returns it with its id. */
    Event record(Event event);

    /** Events in [from, to], newest first; {@code heatpumpId} null = every device. */
    List<Event> events(String heatpumpId, Instant from, Instant to, int limit);

    /** Events the alert engine has not notified yet, oldest first. */
    List<Event> pending(int limit);

    void markNotified(long id, Instant at);
}
