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
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.OperatingMode;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.driver.idm.internal.IdmDriver;
import gateway.driver.idm.internal.IdmRegisterMap;
import gateway.driver.idm.internal.IdmSimulator;
import gateway.driver.idm.internal.IdmSimulator.Fault;

/**
 * Evaluation harness (not a unit test; run by {@code .ci/evaluate-ml}): simulated days of an iDM heat pump, driven
 * through the simulator's model tick at 30 s per step (no sockets, so weeks take seconds), with labelled faults
 * injected at known times. Snapshots are built from the simulator's register values through the driver's sensor
 * list, with a little sensor noise and 0.1 K resolution like a real controller.
 *
 * <p>Labels: a fault episode is [injection, clearing]. An anomaly raised inside an episode detects it (delay =
 * alarm − injection). An anomaly within {@link #RECOVERY_HOURS} after the clearing is counted as "recovery": the
 * plant really changed back, and the model's reference window still holds the faulty hours. Every other anomaly is a
 * false alarm, counted per simulated day of normal operation after the first week (the training week).
 *
 * <p>Arguments: {@code [devices] [threshold] [sensitivity] [window] [hits] [sizeLimit]} (defaults 4, 0.7, 1.0, 250, 3,
 * 10 % of the window).
 */
public final class MlEvaluation {

    static final int STEP_SECONDS = 30;
    static final int TRAINING_DAYS = 7;
    static final int FAULT_HOURS = 8;
    static final int RECOVERY_HOURS = 3;
    static final int REPEATS = 2;
    static final Instant EPOCH = Instant.parse("2026-01-05T00:00:00Z");

    record Episode(Fault fault, double start, double end) {
    }

    record Alarm(double time, OperatingMode mode, double score, String features) {
    }

    record DeviceRun(List<Episode> episodes, List<Alarm> alarms, double trainingEnd, double normalDays, long samples,
                     double nanosPerSample) {
    }

