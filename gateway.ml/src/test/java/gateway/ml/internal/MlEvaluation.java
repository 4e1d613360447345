package gateway.ml.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import gateway.core.api.AnomalyFeatures;
import gateway.core.api.AnomalyProfile;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.OperatingMode;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.SensorReading;

/**
 * Evaluation harness (not a unit test; run by {@code .ci/evaluate-ml}): simulated days of heat pumps of every make
 * with an {@link EvaluationPlant}, driven through the simulator's model at 30 s per step (no sockets, so weeks take
 * seconds), with the labelled faults the make's simulator offers injected by name at known times (a fault a make
 * does not offer is skipped, not counted). Snapshots are built from the simulator's values through the driver's
 * sensor list, with a little sensor noise and 0.1 K resolution like a real controller; the driver's own
 * {@code operatingMode} gives the mode. One table per make, then the total.
 *
 * <p>Labels: a fault episode is [injection, clearing]. An anomaly raised inside an episode detects it (delay =
 * alarm − injection). An anomaly within {@link #RECOVERY_HOURS} after the clearing is counted as "recovery": the
 * plant really changed back, and the model's reference window still holds the faulty hours. Every other anomaly is a
 * false alarm, counted per simulated day of normal operation after the first week (the training week).
 *
 * <p>Arguments: {@code [devices] [threshold] [sensitivity] [window] [hits] [sizeLimit] [learnIntervalSeconds]}
 * (defaults 4 per make, 0.7, 1.0, 250, 3, 10 % of the window, 300), and {@code --makes=idm/navigator_2_0,...} or
 * the environment variable {@code GW_ML_MAKES} (default: every make of {@link EvaluationPlant#makes()}). For each
 * missed episode the report gives the highest score per mode inside it; {@code GW_ML_DEBUG_FAULT=<fault>} also
 * prints the score and the features furthest from their means every 10 simulated minutes inside that fault.
 */
public final class MlEvaluation {

    static final int STEP_SECONDS = 30;
    static final int TRAINING_DAYS = 7;
    static final int FAULT_HOURS = 8;
    static final int RECOVERY_HOURS = 3;
    static final int REPEATS = 2;
    static final Instant EPOCH = Instant.parse("2026-01-05T00:00:00Z");

    record Episode(String fault, double start, double end) {
    }

    record Alarm(double time, OperatingMode mode, double score, String features) {
    }

    record DeviceRun(List<Episode> episodes, List<Alarm> alarms, double trainingEnd, double normalDays, long samples,
                     double nanosPerSample, Map<Episode, String> peaks) {
    }

