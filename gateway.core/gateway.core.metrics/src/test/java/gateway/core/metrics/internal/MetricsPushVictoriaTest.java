package gateway.core.metrics.internal;

import gateway.core.testing.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.MetricsPush;
import gateway.core.api.SensorReading;

/** The push writer against a real VictoriaMetrics (Debian package victoria-metrics) on a loopback port. */
class MetricsPushVictoriaTest {

    @TempDir
    Path dir;

    private final FakeManager fake = new FakeManager();
    private SeriesCatalog catalog;
    /**
     * Whole seconds in the recent past with a millisecond part, so that ms precision is checked. Minutes, not hours:
     * VictoriaMetrics shows points of an earlier hour only after about ten seconds.
     */
    private final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(150).plusMillis(123);

    @BeforeEach
    void device() {
        fake.add("hp-1", "Cellar", "idm", "navigator_2_0", PrometheusMetricsTest.IDM_LIKE);
        catalog = new SeriesCatalog(fake.manager(), false);
    }

    static MetricsPusher.Settings settings(String url, String format, String user, String password, long flushMillis,
                                           long spoolMax) {
        return new MetricsPusher.Settings(url, format, user, password, "", false, flushMillis, 20_000, true,
                spoolMax, 2000, 50, 200);
    }

    /** Poll i: power 2.0 + i/10 kW, outdoor 4.5, circuit A 30 + i; one invalid reading that must not arrive. */
    DeviceSnapshot snapshot(int i) {
        Instant t = base.plusSeconds(i);
        Map<String, SensorReading> r = new LinkedHashMap<>();
        r.put("power_current", SensorReading.good("power_current", 2.0 + i / 10.0, null, t));
        r.put("temp_outdoor", SensorReading.good("temp_outdoor", 4.5, null, t));
        r.put("temp_flow_current_circuit_a", SensorReading.good("temp_flow_current_circuit_a", 30 + i, null, t));
        r.put("temp_return", SensorReading.invalid("temp_return", "sentinel", t));
        return new DeviceSnapshot("hp-1", "idm", "navigator_2_0", t, r);
    }

    static final int GOOD_PER_SNAPSHOT = 3;

    @ParameterizedTest
    @ValueSource(strings = { "influx", "prometheus" })
    void pushedPointsComeBackWithNamesLabelsValuesAndPollTimes(String format) throws Exception {
        try (VictoriaMetricsProcess vm = new VictoriaMetricsProcess(Tools.freePort(), dir.resolve("vm")).start()) {
            MetricsPusher pusher = new MetricsPusher(catalog, settings(vm.url(), format, "", "", 100, 1 << 20),
                    dir.resolve("spool"), false);
            for (int i = 0; i < 3; i++) {
                pusher.snapshot(snapshot(i));
            }
            pusher.cycle();
            MetricsPush.Status s = pusher.status();
            assertEquals("ok", s.state(), s.toString());
            assertEquals(3 * GOOD_PER_SNAPSHOT, s.pointsSent());
            assertEquals(0, s.spoolBatches());

            List<JsonNode> power = awaitSeries(vm, "{__name__=\"heatpump_power_current_watts\"}", 3);
            assertEquals(1, power.size());
            JsonNode metric = power.get(0).get("metric");
            assertEquals(Set.of("__name__", "heatpump_id", "manufacturer", "model"), fieldNames(metric));
            assertEquals("hp-1", metric.get("heatpump_id").asText());
            assertEquals("idm", metric.get("manufacturer").asText());
            assertEquals("navigator_2_0", metric.get("model").asText());
            assertEquals(List.of(2000.0, 2100.0, 2200.0), doubles(power.get(0).get("values")));
            assertEquals(List.of(base.toEpochMilli(), base.toEpochMilli() + 1000, base.toEpochMilli() + 2000),
                    longs(power.get(0).get("timestamps")));

            List<JsonNode> flow = awaitSeries(vm, "{__name__=\"heatpump_temp_flow_current_celsius\"}", 3);
            assertEquals("a", flow.get(0).get("metric").get("circuit").asText());
            assertEquals(List.of(30.0, 31.0, 32.0), doubles(flow.get(0).get("values")));
            assertTrue(vm.export("{__name__=~\".*temp_return.*\"}").isEmpty(), "invalid values are not pushed");
        }
    }