    public static void main(String[] args) {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        DetectorSettings settings = DetectorSettings.DEFAULTS;
        if (args.length > 1) {
            settings = settings.withThreshold(Double.parseDouble(args[1]));
        }
        if (args.length > 2) {
            settings = settings.withSensitivity(Double.parseDouble(args[2]));
        }
        if (args.length > 3) {
            settings = settings.withWindow(Integer.parseInt(args[3]),
                    args.length > 5 ? Integer.parseInt(args[5]) : 0);
        }
        if (args.length > 4) {
            settings = settings.withConsecutiveHits(Integer.parseInt(args[4]));
        }
        System.out.printf(Locale.ROOT, "anomaly detection evaluation: iDM Navigator 2.0 simulator, %d device(s), "
                        + "%d trees, height %d, window %d, size limit %d, threshold %.2f, %d hits in a row, cooldown %d min%n",
                devices, settings.trees(), settings.height(), settings.window(),
                HalfSpaceTrees.effectiveSizeLimit(settings.window(), settings.sizeLimit()),
                settings.effectiveThreshold(),
                settings.consecutiveHits(), settings.cooldown().toMinutes());
        List<DeviceRun> runs = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            runs.add(run(1000 + d, settings));
        }
        report(runs);
    }

    static DeviceRun run(long seed, DetectorSettings settings) {
        Random rnd = new Random(seed);
        IdmSimulator sim = new IdmSimulator(1.0);
        sim.weather(seed);
        IdmDriver driver = new IdmDriver();
        DeviceConfig config = IdmRegisterMap.DEFAULT_CONFIG;
        AnomalyFeatures features = driver.anomalyFeatures(config);
        List<SensorDefinition> sensors = driver.sensors(config);
        Set<String> temperatures = sensors.stream().filter(s -> s.category() == SensorCategory.TEMPERATURE)
                .map(SensorDefinition::id).filter(features.sensors()::contains).collect(Collectors.toSet());
        Map<String, SensorDefinition> byId = sensors.stream()
                .collect(Collectors.toMap(SensorDefinition::id, s -> s, (a, b) -> a));
        List<String> polled = new ArrayList<>(features.sensors());
        polled.add("status_heat_pump");
        DeviceDetector detector = new DeviceDetector("hp-eval-" + seed,
                new FeatureExtractor(features, temperatures, ZoneOffset.UTC), settings, null);

        // schedule: a training week, then per fault and repeat two days: a fault of FAULT_HOURS on the first day at a
        // random hour (failed defrosts at night, when defrosts happen), then a normal day
        List<Episode> episodes = new ArrayList<>();
        double t0 = sim.simulatedSeconds();
        double day0 = Math.floor(t0 / 86400) * 86400 + TRAINING_DAYS * 86400.0;
        int k = 0;
        List<Fault> order = new ArrayList<>();
        for (int r = 0; r < REPEATS; r++) {
            order.addAll(List.of(Fault.values()));
        }
        java.util.Collections.shuffle(order, rnd);
        for (Fault f : order) {
            double startHour = f == Fault.FAILED_DEFROST ? 20 + rnd.nextInt(4) : rnd.nextInt(16);
            double start = day0 + 2 * 86400.0 * k + startHour * 3600;
            episodes.add(new Episode(f, start, start + FAULT_HOURS * 3600.0));
            k++;
        }
        double end = day0 + 2 * 86400.0 * k;

        List<Alarm> alarms = new ArrayList<>();
        long samples = 0;
        long nanos = 0;
        Episode active = null;
        int next = 0;
        while (sim.simulatedSeconds() < end) {
            sim.tick(STEP_SECONDS);
            double now = sim.simulatedSeconds();
            if (active != null && now >= active.end()) {
                sim.clear(active.fault());
                active = null;
            }
            if (active == null && next < episodes.size() && now >= episodes.get(next).start()) {
                active = episodes.get(next++);
                sim.inject(active.fault());
            }
            DeviceSnapshot snapshot = snapshot(sim, polled, byId, now);
            OperatingMode mode = driver.operatingMode(snapshot);
            long a = System.nanoTime();
            DeviceDetector.Outcome o = detector.process(snapshot, mode);
            nanos += System.nanoTime() - a;
            samples++;
            if (o != null && o.event() != null) {
                alarms.add(new Alarm(now, mode, o.score(), o.event().features().stream()
                        .map(c -> c.feature()).collect(Collectors.joining(","))));
            }
        }
        sim.close();
        double faultAndRecovery = episodes.size() * (FAULT_HOURS + RECOVERY_HOURS) / 24.0;
        double normalDays = (end - day0) / 86400.0 - faultAndRecovery;
        return new DeviceRun(episodes, alarms, day0, normalDays, samples, (double) nanos / samples);
    }

    /** Values as a controller reports them: a little noise (deterministic in the value, so a stuck sensor stays
     * stuck), 0.1 K resolution for temperatures, 10 W for powers. */
    static DeviceSnapshot snapshot(IdmSimulator sim, List<String> polled, Map<String, SensorDefinition> byId,
                                   double simSeconds) {
        Instant at = EPOCH.plusMillis((long) (simSeconds * 1000));
        Map<String, SensorReading> readings = new HashMap<>();
        for (String id : polled) {
            Double v = sim.value(id);
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
        return new DeviceSnapshot("hp-eval", "idm", "navigator_2_0", at, readings);
    }

    private static double jitter(double v) {
        long h = HalfSpaceTrees.mix(Double.doubleToLongBits(v));
        return ((h >>> 11) / (double) (1L << 53)) * 2 - 1;
    }

    static void report(List<DeviceRun> runs) {
        Map<Fault, int[]> perFault = new LinkedHashMap<>(); // episodes, detected
        Map<Fault, List<Double>> delays = new LinkedHashMap<>();
        for (Fault f : Fault.values()) {
            perFault.put(f, new int[2]);
            delays.put(f, new ArrayList<>());
        }
        int truePositives = 0;
        int recovery = 0;
        int falseAlarms = 0;
        double normalDays = 0;
        long samples = 0;
        double nanos = 0;
        List<String> falseAlarmLines = new ArrayList<>();
        for (int d = 0; d < runs.size(); d++) {
            DeviceRun run = runs.get(d);
            normalDays += run.normalDays();
            samples += run.samples();
            nanos += run.nanosPerSample() * run.samples();
            for (Episode e : run.episodes()) {
                int[] c = perFault.get(e.fault());
                c[0]++;
                run.alarms().stream().filter(a -> a.time() >= e.start() && a.time() <= e.end()).findFirst()
                        .ifPresent(a -> {
                            c[1]++;
                            delays.get(e.fault()).add((a.time() - e.start()) / 60.0);
                        });
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
        for (Fault f : Fault.values()) {
            int[] c = perFault.get(f);
            episodes += c[0];
            detected += c[1];
            List<Double> ds = delays.get(f);
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.2f | %s | %s |%n", f.name().toLowerCase(Locale.ROOT),
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
    }
}
