package gateway.ml.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import gateway.core.api.AnomalyStore.Contribution;

/**
 * One device's model for one operating mode: the scaler, the trees, and the alarm state (warm-up, hits in a row,
 * cooldown). Scores each sample against what came before; learns at most one sample per learning interval
 * ({@link DetectorSettings#learnInterval()}), anomalies included (as the original). A rarely used mode learns more
 * often and skips its alarm episodes (see {@link DetectorSettings#referenceSpan()}); the mode's share of the time is
 * estimated here from the gaps between its own samples.
 */
public final class ModeModel {

    /** What one sample did to the model. */
    public record Result(double score, boolean hit, boolean alarm, boolean warm) {
    }

    /** A gap between two samples of a mode up to this long is time spent in it (polls are 30 s). */
    static final long CONTINUITY_MILLIS = Duration.ofMinutes(5).toMillis();
    /** The mode's share of time is averaged over about a week (exponential forgetting). */
    static final double SHARE_MEMORY_MILLIS = Duration.ofDays(7).toMillis();
    /** A rare mode learns at its shortened interval for at most window / this many samples of one stay. */
    static final int STAY_SHARE = 4;
    static final long MIN_LEARN_MILLIS = DetectorSettings.MIN_LEARN_INTERVAL.toMillis();

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
    /** Time of the last sample of this mode (Long.MIN_VALUE: none yet). */
    private long lastSeen = Long.MIN_VALUE;
    /** Decayed wall time since the first sample, and the decayed part of it spent in this mode (millis). */
    private double wallMillis;
    private double modeMillis;
    /** An alarm was raised and its episode has not ended (cooldown passed and a sample no hit). */
    private boolean episode;
    /** Samples learned in the current stay in this mode (a stay ends at a gap longer than CONTINUITY_MILLIS). */
    private int stayLearned;

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
        observe(now);
        long interval = learnIntervalMillis();
        boolean rare = interval < learnIntervalMillis;
        if (rare && stayLearned >= settings.window() / STAY_SHARE) {
            // one long stay (a charge that never ends) must not fill a rare mode's window: back to the plain interval
            interval = learnIntervalMillis;
        }
        if (episode && consecutive == 0 && !cooling(time)) {
            episode = false;
        }
        double score;
        if (lastLearned == Long.MIN_VALUE || now - lastLearned >= interval || now < lastLearned) {
            lastLearned = now;
            stayLearned++;
            scaler.learn(raw);
            // a rare mode's window is short enough for one faulty run to fill it: keep the episode out of it
            score = episode && rare ? trees.score(scaled) : trees.scoreAndLearn(scaled);
        } else {
            score = trees.score(scaled);
        }
        samples++;
        return gate(score, time);
    }

    /** Adds the time since this mode's previous sample to the wall time, and to the mode's time if it stayed. */
    private void observe(long now) {
        if (lastSeen != Long.MIN_VALUE && now > lastSeen) {
            double dt = now - lastSeen;
            double decay = Math.exp(-dt / SHARE_MEMORY_MILLIS);
            wallMillis = wallMillis * decay + dt;
            modeMillis = modeMillis * decay + (dt <= CONTINUITY_MILLIS ? dt : 0);
            if (dt > CONTINUITY_MILLIS) {
                stayLearned = 0;
            }
        }
        if (lastSeen == Long.MIN_VALUE || now > lastSeen) {
            lastSeen = now;
        }
    }

    /** The mode's share of the (recent) wall time, 1 until a second sample. */
    double share() {
        return wallMillis > 0 ? modeMillis / wallMillis : 1;
    }

    /**
     * The learning interval for this mode now: the configured one, or shorter for a rare mode so that its window
     * spans about the reference span of wall time, but not below {@link DetectorSettings#MIN_LEARN_INTERVAL}.
     */
    long learnIntervalMillis() {
        long span = settings.referenceSpan().toMillis();
        if (span == 0 || learnIntervalMillis == 0) {
            return learnIntervalMillis;
        }
        long spread = (long) (share() * span / settings.window());
        long floor = Math.min(MIN_LEARN_MILLIS, learnIntervalMillis);
        return Math.max(floor, Math.min(learnIntervalMillis, spread));
    }

    /** Whether the alarm episode is on (the trees of a rare mode learn nothing meanwhile). */
    boolean inEpisode() {
        return episode;
    }

    private boolean cooling(Instant time) {
        return lastAlarm != null && time.isBefore(lastAlarm.plus(settings.cooldown()));
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
            episode = true;
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
        out.writeLong(lastSeen);
        out.writeDouble(wallMillis);
        out.writeDouble(modeMillis);
        out.writeBoolean(episode);
        out.writeInt(stayLearned);
        scaler.writeTo(out);
        trees.writeTo(out);
    }

    void readFrom(DataInputStream in) throws IOException {
        samples = in.readLong();
        consecutive = in.readInt();
        long last = in.readLong();
        lastAlarm = last == Long.MIN_VALUE ? null : Instant.ofEpochMilli(last);
        lastLearned = in.readLong();
        lastSeen = in.readLong();
        wallMillis = in.readDouble();
        modeMillis = in.readDouble();
        episode = in.readBoolean();
        stayLearned = in.readInt();
        if (samples < 0 || consecutive < 0 || stayLearned < 0 || !(wallMillis >= 0) || !(modeMillis >= 0)
                || modeMillis > wallMillis) {
            throw new IOException("inconsistent alarm state");
        }
        scaler.readFrom(in);
        trees.readFrom(in);
    }
}
