package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.HistoryStore.Point;
import gateway.core.api.Quality;
import gateway.core.api.SensorReading;

class HistoryTest {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;
    Database db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private Database open(int flushSeconds, int batchSize) {
        db = Database.open(new Database.Settings(dir, 30, flushSeconds, batchSize));
        return db;
    }

    static DeviceSnapshot snapshot(String hp, Instant at, Map<String, Double> good) {
        Map<String, SensorReading> readings = new HashMap<>();
        good.forEach((id, v) -> readings.put(id, SensorReading.good(id, v, null, at)));
        return new DeviceSnapshot(hp, "idm", "navigator_2_0", at, readings);
    }

    /** Stored readings, all ({@code null}) or of one sensor, decoded independently of the store. */
    private long count(String sensorId) {
        return StoredReadings.count(db, sensorId);
    }

    @Test
    void storesOnlyGoodFiniteNumbersOfEverySnapshotInOneFlush() {
        open(5, 1_000);
        HistoryRecorder recorder = new HistoryRecorder(db, Clock.systemUTC(), false);
        int n = 50;
        for (int i = 0; i < n; i++) {
            Instant at = T0.plusSeconds(30L * i);
            Map<String, SensorReading> readings = new HashMap<>();
            readings.put("t_out", SensorReading.good("t_out", i, null, at));
            readings.put("mode", SensorReading.good("mode", 2, "heating", at));
            readings.put("stale", SensorReading.good("stale", 1, null, at).stale());
            readings.put("invalid", SensorReading.invalid("invalid", "0xFFFF", at));
            readings.put("error", SensorReading.error("error", "timeout", at));
            readings.put("fw", SensorReading.text("fw", "V3.90", at));
            readings.put("nan", new SensorReading("nan", Double.NaN, null, Quality.GOOD, at, null));
            recorder.snapshot(new DeviceSnapshot("hp-1", "idm", "navigator_2_0", at, readings));
        }
        assertEquals(0, count(null), "nothing is written before the flush");
        assertEquals(2 * n, recorder.flush());
        assertEquals(0, recorder.flush());
        assertEquals(n, count("t_out"));
        assertEquals(n, count("mode"));
        assertEquals(2L * n, count(null));
        assertEquals(List.of("mode", "t_out"), new H2HistoryStore(db).sensorsWithHistory("hp-1"));
    }

    private void record(List<double[]> tsAndValue, String hp, String sensor) {
        HistoryRecorder recorder = new HistoryRecorder(db, Clock.systemUTC(), false);
        for (double[] p : tsAndValue) {
            Instant at = Instant.ofEpochMilli((long) p[0]);
            recorder.snapshot(snapshot(hp, at, Map.of(sensor, p[1])));
        }
        recorder.flush();
    }