    public static void main(String[] argv) {
        List<String> makes = EvaluationPlant.makes();
        String env = System.getenv("GW_ML_MAKES");
        List<String> args = new ArrayList<>();
        for (String a : argv) {
            if (a.startsWith("--makes=")) {
                env = a.substring("--makes=".length());
            } else {
                args.add(a);
            }
        }
        if (env != null && !env.isBlank()) {
            makes = List.of(env.trim().split("\\s*,\\s*"));
        }
        int devices = args.size() > 0 ? Integer.parseInt(args.get(0)) : 4;
        DetectorSettings settings = DetectorSettings.DEFAULTS;
        if (args.size() > 1) {
            settings = settings.withThreshold(Double.parseDouble(args.get(1)));
        }
        if (args.size() > 2) {
            settings = settings.withSensitivity(Double.parseDouble(args.get(2)));
        }
        if (args.size() > 3) {
            settings = settings.withWindow(Integer.parseInt(args.get(3)),
                    args.size() > 5 ? Integer.parseInt(args.get(5)) : 0);
        }
        if (args.size() > 4) {
            settings = settings.withConsecutiveHits(Integer.parseInt(args.get(4)));
        }
        if (args.size() > 6) {
            settings = settings.withLearnInterval(java.time.Duration.ofSeconds(Long.parseLong(args.get(6))));
        }
        System.out.printf(Locale.ROOT, "anomaly detection evaluation: makes %s, %d device(s) each, %d trees, height %d, "
                        + "window %d, size limit %d, threshold %.2f, %d hits in a row, cooldown %d min, learning "
                        + "interval %d s, reference span of rare modes %d h%n",
                String.join(", ", makes), devices, settings.trees(), settings.height(), settings.window(),
                HalfSpaceTrees.effectiveSizeLimit(settings.window(), settings.sizeLimit()),
                settings.effectiveThreshold(), settings.consecutiveHits(), settings.cooldown().toMinutes(),
                settings.learnInterval().toSeconds(), settings.referenceSpan().toHours());
        List<DeviceRun> all = new ArrayList<>();
        for (String make : makes) {
            List<DeviceRun> runs = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                try (EvaluationPlant plant = EvaluationPlant.create(make, 1000 + d)) {
                    runs.add(run(plant, 1000 + d, settings));
                }
            }
            System.out.println();
            System.out.println("## " + make);
            report(runs);
            all.addAll(runs);
        }
        if (makes.size() > 1) {
            System.out.println();
            System.out.println("## total (" + String.join(", ", makes) + ")");
            report(all);
        }
    }

    static DeviceRun run(EvaluationPlant plant, long seed, DetectorSettings settings) {
        Random rnd = new Random(seed);
        HeatpumpDriver driver = plant.driver();
        DeviceConfig config = plant.config();
        AnomalyProfile profile = plant.profile();
        AnomalyFeatures features = profile.anomalyFeatures(config);
        List<SensorDefinition> sensors = driver.sensors(config);
        Set<String> temperatures = sensors.stream().filter(s -> s.category() == SensorCategory.TEMPERATURE)
                .map(SensorDefinition::id).filter(features.sensors()::contains).collect(Collectors.toSet());
        Map<String, SensorDefinition> byId = sensors.stream()
                .collect(Collectors.toMap(SensorDefinition::id, s -> s, (a, b) -> a));
        // every sensor the simulator serves, so the driver's operatingMode finds whatever it reads
        List<String> polled = sensors.stream().map(SensorDefinition::id).distinct()
                .filter(id -> plant.simulator().value(id) != null).toList();
        String[] make = plant.make().split("/", 2);
        DeviceDetector detector = new DeviceDetector("hp-eval-" + seed,
                new FeatureExtractor(features, temperatures, ZoneOffset.UTC), settings, null);

        // schedule: a training week, then per fault and repeat two days: a fault of FAULT_HOURS on the first day at a
        // random hour (failed defrosts at night, when defrosts happen), then a normal day
        List<Episode> episodes = new ArrayList<>();
        double t0 = plant.simulatedSeconds();
        double day0 = Math.floor(t0 / 86400) * 86400 + TRAINING_DAYS * 86400.0;
        int k = 0;
        List<String> order = new ArrayList<>();
        List<String> offered = new ArrayList<>(plant.simulator().availableFaults());
        java.util.Collections.sort(offered, java.util.Comparator.comparingInt(MlEvaluation::faultRank)
                .thenComparing(x -> x));
        for (int r = 0; r < REPEATS; r++) {
            order.addAll(offered);
        }
        java.util.Collections.shuffle(order, rnd);
        for (String f : order) {
            double startHour = f.equals(FAILED_DEFROST) ? 20 + rnd.nextInt(4) : rnd.nextInt(16);
            double start = day0 + 2 * 86400.0 * k + startHour * 3600;
            episodes.add(new Episode(f, start, start + FAULT_HOURS * 3600.0));
            k++;
        }
        double end = day0 + 2 * 86400.0 * k;

        List<Alarm> alarms = new ArrayList<>();
        Map<Episode, String> peaks = new HashMap<>();
        long samples = 0;
        long nanos = 0;
        Episode active = null;
        int next = 0;
        while (plant.simulatedSeconds() < end) {
            plant.advance(STEP_SECONDS);
            double now = plant.simulatedSeconds();
            if (active != null && now >= active.end()) {
                plant.simulator().clearFault(active.fault());
                active = null;
            }
            if (active == null && next < episodes.size() && now >= episodes.get(next).start()) {
                active = episodes.get(next++);
                if (!plant.simulator().injectFault(active.fault())) {
                    throw new IllegalStateException(plant.make() + " refused its own fault " + active.fault());
                }
            }
            DeviceSnapshot snapshot = snapshot(plant, make, polled, byId, now);
            OperatingMode mode = profile.operatingMode(snapshot);
            long a = System.nanoTime();
            DeviceDetector.Outcome o = detector.process(snapshot, mode);
            if (DEBUG != null && active != null && o != null && active.fault().equals(DEBUG) && samples % 20 == 0) {
                System.out.printf(Locale.ROOT, "dbg %.2f h %s %.2f %s %s%n", (now - active.start()) / 3600, mode,
                        o.score(), o.warm(), detector.models().get(mode).contributions(detector.lastFeatures, 4));
            }
            if (active != null && o != null) {
                // the highest score per mode inside the episode, to see why a missed fault was missed
                Episode e = active;
                peaks.merge(e, mode + (o.warm() ? "" : " (cold)") + String.format(Locale.ROOT, " %.2f", o.score()),
                        (x, y) -> peak(x, y));
            }
            nanos += System.nanoTime() - a;
            samples++;
            if (o != null && o.event() != null) {
                alarms.add(new Alarm(now, mode, o.score(), o.event().features().stream()
                        .map(c -> c.feature()).collect(Collectors.joining(","))));
            }
        }
        double faultAndRecovery = episodes.size() * (FAULT_HOURS + RECOVERY_HOURS) / 24.0;
        double normalDays = (end - day0) / 86400.0 - faultAndRecovery;
        return new DeviceRun(episodes, alarms, day0, normalDays, samples, (double) nanos / samples, peaks);
    }

    /** Keeps, per mode, the higher score: "MODE[ (cold)] score; MODE score ...". */
    static String peak(String a, String b) {
        Map<String, String> byMode = new java.util.TreeMap<>();
        for (String part : (a + ";" + b).split(";")) {
            String p = part.trim();
            String m = p.substring(0, p.indexOf(' '));
            double v = Double.parseDouble(p.substring(p.lastIndexOf(' ') + 1));
            byMode.merge(m, p, (x, y) -> Double.parseDouble(x.substring(x.lastIndexOf(' ') + 1)) >= v ? x : y);
        }
        return String.join("; ", byMode.values());
    }

    static final String DEBUG = System.getenv("GW_ML_DEBUG_FAULT");
    static final String FAILED_DEFROST = "failed_defrost";
    /** The faults first, in its order, then any other a make offers. */
    static final List<String> KNOWN_FAULTS = List.of("stuck_sensor", "sensor_drift", "low_flow", "short_cycling",
            FAILED_DEFROST, "hot_water_not_reached");

    static int faultRank(String fault) {
        int i = KNOWN_FAULTS.indexOf(fault);
        return i < 0 ? KNOWN_FAULTS.size() : i;
    }

    /** Values as a controller reports them: a little noise (deterministic in the value, so a stuck sensor stays
     * stuck), 0.1 K resolution for temperatures, 10 W for powers. */
    static DeviceSnapshot snapshot(EvaluationPlant plant, String[] make, List<String> polled,
                                   Map<String, SensorDefinition> byId, double simSeconds) {
        Instant at = EPOCH.plusMillis((long) (simSeconds * 1000));
        Map<String, SensorReading> readings = new HashMap<>();
        for (String id : polled) {
            Double v = plant.simulator().value(id);
            if (v == null) {
                continue;
            }
            SensorDefinition def = byId.get(id);
            double value = v;
            if (def != null && def.category() == SensorCategory.TEMPERATURE) {
                value = Math.round((value + 0.08 * jitter(value)) * 10) / 10.0;
            } else if (def != null && def.category() == SensorCategory.POWER) {
                value = Math.round((value + 0.02 * jitter(value)) * 100) / 100.0;
            }
            readings.put(id, SensorReading.good(id, value, null, at));
        }
        return new DeviceSnapshot("hp-eval", make[0], make.length > 1 ? make[1] : "", at, readings);
    }

    private static double jitter(double v) {
        long h = HalfSpaceTrees.mix(Double.doubleToLongBits(v));
        return ((h >>> 11) / (double) (1L << 53)) * 2 - 1;
    }

    static void report(List<DeviceRun> runs) {
        Map<String, int[]> perFault = new java.util.TreeMap<>(java.util.Comparator
                .comparingInt(MlEvaluation::faultRank).thenComparing(x -> x)); // episodes, detected
        Map<String, List<Double>> delays = new LinkedHashMap<>();
        for (DeviceRun run : runs) {
            for (Episode e : run.episodes()) {
                perFault.putIfAbsent(e.fault(), new int[2]);
                delays.putIfAbsent(e.fault(), new ArrayList<>());
            }
        }
        int truePositives = 0;
        int recovery = 0;
        int falseAlarms = 0;
        double normalDays = 0;
        long samples = 0;
        double nanos = 0;
        List<String> falseAlarmLines = new ArrayList<>();
        List<String> missedLines = new ArrayList<>();
        for (int d = 0; d < runs.size(); d++) {
            DeviceRun run = runs.get(d);
            normalDays += run.normalDays();
            samples += run.samples();
            nanos += run.nanosPerSample() * run.samples();
            for (Episode e : run.episodes()) {
                int[] c = perFault.get(e.fault());
                c[0]++;
                var first = run.alarms().stream().filter(a -> a.time() >= e.start() && a.time() <= e.end())
                        .findFirst();
                first.ifPresent(a -> {
                    c[1]++;
                    delays.get(e.fault()).add((a.time() - e.start()) / 60.0);
                });
                if (first.isEmpty()) {
                    missedLines.add(String.format(Locale.ROOT, "  device %d day %.2f %s: peak scores %s", d,
                            e.start() / 86400.0, e.fault(), run.peaks().getOrDefault(e, "-")));
                }
            }
            for (Alarm a : run.alarms()) {
                boolean inside = run.episodes().stream().anyMatch(e -> a.time() >= e.start() && a.time() <= e.end());
                boolean after = run.episodes().stream()
                        .anyMatch(e -> a.time() > e.end() && a.time() <= e.end() + RECOVERY_HOURS * 3600.0);
                if (inside) {
                    truePositives++;
                } else if (after) {
                    recovery++;
                } else if (a.time() >= run.trainingEnd()) {
                    falseAlarms++;
                    falseAlarmLines.add(String.format(Locale.ROOT, "  device %d day %.2f %s score %.2f [%s]", d,
                            a.time() / 86400.0, a.mode(), a.score(), a.features()));
                }
            }
        }
        System.out.println();
        System.out.println("| fault | episodes | detected | recall | mean delay (min) | max delay (min) |");
        System.out.println("|---|---|---|---|---|---|");
        int episodes = 0;
        int detected = 0;
        for (String f : perFault.keySet()) {
            int[] c = perFault.get(f);
            episodes += c[0];
            detected += c[1];
            List<Double> ds = delays.get(f);
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.2f | %s | %s |%n", f,
                    c[0], c[1], c[0] == 0 ? 0.0 : (double) c[1] / c[0],
                    ds.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f", ds.stream().mapToDouble(x -> x).average().orElse(0)),
                    ds.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f", ds.stream().mapToDouble(x -> x).max().orElse(0)));
        }
        double recall = episodes == 0 ? 0 : (double) detected / episodes;
        // precision over raised anomalies: those inside a fault against those in normal operation
        double precision = truePositives + falseAlarms == 0 ? 0 : (double) truePositives / (truePositives + falseAlarms);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        System.out.println();
        System.out.printf(Locale.ROOT, "episodes %d, detected %d: recall %.2f%n", episodes, detected, recall);
        System.out.printf(Locale.ROOT, "anomalies raised: %d inside faults, %d in the %d h after a fault (recovery), "
                + "%d false%n", truePositives, recovery, RECOVERY_HOURS, falseAlarms);
        System.out.printf(Locale.ROOT, "precision %.2f, F1 %.2f%n", precision, f1);
        System.out.printf(Locale.ROOT, "false alarms: %d in %.1f simulated device-days of normal operation = %.2f per "
                + "device-day, %.2f per device-week%n", falseAlarms, normalDays, falseAlarms / normalDays,
                7 * falseAlarms / normalDays);
        System.out.printf(Locale.ROOT, "samples %d, detector time %.2f µs per sample (features + 1 model)%n", samples,
                nanos / samples / 1000);
        if (!falseAlarmLines.isEmpty()) {
            System.out.println("false alarms:");
            falseAlarmLines.stream().limit(30).forEach(System.out::println);
        }
        if (!missedLines.isEmpty()) {
            System.out.println("missed faults:");
            missedLines.forEach(System.out::println);
        }
    }
}
