package gateway.core.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.SensorReading;

/**
 * H2 history retention in bytes per device per day, for sizing a gateway's disk (README "H2 history size"): one
 * device with 100 sensors polled every 30 s (2,880 polls, 288,000 readings a day) into a real H2 file, three simulated
 * days; the cost of a day is the growth of the closed file from day 1 to day 3, halved (day 1 also carries the
 * schema and the first pages). Sensors: a third noisy temperatures, a third rising counters, a third slow states.
 *
 * <p>{@code java -cp ... gateway.core.store.internal.HistorySizeBenchmark}
 */
public final class HistorySizeBenchmark {

    static final int SENSORS = 100;
    static final int POLLS_PER_DAY = 86400 / 30;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("gateway-bench-history-size");
        Instant start = Instant.parse("2026-06-01T00:00:00Z");
        Random random = new Random(42);
        long[] sizeAfterDay = new long[3];
        for (int day = 0; day < 3; day++) {
            try (Database db = Database.open(new Database.Settings(dir, 3650, 60, 50_000))) {
                HistoryRecorder recorder = new HistoryRecorder(db, Clock.systemUTC(), false);
                for (int p = 0; p < POLLS_PER_DAY; p++) {
                    long poll = (long) day * POLLS_PER_DAY + p;
                    Instant at = start.plusSeconds(30 * poll);
                    Map<String, SensorReading> r = new HashMap<>();
                    for (int s = 0; s < SENSORS; s++) {
                        double v = switch (s % 3) {
                            case 0 -> Math.round((35 + 10 * Math.sin(poll / 200.0) + random.nextGaussian()) * 10) / 10.0;
                            case 1 -> poll * 0.01 + s;
                            default -> (poll / 120) % 4;
                        };
                        r.put("sensor_" + s, SensorReading.good("sensor_" + s, v, null, at));
                    }
                    recorder.snapshot(new DeviceSnapshot("hp-1", "bench", "model", at, r));
                    if (p % 500 == 499) {
                        recorder.flush();
                    }
                }
                recorder.flush();
            }
            sizeAfterDay[day] = databaseBytes(dir);
            System.out.printf("after day %d: %,d bytes%n", day + 1, sizeAfterDay[day]);
        }
        long perDay = (sizeAfterDay[2] - sizeAfterDay[0]) / 2;
        System.out.printf("H2 history: %,d bytes per device per day (100 sensors at 30 s, %,d readings),"
                + " %.1f bytes per reading%n", perDay, SENSORS * POLLS_PER_DAY, perDay / (double) (SENSORS
                * POLLS_PER_DAY));
    }

    private static long databaseBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".mv.db")).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
