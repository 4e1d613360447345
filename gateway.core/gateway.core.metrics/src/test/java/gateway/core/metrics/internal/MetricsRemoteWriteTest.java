package gateway.core.metrics.internal;

import static gateway.core.metrics.internal.MetricsPushVictoriaTest.GOOD_PER_SNAPSHOT;
import static gateway.core.metrics.internal.MetricsPushVictoriaTest.await;
import static gateway.core.metrics.internal.MetricsPushVictoriaTest.awaitSeries;
import static gateway.core.metrics.internal.MetricsPushVictoriaTest.doubles;
import static gateway.core.metrics.internal.MetricsPushVictoriaTest.fieldNames;
import static gateway.core.metrics.internal.MetricsPushVictoriaTest.longs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.MetricsPush;
import gateway.core.api.SensorReading;
import gateway.core.testing.FakeManager;
import gateway.core.testing.PrometheusProcess;
import gateway.core.testing.Tools;
import gateway.core.testing.VictoriaMetricsProcess;

/**
 * Issue 15: {@code format=remote_write} (protobuf + snappy, remote write 1.0) into a real Prometheus
 * ({@code --web.enable-remote-write-receiver}) and a real VictoriaMetrics ({@code /api/v1/write}), with the gateway
 * identity on every series; values, labels and poll times come back through their query APIs.
 */
class MetricsRemoteWriteTest {

    @TempDir
    Path dir;

    /** Whole seconds in the recent past with a millisecond part, so that ms precision is checked. */
    private final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(150).plusMillis(123);

