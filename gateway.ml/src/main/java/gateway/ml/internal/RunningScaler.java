package gateway.ml.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Running mean and variance per feature (Welford), and the mapping of a value to [0, 1] the trees expect: its z-score
 * over ±{@link #SPAN} standard deviations, clamped. A missing value (NaN) maps to the middle, i.e. "as usual".
 */
public final class RunningScaler {

    /** Standard deviations from the mean to the edge of [0, 1]. */
    static final double SPAN = 3.0;
    /**
     * Floor of the standard deviation, relative to the mean's magnitude plus an absolute part, so a feature that was
     * constant so far (a compressor that is always on in heating mode) does not turn 0.01 of rounding into "infinite".
     */
    static final double MIN_STD_ABS = 0.05;
    static final double MIN_STD_REL = 0.01;

    private final int dimensions;
    private long count;
    private final double[] mean;
    private final double[] m2;
    private final long[] seen;

    public RunningScaler(int dimensions) {
        this.dimensions = dimensions;
        this.mean = new double[dimensions];
        this.m2 = new double[dimensions];
        this.seen = new long[dimensions];
    }

    public long count() {
        return count;
    }

    public double mean(int i) {
        return mean[i];
    }

    public double std(int i) {
        double var = seen[i] > 1 ? m2[i] / (seen[i] - 1) : 0;
        return Math.max(Math.sqrt(var), MIN_STD_ABS + MIN_STD_REL * Math.abs(mean[i]));
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
            double u = 0.5 + z(i, raw[i]) / (2 * SPAN);
            out[i] = u < 0 ? 0 : Math.min(1, u);
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
            double d = v - mean[i];
            mean[i] += d / n;
            m2[i] += d * (v - mean[i]);
        }
    }

    void writeTo(DataOutputStream out) throws IOException {
        out.writeLong(count);
        for (int i = 0; i < dimensions; i++) {
            out.writeLong(seen[i]);
            out.writeDouble(mean[i]);
            out.writeDouble(m2[i]);
        }
    }

    void readFrom(DataInputStream in) throws IOException {
        count = in.readLong();
        for (int i = 0; i < dimensions; i++) {
            seen[i] = in.readLong();
            mean[i] = in.readDouble();
            m2[i] = in.readDouble();
            if (seen[i] < 0 || !Double.isFinite(mean[i]) || !(m2[i] >= 0)) {
                throw new IOException("inconsistent scaler state");
            }
        }
    }
}
