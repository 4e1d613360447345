package gateway.ml.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Slow, robust mean and variance per feature, and the mapping of a value to [0, 1] the trees expect.
 *
 * <p>Mapping: the distance from the mean in standard deviations, folded, {@code |z| / SPAN}, clamped to 1. Folding
 * puts normal data near 0 (within 3 σ below 0.375) and every strong deviation, above or below the mean, near 1: a
 * tree's random split of that feature (within the middle 70 % of its range) then separates a strong deviation from
 * normal data two times in three or more, instead of at most one in two (with the sign kept, a split on the wrong
 * side of the mean can never separate it), and
 * splits that miss normal data do not divide its mass, so walks reach deeper and every feature gets its turn. A
 * missing value (NaN) maps to 0, "as usual".
 *
 * <p>Learning: exact running mean and (population) variance for the first {@link #HORIZON} values, then exponential
 * forgetting over that horizon (a season moves the normal operating point). Once {@link #ROBUST_AFTER} values are
 * in, a value is clipped to mean ± {@link #CLIP} σ before it is learned, so hours of a fault (which the model
 * learns, as the original) barely widen the spread that later faults are measured against.
 */
public final class RunningScaler {

    /** Standard deviations from the mean at which the scaled value reaches 1. */
    static final double SPAN = 8.0;
    /** Values learned with equal weight before exponential forgetting starts (a week of 5 min samples). */
    static final int HORIZON = 2000;
    static final int ROBUST_AFTER = 50;
    static final double CLIP = 3.0;
    /**
     * Floor of the standard deviation, relative to the mean's magnitude plus an absolute part, so a feature that was
     * constant so far (a compressor that is always on in heating mode) does not turn 0.01 of rounding into "infinite".
     */
    static final double MIN_STD_ABS = 0.05;
    static final double MIN_STD_REL = 0.01;

    private final int dimensions;
    private long count;
    private final double[] mean;
    private final double[] var;
    private final long[] seen;
    /** Cached 1 / (SPAN × std), refreshed when a feature learns. */
    private final double[] invScale;

    public RunningScaler(int dimensions) {
        this.dimensions = dimensions;
        this.mean = new double[dimensions];
        this.var = new double[dimensions];
        this.seen = new long[dimensions];
        this.invScale = new double[dimensions];
    }

    public long count() {
        return count;
    }

    public double mean(int i) {
        return mean[i];
    }

    public double std(int i) {
        return Math.max(Math.sqrt(var[i]), MIN_STD_ABS + MIN_STD_REL * Math.abs(mean[i]));
    }

    /** z-score of {@code value} for feature {@code i}; 0 for NaN or before any value was seen. */
    public double z(int i, double value) {
        if (Double.isNaN(value) || seen[i] == 0) {
            return 0;
        }
        return (value - mean[i]) / std(i);
    }

    /** Writes the scaled sample into {@code out} (without learning it). */
    public void scale(double[] raw, double[] out) {
        for (int i = 0; i < dimensions; i++) {
            double v = raw[i];
            // NaN compares false: a missing value maps to 0
            double u = v == v ? Math.abs(v - mean[i]) * invScale[i] : 0;
            out[i] = u < 1 ? u : 1;
        }
    }

    public void learn(double[] raw) {
        count++;
        for (int i = 0; i < dimensions; i++) {
            double v = raw[i];
            if (Double.isNaN(v)) {
                continue;
            }
            long n = ++seen[i];
            if (n > ROBUST_AFTER) {
                double limit = CLIP * std(i);
                v = Math.max(mean[i] - limit, Math.min(mean[i] + limit, v));
            }
            double a = 1.0 / Math.min(n, HORIZON);
            double d = v - mean[i];
            mean[i] += a * d;
            var[i] = (1 - a) * (var[i] + a * d * d);
            invScale[i] = 1 / (SPAN * std(i));
        }
    }

    void writeTo(DataOutputStream out) throws IOException {
        out.writeLong(count);
        for (int i = 0; i < dimensions; i++) {
            out.writeLong(seen[i]);
            out.writeDouble(mean[i]);
            out.writeDouble(var[i]);
        }
    }

    void readFrom(DataInputStream in) throws IOException {
        count = in.readLong();
        for (int i = 0; i < dimensions; i++) {
            seen[i] = in.readLong();
            mean[i] = in.readDouble();
            var[i] = in.readDouble();
            if (seen[i] < 0 || !Double.isFinite(mean[i]) || !(var[i] >= 0)) {
                throw new IOException("inconsistent scaler state");
            }
            invScale[i] = seen[i] == 0 ? 0 : 1 / (SPAN * std(i));
        }
    }
}