    /** Issue 7: the anomaly score is pushed like a sensor, under the time of the snapshot it scored, once. */
    @Test
    void anomalyScoresArePushedOnceUnderTheirOwnTime() throws Exception {
        try (VictoriaMetricsProcess vm = new VictoriaMetricsProcess(Tools.freePort(), dir.resolve("vm")).start();
             gateway.core.store.internal.Database db = gateway.core.store.internal.Database.open(dir.resolve("db"))) {
            gateway.core.store.internal.H2AnomalyStore scores = new gateway.core.store.internal.H2AnomalyStore(db);
            MetricsPusher pusher = new MetricsPusher(catalog, settings(vm.url(), "influx", "", "", 100, 1 << 20),
                    dir.resolve("spool"), false);
            pusher.anomalies = scores;
            pusher.snapshot(snapshot(0));
            scores.recordScore("hp-1", base, 0.25, false); // the detector scored snapshot 0
            pusher.snapshot(snapshot(1));
            scores.recordScore("hp-1", base.plusSeconds(1), 0.9, true);
            pusher.snapshot(snapshot(2));
            pusher.snapshot(snapshot(3)); // no new score: nothing repeated
            pusher.cycle();
            assertEquals(4 * GOOD_PER_SNAPSHOT + 4, pusher.status().pointsSent(), pusher.status().toString());
            List<JsonNode> score = awaitSeries(vm, "{__name__=\"heatpump_anomaly_score\"}", 2);
            assertEquals(List.of(0.25, 0.9), doubles(score.get(0).get("values")));
            assertEquals(List.of(base.toEpochMilli(), base.toEpochMilli() + 1000), longs(score.get(0).get("timestamps")));
            List<JsonNode> flag = awaitSeries(vm, "{__name__=\"heatpump_anomaly_flag\"}", 2);
            assertEquals(List.of(0.0, 1.0), doubles(flag.get(0).get("values")));
        }
    }

    @Test
    void anOutageLongerThanSeveralPushIntervalsLosesNothingAndDuplicatesNothing() throws Exception {
        int port = Tools.freePort();
        Path storage = dir.resolve("vm");
        VictoriaMetricsProcess vm = new VictoriaMetricsProcess(port, storage).start();
        MetricsPusher pusher = new MetricsPusher(catalog, settings(vm.url(), "influx", "", "", 100, 1 << 24),
                dir.resolve("spool"), true);
        int total = 120;
        try {
            boolean sawOutage = false;
            int maxBatches = 0;
            for (int i = 0; i < total; i++) {
                if (i == 30) {
                    await("first points accepted", () -> pusher.status().pointsSent() > 0);
                    vm.stop();
                }
                if (i == 90) {
                    // down for 60 polls x 20 ms = 1.2 s and more: twelve push intervals
                    MetricsPush.Status during = pusher.status();
                    sawOutage = "unreachable".equals(during.state());
                    maxBatches = during.spoolBatches();
                    vm = new VictoriaMetricsProcess(port, storage).start();
                }
                pusher.snapshot(snapshot(i));
                Thread.sleep(20);
            }
            assertTrue(sawOutage, "status during the outage: " + pusher.status());
            assertTrue(maxBatches > 3, "batches waited on disk during the outage: " + maxBatches);
            await("spool drained", () -> pusher.status().pointsSent() == (long) total * GOOD_PER_SNAPSHOT
                    && pusher.status().spoolBatches() == 0);
            assertEquals(0, pusher.status().pointsDropped());

            for (String name : List.of("heatpump_power_current_watts", "heatpump_temp_outdoor_celsius",
                    "heatpump_temp_flow_current_celsius")) {
                List<JsonNode> series = awaitSeries(vm, "{__name__=\"" + name + "\"}", total);
                assertEquals(1, series.size(), name);
                List<Long> ts = longs(series.get(0).get("timestamps"));
                assertEquals(total, ts.size(), name + ": every point exactly once");
                assertEquals(total, new HashSet<>(ts).size(), name + ": no duplicates");
                for (int i = 0; i < total; i++) {
                    assertTrue(ts.contains(base.toEpochMilli() + 1000L * i), name + " point " + i);
                }
            }
        } finally {
            pusher.close();
            vm.stop();
        }
    }

