package gateway.ml.internal;

import java.time.Duration;

/**
 * What a model and its alarm use; defaults as the original ML service (25 trees, height 15, window 250, seed 42,
 * threshold 0.7, 120 warm-up samples, 3 hits in a row, 1 h cooldown), plus the learning interval.
 *
 * @param sensitivity   scales the distance of the threshold from 1: 1 keeps it, 2 halves it (more alarms), 0.5 moves
 *                      it half-way towards 1 (fewer)
 * @param learnInterval every sample is scored, but a mode's model learns at most one sample per interval of that
 *                      mode's time, so its 250-sample window spans about a day of operation (250 × 5 min ≈ 21 h)
 *                      instead of two hours of 30 s polls: the reference then holds the whole daily cycle (night,
 *                      day, outdoor swing) rather than the last two hours, which a slow daily change would leave.
 *                      Zero learns every sample (the original).
 * @param referenceSpan the wall time a rare mode's window should span: a mode that takes a small share of the time
 *                      (hot water, about an hour a day) learns more often than {@code learnInterval}, at
 *                      {@code share × referenceSpan / window} but at least {@link #MIN_LEARN_INTERVAL} apart, so its
 *                      reference is renewed within days rather than weeks; one stay in the mode learns at that pace
 *                      for at most a quarter of the window, then at {@code learnInterval} (an endless faulty charge
 *                      must not fill the window unseen). While such a shortened-interval mode is in an alarm
 *                      episode (an alarm raised, until its cooldown has passed and a sample is no hit), its trees
 *                      learn nothing, so a detected faulty run (an 8 h hot-water charge) does not become the
 *                      reference that masks the next one; its scaler still learns.
 *                      Frequent modes (share × span ≥ window × learnInterval) keep the plain interval and learn
 *                      through alarms as before. Zero keeps the plain interval for every mode.
 */
public record DetectorSettings(int trees, int height, int window, long seed, double threshold, double sensitivity,
                               int warmupSamples, int consecutiveHits, Duration cooldown, int sizeLimit,
                               Duration learnInterval, Duration referenceSpan) {

    /** The default learning interval: one sample per 5 minutes of a mode's time. */
    public static final Duration DEFAULT_LEARN_INTERVAL = Duration.ofMinutes(5);

    /** The default reference span: a rare mode's window spans about two days. */
    public static final Duration DEFAULT_REFERENCE_SPAN = Duration.ofHours(48);
    /** The shortest interval a rare mode learns at: every other 30 s poll. */
    public static final Duration MIN_LEARN_INTERVAL = Duration.ofSeconds(60);

    public static final DetectorSettings DEFAULTS =
            new DetectorSettings(25, 15, 250, 42, 0.7, 1.0, 120, 3, Duration.ofHours(1), 0, DEFAULT_LEARN_INTERVAL,
                    DEFAULT_REFERENCE_SPAN);

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
        learnInterval = learnInterval == null || learnInterval.isNegative() ? Duration.ZERO : learnInterval;
        referenceSpan = referenceSpan == null || referenceSpan.isNegative() ? Duration.ZERO : referenceSpan;
    }

    /** With a fixed learning interval for every mode (no reference span). */
    public DetectorSettings(int trees, int height, int window, long seed, double threshold, double sensitivity,
                            int warmupSamples, int consecutiveHits, Duration cooldown, int sizeLimit,
                            Duration learnInterval) {
        this(trees, height, window, seed, threshold, sensitivity, warmupSamples, consecutiveHits, cooldown, sizeLimit,
                learnInterval, Duration.ZERO);
    }

    /** With the paper's size limit (10 % of the window), learning every sample. */
    public DetectorSettings(int trees, int height, int window, long seed, double threshold, double sensitivity,
                            int warmupSamples, int consecutiveHits, Duration cooldown) {
        this(trees, height, window, seed, threshold, sensitivity, warmupSamples, consecutiveHits, cooldown, 0,
                Duration.ZERO, Duration.ZERO);
    }

    /** The threshold after the sensitivity: {@code 1 − (1 − threshold) × sensitivity}, within [0, 1]. */
    public double effectiveThreshold() {
        return Math.max(0, Math.min(1, 1 - (1 - threshold) * sensitivity));
    }

    public DetectorSettings withThreshold(double t) {
        return new DetectorSettings(trees, height, window, seed, t, sensitivity, warmupSamples, consecutiveHits,
                cooldown, sizeLimit, learnInterval, referenceSpan);
    }

    public DetectorSettings withSensitivity(double s) {
        return new DetectorSettings(trees, height, window, seed, threshold, s, warmupSamples, consecutiveHits,
                cooldown, sizeLimit, learnInterval, referenceSpan);
    }

    public DetectorSettings withWindow(int w, int limit) {
        return new DetectorSettings(trees, height, w, seed, threshold, sensitivity, warmupSamples, consecutiveHits,
                cooldown, limit, learnInterval, referenceSpan);
    }

    public DetectorSettings withConsecutiveHits(int hits) {
        return new DetectorSettings(trees, height, window, seed, threshold, sensitivity, warmupSamples, hits,
                cooldown, sizeLimit, learnInterval, referenceSpan);
    }

    public DetectorSettings withLearnInterval(Duration interval) {
        return new DetectorSettings(trees, height, window, seed, threshold, sensitivity, warmupSamples, consecutiveHits,
                cooldown, sizeLimit, interval, referenceSpan);
    }

    public DetectorSettings withReferenceSpan(Duration span) {
        return new DetectorSettings(trees, height, window, seed, threshold, sensitivity, warmupSamples, consecutiveHits,
                cooldown, sizeLimit, learnInterval, span);
    }

    public DetectorSettings withWarmup(int samples) {
        return new DetectorSettings(trees, height, window, seed, threshold, sensitivity, samples, consecutiveHits,
                cooldown, sizeLimit, learnInterval, referenceSpan);
    }
}
