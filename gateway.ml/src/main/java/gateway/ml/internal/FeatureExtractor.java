package gateway.ml.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Set;

import gateway.core.api.AnomalyFeatures;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.OperatingMode;
import gateway.core.api.SensorReading;

/**
 * Turns a snapshot into a feature vector: the driver's feature sensors, then derived features that need no knowledge
 * of the make: the flow − return spread, the instant COP, the hour of day as a point on a circle, how long the current
 * operating mode has lasted, how often the mode changed in the last hour, and the longest run of polls in which a
 * temperature feature did not change at all (a stuck sensor), as {@code log(1 + polls)}. Missing values are NaN.
 *
 * <p>Keeps a little history per device (the previous values and mode changes), so one extractor serves one device.
 */
public final class FeatureExtractor {

    public static final String SPREAD = "spread_flow_return";
    public static final String COP = "cop";
    public static final String HOUR_SIN = "hour_sin";
    public static final String HOUR_COS = "hour_cos";
    public static final String HOURS_IN_MODE = "hours_in_mode";
    public static final String MODE_CHANGES = "mode_changes_last_hour";
    public static final String UNCHANGED_POLLS = "unchanged_polls_max";

    /** Below this electrical input (kW) the COP is noise (as the original). */
    static final double MIN_COP_INPUT_KW = 0.2;
    static final double MAX_HOURS_IN_MODE = 12;
    static final int MAX_UNCHANGED = 240;

    private final AnomalyFeatures features;
    private final Set<String> temperatures;
    private final ZoneId zone;
    private final List<String> names;
    private final double[] previous;
    private final int[] unchanged;
    private final Deque<Instant> modeChanges = new ArrayDeque<>();
    private OperatingMode mode;
    private Instant modeSince;

    /**
     * @param temperatures the feature sensors that are temperatures (watched for a stuck value)
     * @param zone         the device's local time zone, for the hour of day
     */
    public FeatureExtractor(AnomalyFeatures features, Set<String> temperatures, ZoneId zone) {
        this.features = features;
        this.temperatures = Set.copyOf(temperatures);
        this.zone = zone;
        List<String> n = new ArrayList<>(features.sensors());
        if (features.flowTemperature() != null && features.returnTemperature() != null) {
            n.add(SPREAD);
        }
        if (features.thermalPower() != null && features.electricalPower() != null) {
            n.add(COP);
        }
        n.addAll(List.of(HOUR_SIN, HOUR_COS, HOURS_IN_MODE, MODE_CHANGES, UNCHANGED_POLLS));
        this.names = Collections.unmodifiableList(n);
        this.previous = new double[features.sensors().size()];
        java.util.Arrays.fill(previous, Double.NaN);
        this.unchanged = new int[features.sensors().size()];
    }

    public List<String> names() {
        return names;
    }

    public AnomalyFeatures features() {
        return features;
    }

    /** The feature vector of {@code snapshot}, taken in {@code currentMode}. */
    public double[] extract(DeviceSnapshot snapshot, OperatingMode currentMode) {
        Instant now = snapshot.time();
        if (currentMode != mode) {
            if (mode != null) {
                modeChanges.addLast(now);
            }
            mode = currentMode;
            modeSince = now;
        }
        Instant hourAgo = now.minusSeconds(3600);
        while (!modeChanges.isEmpty() && modeChanges.peekFirst().isBefore(hourAgo)) {
            modeChanges.removeFirst();
        }
        double[] x = new double[names.size()];
        int i = 0;
        int stuck = 0;
        for (String id : features.sensors()) {
            double v = value(snapshot, id);
            if (temperatures.contains(id) && !Double.isNaN(v)) {
                unchanged[i] = v == previous[i] ? Math.min(MAX_UNCHANGED, unchanged[i] + 1) : 0;
                stuck = Math.max(stuck, unchanged[i]);
            }
            previous[i] = v;
            x[i++] = v;
        }
        if (features.flowTemperature() != null && features.returnTemperature() != null) {
            x[i++] = value(snapshot, features.flowTemperature()) - value(snapshot, features.returnTemperature());
        }
        if (features.thermalPower() != null && features.electricalPower() != null) {
            double in = value(snapshot, features.electricalPower());
            double out = value(snapshot, features.thermalPower());
            x[i++] = in > MIN_COP_INPUT_KW ? out / in : Double.NaN;
        }
        ZonedDateTime local = now.atZone(zone);
        double hour = local.getHour() + local.getMinute() / 60.0;
        x[i++] = Math.sin(2 * Math.PI * hour / 24);
        x[i++] = Math.cos(2 * Math.PI * hour / 24);
        x[i++] = Math.min(MAX_HOURS_IN_MODE, (now.toEpochMilli() - modeSince.toEpochMilli()) / 3_600_000.0);
        x[i++] = modeChanges.size();
        // log: normal runs of equal readings (a slow tank temperature, 0.1 K resolution) are long-tailed; a stuck
        // sensor still ends far above them (240 polls: 5.5 against 1 to 3)
        x[i] = Math.log1p(stuck);
        return x;
    }

    private static double value(DeviceSnapshot snapshot, String id) {
        SensorReading r = snapshot.reading(id);
        return r != null && r.good() && r.value() != null && Double.isFinite(r.value()) ? r.value() : Double.NaN;
    }
}