    @Test
    void rawQueryReturnsTheReadingsOfTheRangeInTimeOrder() {
        open(5, 1_000);
        List<double[]> data = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            data.add(new double[] {T0.plusSeconds(5L * i).toEpochMilli(), i * 1.5});
        }
        record(data, "hp-1", "flow");
        record(List.of(new double[] {T0.plusSeconds(10).toEpochMilli(), 99}), "hp-2", "flow");
        List<Point> raw = new H2HistoryStore(db).query("hp-1", "flow", T0.plusSeconds(10), T0.plusSeconds(20), 0);
        assertEquals(List.of(new Point(T0.plusSeconds(10), 3.0, 3.0, 3.0), new Point(T0.plusSeconds(15), 4.5, 4.5, 4.5),
                new Point(T0.plusSeconds(20), 6.0, 6.0, 6.0)), raw);
    }

    @Test
    void downsamplesIntoEqualBucketsWithAverageMinimumAndMaximum() {
        open(5, 1_000);
        // 21 readings every 5 s over [T0, T0+100 s]; value = index; plus noise outside the range and other series
        List<double[]> data = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            data.add(new double[] {T0.plusSeconds(5L * i).toEpochMilli(), i});
        }
        data.add(new double[] {T0.minusSeconds(1).toEpochMilli(), 1000});
        data.add(new double[] {T0.plusSeconds(101).toEpochMilli(), 1000});
        record(data, "hp-1", "flow");
        record(List.of(new double[] {T0.plusSeconds(50).toEpochMilli(), -1000}), "hp-1", "return");

        List<Point> points = new H2HistoryStore(db).query("hp-1", "flow", T0, T0.plusSeconds(100), 4);

        // expected, computed here without SQL: 4 buckets of 25 s, the reading at exactly `to` joins the last one
        List<Point> expected = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            double sum = 0;
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            int n = 0;
            for (int i = 0; i <= 20; i++) {
                int bucket = Math.min(3, (5 * i) / 25);
                if (bucket == b) {
                    sum += i;
                    min = Math.min(min, i);
                    max = Math.max(max, i);
                    n++;
                }
            }
            expected.add(new Point(T0.plusSeconds(25L * b), sum / n, min, max));
        }
        assertEquals(expected, points);
        // the same, spelled out: {0..4}, {5..9}, {10..14}, {15..20}
        assertEquals(List.of(2.0, 7.0, 12.0, 17.5), points.stream().map(Point::value).toList());
        assertEquals(20.0, points.get(3).max());
    }

    @Test
    void emptyBucketsAreLeftOutAndMorePointsThanReadingsKeepsEachReading() {
        open(5, 1_000);
        record(List.of(new double[] {T0.toEpochMilli(), 1}, new double[] {T0.plusSeconds(90).toEpochMilli(), 3}),
                "hp-1", "flow");
        H2HistoryStore store = new H2HistoryStore(db);
        assertEquals(List.of(new Point(T0, 1, 1, 1), new Point(T0.plusSeconds(90), 3, 3, 3)),
                store.query("hp-1", "flow", T0, T0.plusSeconds(100), 10));
        assertEquals(List.of(), store.query("hp-1", "flow", T0.plusSeconds(100), T0, 10));
        assertThrows(IllegalArgumentException.class, () -> store.query("hp-1", "flow", T0, T0, -1));
    }

    @Test
    void retentionPurgeDeletesOnlyReadingsOlderThanTheRetention() {
        open(5, 1_000);
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        Instant old = now.minus(Duration.ofDays(31));
        List<double[]> data = new ArrayList<>();
        // more than one purge chunk, so the chunked delete has to loop
        for (int i = 0; i < HistoryRecorder.PURGE_CHUNK + 5; i++) {
            data.add(new double[] {old.toEpochMilli() + i, i});
        }
        data.add(new double[] {now.minus(Duration.ofDays(29)).toEpochMilli(), 1});
        record(data, "hp-1", "flow");
        HistoryRecorder recorder = new HistoryRecorder(db, Clock.fixed(now, ZoneOffset.UTC), false);
        assertEquals(HistoryRecorder.PURGE_CHUNK + 5, recorder.purge());
        assertEquals(1, count(null));
        assertEquals(0, recorder.purge());
    }

    @Test
    void scheduledRecorderFlushesAFullBatchAtOnceAndTheRestWhenDeactivated() throws Exception {
        open(3_600, 3); // the interval never fires within the test: only the batch size and deactivate flush
        // recent times: the start-up retention purge runs on the same thread and must leave them alone
        Instant t = Instant.now();
        HistoryRecorder recorder = new HistoryRecorder(db, Clock.systemUTC(), true);
        recorder.snapshot(snapshot("hp-1", t, Map.of("a", 1.0, "b", 2.0, "c", 3.0)));
        long deadline = System.currentTimeMillis() + 5_000;
        while (count(null) < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(3, count(null));
        recorder.snapshot(snapshot("hp-1", t.plusSeconds(30), Map.of("a", 4.0)));
        recorder.close();
        assertEquals(4, count(null));
        deadline = System.currentTimeMillis() + 5_000;
        while (historyThreadAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertFalse(historyThreadAlive(), "thread stopped");
        // with the recorder's thread gone, nothing can write this later: what is not there now never will be
        recorder.snapshot(snapshot("hp-1", t.plusSeconds(60), Map.of("a", 5.0, "b", 1.0, "c", 1.0)));
        assertEquals(4, count(null), "ignored after deactivate");
        assertTrue(recorder.written() == 4);
    }

    private static boolean historyThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(th -> th.getName().equals("gateway-history") && th.isAlive());
    }

    @Test
    void aSnapshotDeliveredTwiceIsStoredOnce() {
        open(5, 1_000);
        HistoryRecorder recorder = new HistoryRecorder(db, Clock.systemUTC(), false);
        DeviceSnapshot s = snapshot("hp-1", T0, Map.of("a", 1.0, "b", 2.0));
        recorder.snapshot(s);
        recorder.flush();
        recorder.snapshot(s);
        recorder.flush();
        assertEquals(List.of(new StoredReadings.Reading("hp-1", "a", T0.toEpochMilli(), 1.0),
                new StoredReadings.Reading("hp-1", "b", T0.toEpochMilli(), 2.0)), StoredReadings.all(db));
    }

    @Test
    void aSensorThatComesAndGoesKeepsOneContinuousSeries() {
        open(5, 1_000);
        List<double[]> expected = new ArrayList<>();
        HistoryRecorder recorder = new HistoryRecorder(db, Clock.systemUTC(), false);
        for (int i = 0; i < 30; i++) {
            Instant at = T0.plusSeconds(10L * i);
            Map<String, SensorReading> r = new HashMap<>();
            r.put("flow", SensorReading.good("flow", 30 + i, null, at));
            // every third poll the second sensor answers with a sentinel: those rows hold "flow" only
            r.put("dhw", i % 3 == 0 ? SensorReading.invalid("dhw", "sentinel", at) : SensorReading.good("dhw", 45, null, at));
            recorder.snapshot(new DeviceSnapshot("hp-1", "idm", "navigator_2_0", at, r));
            expected.add(new double[] {at.toEpochMilli(), 30 + i});
        }
        recorder.flush();
        H2HistoryStore store = new H2HistoryStore(db);
        List<Point> raw = store.query("hp-1", "flow", T0, T0.plusSeconds(300), 0);
        assertEquals(expected.size(), raw.size());
        for (int i = 0; i < raw.size(); i++) {
            assertEquals((long) expected.get(i)[0], raw.get(i).time().toEpochMilli());
            assertEquals(expected.get(i)[1], raw.get(i).value());
        }
        // 30 values of 30..59 in 3 buckets of 10: averages 34.5, 44.5, 54.5
        List<Point> buckets = store.query("hp-1", "flow", T0, T0.plusSeconds(299), 3);
        assertEquals(List.of(34.5, 44.5, 54.5), buckets.stream().map(Point::value).toList());
        assertEquals(20, store.query("hp-1", "dhw", T0, T0.plusSeconds(300), 0).size());
    }

    @Test
    void aReadingWithItsOwnTimestampIsStoredAtThatTime() {
        open(5, 1_000);
        HistoryRecorder recorder = new HistoryRecorder(db, Clock.systemUTC(), false);
        Map<String, SensorReading> r = new HashMap<>();
        r.put("a", SensorReading.good("a", 1, null, null));
        r.put("b", SensorReading.good("b", 2, null, T0.minusSeconds(60)));
        recorder.snapshot(new DeviceSnapshot("hp-1", "idm", "navigator_2_0", T0, r));
        recorder.flush();
        assertEquals(List.of(new StoredReadings.Reading("hp-1", "b", T0.minusSeconds(60).toEpochMilli(), 2.0),
                new StoredReadings.Reading("hp-1", "a", T0.toEpochMilli(), 1.0)), StoredReadings.all(db));
    }

    /** A database written by a gateway with the row-per-reading table (schema 6) keeps every reading. */
    @Test
    void migrationMovesEveryReadingOfTheOldTableAndDropsIt() throws Exception {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve(Database.FILE_NAME));
        ds.setUser("sa");
        List<StoredReadings.Reading> old = new ArrayList<>();
        try (java.sql.Connection c = ds.getConnection()) {
            SchemaMigrations.migrate(c, SchemaMigrations.ALL.subList(0, 6));
            try (java.sql.PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO readings (heatpump_id, sensor_id, ts, \"VALUE\") VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < 2_500; i++) {
                    String hp = "hp-" + (i % 2);
                    long ts = T0.toEpochMilli() + (i / 2) * 1000L;
                    for (String sensor : i % 5 == 0 ? List.of("flow", "return") : List.of("flow", "return", "power")) {
                        double v = i * 0.25 + sensor.length();
                        ps.setString(1, hp);
                        ps.setString(2, sensor);
                        ps.setLong(3, ts);
                        ps.setDouble(4, v);
                        ps.addBatch();
                        old.add(new StoredReadings.Reading(hp, sensor, ts, v));
                    }
                }
                ps.executeBatch();
            }
        }
        open(5, 1_000);
        assertEquals(SchemaMigrations.ALL.get(SchemaMigrations.ALL.size() - 1).version(), db.schemaVersion());
        old.sort(java.util.Comparator.comparing(StoredReadings.Reading::heatpumpId)
                .thenComparingLong(StoredReadings.Reading::ts).thenComparing(StoredReadings.Reading::sensorId));
        assertEquals(old, StoredReadings.all(db));
        assertTrue(db.rows("SELECT table_name FROM information_schema.tables WHERE table_name = 'READINGS'").isEmpty());
        assertEquals(List.of("flow", "power", "return"), new H2HistoryStore(db).sensorsWithHistory("hp-1"));
    }

    /** The anomaly score is written at the snapshot's own instant: both must survive, side by side. */
    @Test
    void anomalyScoresAtTheSnapshotsInstantAreKeptBesideItsReadings() {
        open(5, 1_000);
        HistoryRecorder recorder = new HistoryRecorder(db, Clock.systemUTC(), false);
        recorder.snapshot(snapshot("hp-1", T0, Map.of("flow", 35.0)));
        recorder.flush();
        new H2AnomalyStore(db).recordScore("hp-1", T0, 0.83, true);
        H2HistoryStore store = new H2HistoryStore(db);
        assertEquals(List.of("anomaly_flag", "anomaly_score", "flow"), store.sensorsWithHistory("hp-1"));
        assertEquals(List.of(new Point(T0, 0.83, 0.83, 0.83)), store.query("hp-1", "anomaly_score", T0, T0, 0));
        assertEquals(List.of(new Point(T0, 1.0, 1.0, 1.0)), store.query("hp-1", "anomaly_flag", T0, T0, 0));
        assertEquals(List.of(new Point(T0, 35.0, 35.0, 35.0)), store.query("hp-1", "flow", T0, T0, 0));
    }
}
