package gateway.ml.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import gateway.core.api.AnomalyStore.Contribution;

/**
 * One device's model for one operating mode: the scaler, the trees, and the alarm state (warm-up, hits in a row,
 * cooldown). Scores each sample against what came before; learns at most one sample per learning interval
 * ({@link DetectorSettings#learnInterval()}), anomalies included (as the original).
 */
public final class ModeModel {

    /** What one sample did to the model. */
    public record Result(double score, boolean hit, boolean alarm, boolean warm) {
    }

    private final List<String> names;
    private final DetectorSettings settings;
    private final RunningScaler scaler;
    private final HalfSpaceTrees trees;
    private final double[] scaled;
    private long samples;
    private int consecutive;
    private Instant lastAlarm;
    /** Epoch millis of the last learned sample (Long.MIN_VALUE: none yet). */
    private long lastLearned = Long.MIN_VALUE;
    private final long learnIntervalMillis;

    public ModeModel(List<String> names, DetectorSettings settings) {
        this.names = List.copyOf(names);
        this.settings = settings;
        this.scaler = new RunningScaler(names.size());
        this.trees = new HalfSpaceTrees(names.size(), settings.trees(), settings.height(), settings.window(),
                settings.seed(), settings.sizeLimit())
                .firstWindow(Math.max(settings.warmupSamples(), 2 * settings.sizeLimit()));
        this.scaled = new double[names.size()];
        this.learnIntervalMillis = settings.learnInterval().toMillis();
    }

    public List<String> names() {
        return names;
    }

    public DetectorSettings settings() {
        return settings;
    }

    public long samples() {
        return samples;
    }

    public HalfSpaceTrees trees() {
        return trees;
    }

    public Instant lastAlarm() {
        return lastAlarm;
    }

    /** Past the warm-up and with a reference window, so a high score may count as a hit. */
    public boolean warm() {
        return samples >= settings.warmupSamples() && trees.ready();
    }

    /** Scores {@code raw}; learns it too when the learning interval has passed since the last learned sample. */
    public Result process(double[] raw, Instant time) {
        scaler.scale(raw, scaled);
        long now = time.toEpochMilli();
        double score;
        if (lastLearned == Long.MIN_VALUE || now - lastLearned >= learnIntervalMillis || now < lastLearned) {
            lastLearned = now;
            scaler.learn(raw);
            score = trees.scoreAndLearn(scaled);
        } else {
            score = trees.score(scaled);
        }
        samples++;
        return gate(score, time);
    }

    /** The alarm rule alone: a hit is a warm score at or above the threshold; N hits in a row raise an alarm. */
    Result gate(double score, Instant time) {
        boolean warm = warm();
        boolean hit = warm && score >= settings.effectiveThreshold();
        if (!hit) {
            consecutive = 0;
            return new Result(score, false, false, warm);
        }
        consecutive++;
        boolean cooled = lastAlarm == null || !time.isBefore(lastAlarm.plus(settings.cooldown()));
        if (consecutive >= settings.consecutiveHits() && cooled) {
            lastAlarm = time;
            consecutive = 0;
            return new Result(score, true, true, true);
        }
        return new Result(score, true, false, true);
    }

    /** The {@code n} features of {@code raw} furthest from their running mean, largest |z| first. */
    public List<Contribution> contributions(double[] raw, int n) {
        List<Contribution> all = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (!Double.isNaN(raw[i])) {
                all.add(new Contribution(names.get(i), raw[i], scaler.mean(i), scaler.z(i, raw[i])));
            }
        }
        all.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.z())));
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }

    void writeTo(DataOutputStream out) throws IOException {
        out.writeLong(samples);
        out.writeInt(consecutive);
        out.writeLong(lastAlarm == null ? Long.MIN_VALUE : lastAlarm.toEpochMilli());
        out.writeLong(lastLearned);
        scaler.writeTo(out);
        trees.writeTo(out);
    }

    void readFrom(DataInputStream in) throws IOException {
        samples = in.readLong();
        consecutive = in.readInt();
        long last = in.readLong();
        lastAlarm = last == Long.MIN_VALUE ? null : Instant.ofEpochMilli(last);
        lastLearned = in.readLong();
        if (samples < 0 || consecutive < 0) {
            throw new IOException("inconsistent alarm state");
        }
        scaler.readFrom(in);
        trees.readFrom(in);
    }
}
