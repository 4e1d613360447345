package gateway.ml.internal;

import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: one sample scored and learned by a mode model with the default settings (scaler + 25 trees of height 15,
 * window 250), on 20 features (more than the iDM driver's 15). {@link #scoreAndLearn} learns every sample (learning
 * interval 0: the worst case, what the target is about); {@link #inService} polls every 30 s with the default
 * 5 min learning interval, so one sample in ten is learned and the others are only scored. The stream is
 * a slowly moving normal operating point with noise, so the mass tables hold what they hold in service.
 * {@link #main} prints the memory a trained model holds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HalfSpaceTreesBenchmark {

    static final int FEATURES = 20;
    static final int STREAM = 4096;

    /** The original's window, and a day of 30 s samples with an absolute size limit. */
    @Param({"250"})
    int window;

    @Param({"0"})
    int sizeLimit;

    private ModeModel model;
    private ModeModel service;
    private double[][] stream;
    private int next;
    private java.time.Instant time = java.time.Instant.EPOCH;

    @Setup
    public void setup() {
        DetectorSettings s = DetectorSettings.DEFAULTS.withWindow(window, sizeLimit);
        model = new ModeModel(names(), s.withLearnInterval(java.time.Duration.ZERO));
        service = new ModeModel(names(), s);
        stream = stream(new Random(7), STREAM);
        for (int k = 0; k < 8; k++) {
            for (double[] x : stream) {
                model.process(x, time); // trained past the first windows before measuring
                time = time.plusSeconds(30);
                service.process(x, time);
            }
        }
    }

    @Benchmark
    public double scoreAndLearn() {
        double[] x = stream[next];
        next = (next + 1) & (STREAM - 1);
        return model.process(x, time).score();
    }

    @Benchmark
    public double inService() {
        double[] x = stream[next];
        next = (next + 1) & (STREAM - 1);
        time = time.plusSeconds(30);
        return service.process(x, time).score();
    }

    static java.util.List<String> names() {
        java.util.List<String> n = new java.util.ArrayList<>();
        for (int i = 0; i < FEATURES; i++) {
            n.add("f" + i);
        }
        return n;
    }

    static double[][] stream(Random rnd, int n) {
        double[][] out = new double[n][FEATURES];
        for (int k = 0; k < n; k++) {
            double phase = 2 * Math.PI * k / 2880.0;
            for (int i = 0; i < FEATURES; i++) {
                out[k][i] = 20 + 10 * Math.sin(phase + i) + rnd.nextGaussian() * (0.2 + i % 3);
            }
        }
        return out;
    }

    /** Memory per model after 10,000 samples: stored nodes and the bytes of their tables. */
    public static void main(String[] args) {
        ModeModel m = new ModeModel(names(), DetectorSettings.DEFAULTS.withLearnInterval(java.time.Duration.ZERO));
        double[][] s = stream(new Random(7), 10_000);
        for (double[] x : s) {
            m.process(x, java.time.Instant.EPOCH);
        }
        HalfSpaceTrees t = m.trees();
        System.out.printf(Locale.ROOT, "model after 10000 samples: %d stored nodes over %d trees (a complete tree of "
                        + "height %d has %d), about %.0f KiB; worst case bound 2 x window x (height+1) x trees = %d "
                        + "nodes%n", t.storedNodes(), t.trees(), t.height(), (1 << (t.height() + 1)) - 1,
                t.approximateBytes() / 1024.0, 2 * t.window() * (t.height() + 1) * t.trees());
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            ModelFiles.write(new java.io.DataOutputStream(bytes), m, ModelFiles.FORMAT_VERSION);
            System.out.printf(Locale.ROOT, "saved model file: %d KiB%n", bytes.size() / 1024);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