    private static Map<String, String> identity(String gatewayId, String site) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("gateway_id", gatewayId);
        if (site != null) {
            m.put("site", site);
        }
        return m;
    }

    /** A gateway: one IDM-like device {@code heatpumpId} and the catalog of a gateway with that identity. */
    private static SeriesCatalog gateway(String heatpumpId, Map<String, String> identity) {
        FakeManager fake = new FakeManager();
        fake.add(heatpumpId, "Cellar", "idm", "navigator_2_0", PrometheusMetricsTest.IDM_LIKE);
        return new SeriesCatalog(fake.manager(), false, identity);
    }

    /** Poll i: power 2.0 + i/10 kW (+ offset kW), outdoor 4.5, circuit A 30 + i; one invalid reading. */
    private DeviceSnapshot snapshot(String heatpumpId, int i, double offsetKw) {
        Instant t = base.plusSeconds(i);
        Map<String, SensorReading> r = new LinkedHashMap<>();
        r.put("power_current", SensorReading.good("power_current", 2.0 + i / 10.0 + offsetKw, null, t));
        r.put("temp_outdoor", SensorReading.good("temp_outdoor", 4.5, null, t));
        r.put("temp_flow_current_circuit_a", SensorReading.good("temp_flow_current_circuit_a", 30 + i, null, t));
        r.put("temp_return", SensorReading.invalid("temp_return", "sentinel", t));
        return new DeviceSnapshot(heatpumpId, "idm", "navigator_2_0", t, r);
    }

    private static MetricsPusher pusher(SeriesCatalog catalog, String url, Path spool, boolean start) {
        return new MetricsPusher(catalog, MetricsPushVictoriaTest.settings(url, "remote_write", "", "", 100, 1 << 24),
                spool, start);
    }

    @Test
    void remoteWriteIntoPrometheusComesBackWithIdentityLabelsValuesAndPollTimes() throws Exception {
        try (PrometheusProcess prom = new PrometheusProcess(Tools.freePort(), dir.resolve("prom")).start()) {
            MetricsPusher pusher = pusher(gateway("hp-1", identity("gw-berlin-01", "mitte")), prom.url(),
                    dir.resolve("spool"), false);
            for (int i = 0; i < 3; i++) {
                pusher.snapshot(snapshot("hp-1", i, 0));
            }
            pusher.cycle();
            MetricsPush.Status s = pusher.status();
            assertEquals("ok", s.state(), s.toString());
            assertEquals("remote_write", s.format());
            assertTrue(s.target().endsWith("/api/v1/write"), s.target());
            assertEquals(3 * GOOD_PER_SNAPSHOT, s.pointsSent());
            assertEquals(0, s.spoolBatches());

            List<JsonNode> power = prometheusSeries(prom, "heatpump_power_current_watts", 3);
            assertEquals(1, power.size());
            JsonNode metric = power.get(0).get("metric");
            assertEquals(Set.of("__name__", "heatpump_id", "manufacturer", "model", "gateway_id", "site"),
                    fieldNames(metric));
            assertEquals("hp-1", metric.get("heatpump_id").asText());
            assertEquals("gw-berlin-01", metric.get("gateway_id").asText());
            assertEquals("mitte", metric.get("site").asText());
            assertEquals(List.of(2000.0, 2100.0, 2200.0), promValues(power.get(0)));
            assertEquals(List.of(base.toEpochMilli(), base.toEpochMilli() + 1000, base.toEpochMilli() + 2000),
                    promTimes(power.get(0)));

            List<JsonNode> flow = prometheusSeries(prom, "heatpump_temp_flow_current_celsius", 3);
            assertEquals("a", flow.get(0).get("metric").get("circuit").asText());
            assertEquals(List.of(30.0, 31.0, 32.0), promValues(flow.get(0)));
            assertTrue(prom.rawSamples("{__name__=~\".*temp_return.*\"}", "1h").isEmpty(),
                    "invalid values are not pushed");
        }
    }

    @Test
    void remoteWriteIntoVictoriaMetricsComesBackWithIdentityLabelsValuesAndPollTimes() throws Exception {
        try (VictoriaMetricsProcess vm = new VictoriaMetricsProcess(Tools.freePort(), dir.resolve("vm")).start()) {
            MetricsPusher pusher = pusher(gateway("hp-1", identity("gw-berlin-01", null)), vm.url(),
                    dir.resolve("spool"), false);
            for (int i = 0; i < 3; i++) {
                pusher.snapshot(snapshot("hp-1", i, 0));
            }
            pusher.cycle();
            assertEquals("ok", pusher.status().state(), pusher.status().toString());
            assertEquals(3 * GOOD_PER_SNAPSHOT, pusher.status().pointsSent());

            List<JsonNode> power = awaitSeries(vm, "{__name__=\"heatpump_power_current_watts\"}", 3);
            assertEquals(1, power.size());
            JsonNode metric = power.get(0).get("metric");
            assertEquals(Set.of("__name__", "heatpump_id", "manufacturer", "model", "gateway_id"), fieldNames(metric),
                    "no site label when no site is set");
            assertEquals("gw-berlin-01", metric.get("gateway_id").asText());
            assertEquals(List.of(2000.0, 2100.0, 2200.0), doubles(power.get(0).get("values")));
            assertEquals(List.of(base.toEpochMilli(), base.toEpochMilli() + 1000, base.toEpochMilli() + 2000),
                    longs(power.get(0).get("timestamps")));
        }
    }

    /** Prometheus stopped for many push intervals, then restarted on its storage: every point once. */
    @Test
    void anOutageOfPrometheusLosesNothingAndDuplicatesNothing() throws Exception {
        int port = Tools.freePort();
        Path storage = dir.resolve("prom");
        PrometheusProcess prom = new PrometheusProcess(port, storage).start();
        MetricsPusher pusher = pusher(gateway("hp-1", identity("gw-a", null)), prom.url(), dir.resolve("spool"),
                true);
        int total = 120;
        try {
            boolean sawOutage = false;
            int maxBatches = 0;
            for (int i = 0; i < total; i++) {
                if (i == 30) {
                    await("first points accepted", () -> pusher.status().pointsSent() > 0);
                    prom.stop();
                }
                if (i == 90) {
                    MetricsPush.Status during = pusher.status();
                    sawOutage = "unreachable".equals(during.state());
                    maxBatches = during.spoolBatches();
                    prom = new PrometheusProcess(port, storage).start();
                }
                pusher.snapshot(snapshot("hp-1", i, 0));
                Thread.sleep(20);
            }
            assertTrue(sawOutage, "status during the outage: " + pusher.status());
            assertTrue(maxBatches > 3, "batches waited on disk during the outage: " + maxBatches);
            await("spool drained", () -> pusher.status().pointsSent() == (long) total * GOOD_PER_SNAPSHOT
                    && pusher.status().spoolBatches() == 0);
            assertEquals(0, pusher.status().pointsDropped());
            for (String name : List.of("heatpump_power_current_watts", "heatpump_temp_outdoor_celsius",
                    "heatpump_temp_flow_current_celsius")) {
                List<JsonNode> series = prometheusSeries(prom, name, total);
                assertEquals(1, series.size(), name);
                List<Long> ts = promTimes(series.get(0));
                assertEquals(total, ts.size(), name + ": every point exactly once");
                assertEquals(total, new HashSet<>(ts).size(), name + ": no duplicates");
                for (int i = 0; i < total; i++) {
                    assertTrue(ts.contains(base.toEpochMilli() + 1000L * i), name + " point " + i);
                }
            }
        } finally {
            pusher.close();
            prom.stop();
        }
    }

    /**
     * Three gateways, each with a device called hp-legacy, push into one VictoriaMetrics and stay apart by
     * gateway_id. Three pushers with their own spools in this JVM (not three gateway processes: the push is all that
     * differs between them, and three gateway JVMs cost minutes on a shared two-core machine).
     */
    @Test
    void threeGatewaysWithTheSameDeviceIdStayApartByGatewayId() throws Exception {
        try (VictoriaMetricsProcess vm = new VictoriaMetricsProcess(Tools.freePort(), dir.resolve("vm")).start()) {
            List<MetricsPusher> gateways = new ArrayList<>();
            for (int g = 1; g <= 3; g++) {
                MetricsPusher p = pusher(gateway("hp-legacy", identity("gw-" + g, "site-" + g)), vm.url(),
                        dir.resolve("spool-" + g), false);
                for (int i = 0; i < 5; i++) {
                    p.snapshot(snapshot("hp-legacy", i, g)); // gateway g: power (2 + g + i/10) kW
                }
                p.cycle();
                assertEquals(5 * GOOD_PER_SNAPSHOT, p.status().pointsSent(), p.status().toString());
                gateways.add(p);
            }
            List<JsonNode> all = awaitSeries(vm, "{__name__=\"heatpump_power_current_watts\"}", 15);
            assertEquals(3, all.size(), "one series per gateway: " + all);
            for (int g = 1; g <= 3; g++) {
                List<JsonNode> one = vm.export("{__name__=\"heatpump_power_current_watts\",gateway_id=\"gw-" + g
                        + "\"}");
                assertEquals(1, one.size());
                assertEquals("hp-legacy", one.get(0).get("metric").get("heatpump_id").asText());
                assertEquals("site-" + g, one.get(0).get("metric").get("site").asText());
                List<Double> expected = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    expected.add((double) Math.round((2.0 + i / 10.0 + g) * 1000));
                }
                List<Double> got = new ArrayList<>();
                doubles(one.get(0).get("values")).forEach(v -> got.add((double) Math.round(v)));
                assertEquals(expected, got, "gw-" + g);
            }
            // the query a Grafana panel per site would run: PromQL by site, through VictoriaMetrics' query API
            var r = vm.get("/api/v1/query?query=" + java.net.URLEncoder.encode(
                    "count by (gateway_id) (heatpump_power_current_watts{site=~\"site-1|site-3\"}[1h])",
                    java.nio.charset.StandardCharsets.UTF_8) + "&time=" + Instant.now().getEpochSecond());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"gw-1\"") && r.body().contains("\"gw-3\"")
                    && !r.body().contains("\"gw-2\""), r.body());
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static List<JsonNode> prometheusSeries(PrometheusProcess prom, String name, int points) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // only a failure waits this long
        List<JsonNode> got = List.of();
        while (System.nanoTime() < end) {
            got = prom.rawSamples(name, "1h");
            int n = got.stream().mapToInt(s -> s.get("values").size()).sum();
            if (n >= points) {
                return got;
            }
            Thread.sleep(200);
        }
        return fail("Prometheus did not return " + points + " points of " + name + ": " + got);
    }

    private static List<Double> promValues(JsonNode series) {
        List<Double> out = new ArrayList<>();
        series.get("values").forEach(v -> out.add(Double.parseDouble(v.get(1).asText())));
        return out;
    }

    /** Prometheus answers seconds with a millisecond fraction (e.g. 1733470000.123). */
    private static List<Long> promTimes(JsonNode series) {
        List<Long> out = new ArrayList<>();
        series.get("values").forEach(v -> out.add(new java.math.BigDecimal(v.get(0).asText())
                .movePointRight(3).longValueExact()));
        return out;
    }
}
