package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.HistoryStore;
import gateway.core.api.SensorReading;

class HistoryExportTest {

    @TempDir
    Path dir;
    Database db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    record Row(String sensor, long millis, double value) {
    }

    /**
     * 3 sensors polled every 10 s for 2000 polls, plus another device and a sensor nobody asked for: the export of
     * two sensors over a sub-range holds exactly the stored rows in the range, ordered by time then by the order the
     * sensors were asked for.
     */
    @Test
    void exportStreamsExactlyTheStoredRowsOfTheRangeInTimeOrder() throws Exception {
        db = Database.open(new Database.Settings(dir, 3650, 60, 100_000));
        HistoryRecorder recorder = new HistoryRecorder(db, Clock.systemUTC(), false);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 2000; i++) {
            Instant at = t0.plusSeconds(10L * i);
            Map<String, SensorReading> r = new LinkedHashMap<>();
            r.put("temp_outdoor", SensorReading.good("temp_outdoor", i * 0.01, null, at));
            r.put("power_current", SensorReading.good("power_current", 2 + i % 7, null, at));
            r.put("temp_room", SensorReading.good("temp_room", 21, null, at));
            if (i % 3 == 0) {
                r.put("power_current", SensorReading.invalid("power_current", "sentinel", at)); // not stored
            }
            recorder.snapshot(new DeviceSnapshot("hp-1", "idm", "navigator_2_0", at, r));
            recorder.snapshot(new DeviceSnapshot("hp-2", "idm", "navigator_2_0", at, r));
        }
        recorder.flush();

        Instant from = t0.plusSeconds(1000);
        Instant to = t0.plusSeconds(15_000);
        List<Row> exported = new ArrayList<>();
        new H2HistoryStore(db).export("hp-1", List.of("power_current", "temp_outdoor"), from, to,
                (sensor, time, value) -> exported.add(new Row(sensor, time.toEpochMilli(), value)));

        // expected straight from the table, independently of the code under test
        List<Row> expected = StoredReadings.all(db).stream()
                .filter(r -> r.heatpumpId().equals("hp-1") && r.ts() >= from.toEpochMilli() && r.ts() <= to.toEpochMilli()
                        && (r.sensorId().equals("power_current") || r.sensorId().equals("temp_outdoor")))
                .sorted(java.util.Comparator.comparingLong(StoredReadings.Reading::ts)
                        .thenComparing(r -> r.sensorId().equals("power_current") ? 0 : 1))
                .map(r -> new Row(r.sensorId(), r.ts(), r.value())).toList();
        // 1401 polls in [1000 s, 15000 s]; power_current stored in the 2 of 3 polls that were valid
        assertEquals(1401 + 934, expected.size());
        assertEquals(expected, exported);
    }

    @Test
    void theDefaultExportOfTheApiWalksTheQueryResults() throws Exception {
        db = Database.open(new Database.Settings(dir, 3650, 60, 100_000));
        HistoryRecorder recorder = new HistoryRecorder(db, Clock.systemUTC(), false);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            recorder.snapshot(new DeviceSnapshot("hp-1", "idm", "m", t0.plusSeconds(i),
                    Map.of("a", SensorReading.good("a", i, null, t0.plusSeconds(i)))));
        }
        recorder.flush();
        H2HistoryStore store = new H2HistoryStore(db);
        HistoryStore plain = new HistoryStore() { // only the abstract methods: the interface's default export
            @Override
            public List<Point> query(String h, String s, Instant f, Instant t, int p) {
                return store.query(h, s, f, t, p);
            }

            @Override
            public List<String> sensorsWithHistory(String h) {
                return store.sensorsWithHistory(h);
            }
        };
        List<Double> values = new ArrayList<>();
        plain.export("hp-1", List.of("a"), t0, t0.plusSeconds(3), (s, t, v) -> values.add(v));
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0), values);
    }
}
