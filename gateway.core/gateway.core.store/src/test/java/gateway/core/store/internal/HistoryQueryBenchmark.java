package gateway.core.store.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.HistoryStore;
import gateway.core.api.SensorReading;

/**
 * What the console's charts cost: one device with 100 sensors polled every 30 s for 7 days (2,016,000 readings),
 * then a one-sensor chart of the week (500 points), of the last day, the last hour raw, and an export of one sensor
 * over the week. Baseline in the same run: counting the week's rows with SQL (the floor of any scan of them).
 *
 * <p>Run by .ci/bench: {@code java -cp ... gateway.core.store.internal.HistoryQueryBenchmark}.
 */
public final class HistoryQueryBenchmark {

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("gateway-bench-history");
        Instant end = Instant.parse("2026-06-08T00:00:00Z");
        Instant start = end.minusSeconds(7 * 86400);
        int polls = 7 * 86400 / 30;
        try (Database db = Database.open(new Database.Settings(dir, 3650, 60, 50_000))) {
            HistoryRecorder recorder = new HistoryRecorder(db, Clock.systemUTC(), false);
            long w0 = System.nanoTime();
            for (int p = 0; p < polls; p++) {
                Instant at = start.plusSeconds(30L * p);
                Map<String, SensorReading> r = new HashMap<>();
                for (int s = 0; s < 100; s++) {
                    r.put("sensor_" + s, SensorReading.good("sensor_" + s, 20 + s + Math.sin(p / 100.0), null, at));
                }
                recorder.snapshot(new DeviceSnapshot("hp-1", "bench", "model", at, r));
                if (p % 500 == 499) {
                    recorder.flush();
                }
            }
            recorder.flush();
            double writeSeconds = (System.nanoTime() - w0) / 1e9;
            System.out.printf("history of one device: %,d readings written in %.1f s (%,.0f readings/s)%n",
                    polls * 100L, writeSeconds, polls * 100L / writeSeconds);
            H2HistoryStore store = new H2HistoryStore(db);
            double floor = best(() -> db.rows("SELECT COUNT(*) FROM history_rows WHERE ts BETWEEN "
                    + start.toEpochMilli() + " AND " + end.toEpochMilli()));
            double week = best(() -> store.query("hp-1", "sensor_42", start, end, 500));
            double day = best(() -> store.query("hp-1", "sensor_42", end.minusSeconds(86400), end, 500));
            double hour = best(() -> store.query("hp-1", "sensor_42", end.minusSeconds(3600), end, 0));
            double export = best(() -> {
                try {
                    store.export("hp-1", java.util.List.of("sensor_42"), start, end, (s, t, v) -> { });
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            System.out.printf("baseline: COUNT(*) over the week's %,d rows: %.1f ms%n", polls, floor);
            System.out.printf("chart of one sensor, 7 days -> 500 points: %.1f ms (%.1fx baseline)%n", week,
                    week / floor);
            System.out.printf("chart of one sensor, 1 day -> 500 points:  %.1f ms (%.1fx baseline)%n", day, day / floor);
            System.out.printf("raw last hour of one sensor:                %.2f ms (%.2fx baseline)%n", hour,
                    hour / floor);
            System.out.printf("export of one sensor over 7 days:           %.1f ms (%.1fx baseline)%n", export,
                    export / floor);
        }
    }

    /** Best of 5 runs after 2 warm-ups, in milliseconds (the machine is shared: the best is the least disturbed). */
    static double best(Runnable r) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 7; i++) {
            long t0 = System.nanoTime();
            r.run();
            double ms = (System.nanoTime() - t0) / 1e6;
            if (i >= 2) {
                best = Math.min(best, ms);
            }
        }
        return best;
    }
}