    @Test
    void wrongCredentialsKeepTheDataAndSayUnauthorized() throws Exception {
        try (VictoriaMetricsProcess vm = new VictoriaMetricsProcess(Tools.freePort(), dir.resolve("vm"),
                "-httpAuth.username=gateway", "-httpAuth.password=right").start()) {
            Path spool = dir.resolve("spool");
            MetricsPusher wrong = new MetricsPusher(catalog, settings(vm.url(), "prometheus", "gateway", "wrong",
                    100, 1 << 20), spool, false);
            wrong.snapshot(snapshot(0));
            wrong.cycle();
            MetricsPush.Status s = wrong.status();
            assertEquals("unauthorized", s.state(), s.toString());
            assertTrue(s.lastError().contains("HTTP 401"), s.lastError());
            assertFalse(s.lastError().contains("wrong"), "never the password: " + s.lastError());
            assertEquals(1, s.spoolBatches());
            assertEquals(0, s.pointsSent());
            wrong.close();

            // the corrected configuration (a new component instance) sends what waited on disk
            MetricsPusher right = new MetricsPusher(catalog, settings(vm.url(), "prometheus", "gateway", "right",
                    100, 1 << 20), spool, false);
            right.cycle();
            assertEquals("ok", right.status().state());
            assertEquals(GOOD_PER_SNAPSHOT, right.status().pointsSent());
            Thread.sleep(1500); // see awaitSeries
            await("the waiting point arrived", () -> {
                try {
                    return vm.export("{__name__=\"heatpump_temp_outdoor_celsius\"}", "gateway", "right").size() == 1;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @Test
    void aMalformedUrlOrAnUnreachableHostIsAStatusNotACrash() throws Exception {
        MetricsPusher bad = new MetricsPusher(catalog, settings("htp:/nowhere", "influx", "", "", 100, 1 << 20),
                dir.resolve("spool-bad"), false);
        bad.snapshot(snapshot(0));
        bad.cycle();
        assertEquals("misconfigured", bad.status().state());
        assertTrue(bad.status().lastError().contains("http://"), bad.status().lastError());
        assertFalse(Files.exists(dir.resolve("spool-bad")), "nothing is spooled for a URL that can never work");

        MetricsPusher badFormat = new MetricsPusher(catalog, settings("http://127.0.0.1:1", "graphite", "", "", 100,
                1 << 20), dir.resolve("spool-format"), false);
        assertEquals("misconfigured", badFormat.status().state());

        MetricsPusher away = new MetricsPusher(catalog, settings("http://127.0.0.1:" + Tools.freePort(), "influx",
                "", "", 100, 1 << 20), dir.resolve("spool-away"), false);
        away.snapshot(snapshot(0));
        away.cycle();
        assertEquals("unreachable", away.status().state());
        assertEquals(1, away.status().spoolBatches(), "kept for later");
        assertTrue(away.status().lagSeconds() > 140, "the point is 150 s old: " + away.status().lagSeconds());
    }

    @Test
    void aFullSpoolDropsTheOldestBatchesAndCountsTheirPoints() throws Exception {
        MetricsPusher away = new MetricsPusher(catalog, new MetricsPusher.Settings(
                "http://127.0.0.1:" + Tools.freePort(), "influx", "", "", "", false, 100, 20_000, false, 2048, 2000,
                50, 200), dir.resolve("spool"), false);
        int total = 40;
        for (int i = 0; i < total; i++) {
            away.snapshot(snapshot(i));
            away.seal(); // one batch per snapshot, ~400 bytes each
        }
        MetricsPush.Status s = away.status();
        assertTrue(s.spoolBytes() <= 2048, s.toString());
        assertTrue(s.pointsDropped() > 0, s.toString());
        assertEquals((long) total * GOOD_PER_SNAPSHOT, s.pointsDropped() + (long) s.spoolBatches() * GOOD_PER_SNAPSHOT);
        try (var files = Files.list(dir.resolve("spool"))) {
            assertEquals(s.spoolBatches(), files.count());
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    static List<JsonNode> awaitSeries(VictoriaMetricsProcess vm, String selector, int points) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<JsonNode> got = List.of();
        // a query that comes before VictoriaMetrics made new series searchable (~1 s) caches "no such series" for
        // about ten seconds; asking after that second is faster overall
        Thread.sleep(1500);
        while (System.nanoTime() < end) {
            got = vm.export(selector);
            int n = got.stream().mapToInt(s -> s.get("timestamps").size()).sum();
            if (n >= points) {
                return got;
            }
            Thread.sleep(200);
        }
        return fail("VictoriaMetrics did not return " + points + " points for " + selector + ": " + got);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // only a failure waits this long
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static Set<String> fieldNames(JsonNode n) {
        Set<String> out = new HashSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static List<Double> doubles(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asDouble()));
        return out;
    }

    static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asLong()));
        return out;
    }
}
