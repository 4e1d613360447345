package gateway.ml.internal;

import java.time.Duration;

/**
 * What a model and its alarm use; defaults as the original ML service (25 trees, height 15, window 250, seed 42,
 * threshold 0.7, 120 warm-up samples, 3 hits in a row, 1 h cooldown).
 *
 * @param sensitivity scales the distance of the threshold from 1: 1 keeps it, 2 halves it (more alarms), 0.5 moves
 *                    it half-way towards 1 (fewer)
 */
public record DetectorSettings(int trees, int height, int window, long seed, double threshold, double sensitivity,
                               int warmupSamples, int consecutiveHits, Duration cooldown, int sizeLimit) {

    public static final DetectorSettings DEFAULTS =
            new DetectorSettings(25, 15, 250, 42, 0.7, 1.0, 120, 3, Duration.ofHours(1));

    public DetectorSettings {
        trees = Math.max(1, trees);
        height = Math.max(1, Math.min(30, height));
        window = Math.max(2, window);
        threshold = Math.max(0, Math.min(1, threshold));
        sensitivity = Math.max(0, sensitivity);
        warmupSamples = Math.max(0, warmupSamples);
        consecutiveHits = Math.max(1, consecutiveHits);
        cooldown = cooldown == null || cooldown.isNegative() ? Duration.ZERO : cooldown;
        sizeLimit = Math.max(0, sizeLimit);
    }

    /** With the paper's size limit (10 % of the window). */
    public DetectorSettings(int trees, int height, int window, long seed, double threshold, double sensitivity,
                            int warmupSamples, int consecutiveHits, Duration cooldown) {
        this(trees, height, window, seed, threshold, sensitivity, warmupSamples, consecutiveHits, cooldown, 0);
    }

    /** The threshold after the sensitivity: {@code 1 − (1 − threshold) × sensitivity}, within [0, 1]. */
    public double effectiveThreshold() {
        return Math.max(0, Math.min(1, 1 - (1 - threshold) * sensitivity));
    }

    public DetectorSettings withThreshold(double t) {
        return new DetectorSettings(trees, height, window, seed, t, sensitivity, warmupSamples, consecutiveHits,
                cooldown, sizeLimit);
    }

    public DetectorSettings withSensitivity(double s) {
        return new DetectorSettings(trees, height, window, seed, threshold, s, warmupSamples, consecutiveHits,
                cooldown, sizeLimit);
    }

    public DetectorSettings withWindow(int w, int limit) {
        return new DetectorSettings(trees, height, w, seed, threshold, sensitivity, warmupSamples, consecutiveHits,
                cooldown, limit);
    }

    public DetectorSettings withConsecutiveHits(int hits) {
        return new DetectorSettings(trees, height, window, seed, threshold, sensitivity, warmupSamples, hits,
                cooldown, sizeLimit);
    }
}
