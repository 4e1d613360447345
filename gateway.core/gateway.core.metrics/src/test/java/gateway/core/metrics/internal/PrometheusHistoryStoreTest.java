package gateway.core.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.HistoryStore;
import gateway.core.api.SensorReading;
import gateway.core.testing.FakeManager;
import gateway.core.testing.Tools;
import gateway.core.testing.VictoriaMetricsProcess;

/**
 * The history source set to a real VictoriaMetrics: two gateways push a device with the same id through the existing
 * pusher, and the history of each reads back its own values (filtered by gateway_id and heatpump_id), in the
 * device's units, raw and downsampled.
 */
class PrometheusHistoryStoreTest {

    @TempDir
    Path dir;

    /** Whole seconds in the recent past (VictoriaMetrics shows points of an earlier hour only after a while). */
    private final Instant base = Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(240);

    private static DeviceSnapshot snapshot(Instant t, double powerKw, double outdoor) {
        Map<String, SensorReading> r = new LinkedHashMap<>();
        r.put("power_current", SensorReading.good("power_current", powerKw, null, t));
        r.put("temp_outdoor", SensorReading.good("temp_outdoor", outdoor, null, t));
        return new DeviceSnapshot("hp-1", "idm", "navigator_2_0", t, r);
    }

    @Test
    void historyOfEachGatewayComesBackFromVictoriaMetrics() throws Exception {
        FakeManager fake = new FakeManager();
        fake.add("hp-1", "Cellar", "idm", "navigator_2_0", PrometheusMetricsTest.IDM_LIKE);
        Map<String, String> berlin = Map.of("gateway_id", "berlin-01");
        Map<String, String> hamburg = Map.of("gateway_id", "hamburg-01");
        try (VictoriaMetricsProcess vm = new VictoriaMetricsProcess(Tools.freePort(), dir.resolve("vm")).start()) {
            MetricsPusher one = new MetricsPusher(new SeriesCatalog(fake.manager(), false, berlin),
                    MetricsPushVictoriaTest.settings(vm.url(), "remote_write", "", "", 100, 1 << 20),
                    dir.resolve("spool-1"), false);
            MetricsPusher two = new MetricsPusher(new SeriesCatalog(fake.manager(), false, hamburg),
                    MetricsPushVictoriaTest.settings(vm.url(), "remote_write", "", "", 100, 1 << 20),
                    dir.resolve("spool-2"), false);
            // 60 polls every 2 s: berlin's power 1.0 .. 6.9 kW, hamburg's a constant 9 kW
            for (int i = 0; i < 60; i++) {
                one.snapshot(snapshot(base.plusSeconds(2L * i), 1.0 + i / 10.0, 5.0));
                two.snapshot(snapshot(base.plusSeconds(2L * i), 9.0, -3.0));
            }
            one.cycle();
            two.cycle();
            assertEquals("ok", one.status().state(), one.status().toString());
            assertEquals("ok", two.status().state(), two.status().toString());
            MetricsPushVictoriaTest.awaitSeries(vm, "{__name__=\"heatpump_power_current_watts\"}", 60);

            HistoryStore berlinHistory = new PrometheusHistoryStore(URI.create(vm.url()), fake.manager(),
                    new SeriesCatalog(fake.manager(), false, berlin));
            HistoryStore hamburgHistory = new PrometheusHistoryStore(URI.create(vm.url()), fake.manager(),
                    new SeriesCatalog(fake.manager(), false, hamburg));
            // bucket k ends at from + k steps and averages the step before it: from = base puts the ends on the polls
            Instant from = base;
            Instant to = base.plusSeconds(119);

            // raw: one bucket per second, a point per poll, back in kW (the push wrote watts)
            List<HistoryStore.Point> raw = await(() -> berlinHistory.query("hp-1", "power_current", from, to, 0), 60);
            assertEquals(base, raw.get(0).time());
            assertEquals(1.0, raw.get(0).value(), 1e-9);
            assertEquals(6.9, raw.get(59).value(), 1e-9);
            assertEquals(base.plusSeconds(118), raw.get(59).time());

            // downsampled to 6 buckets of 20 s: each the average of its 10 polls, with their min and max
            List<HistoryStore.Point> six = berlinHistory.query("hp-1", "power_current", base.minusMillis(1),
                    base.plusSeconds(120).minusMillis(1), 6);
            assertTrue(six.size() >= 5 && six.size() <= 7, six.toString());
            HistoryStore.Point full = six.get(2);
            assertEquals(full.max() - full.min(), 0.9, 1e-9, "a 20 s bucket holds ten 2 s polls: " + six);
            assertEquals((full.min() + full.max()) / 2, full.value(), 1e-9, "average of an arithmetic run");

            // the other gateway's device with the same id: its own values only
            // (VictoriaMetrics makes a new series searchable a moment after its first samples: wait for it)
            List<HistoryStore.Point> other = await(() -> hamburgHistory.query("hp-1", "temp_outdoor", from, to, 0), 60);
            assertTrue(other.stream().allMatch(p -> p.value() == -3.0), other.toString());
            assertTrue(await(() -> berlinHistory.query("hp-1", "temp_outdoor", from, to, 0), 60).stream()
                    .allMatch(p -> p.value() == 5.0));

            assertTrue(berlinHistory.sensorsWithHistory("hp-1").contains("power_current"));
            assertEquals(List.of(), berlinHistory.query("hp-unknown", "power_current", from, to, 0));
        }
    }

    @Test
    void h2AndInvalidValuesRegisterNoStore() {
        assertNull(HistorySource.uri("h2"));
        assertNull(HistorySource.uri(""));
        assertNull(HistorySource.uri("victoria:8428"));
        assertEquals(URI.create("http://victoria:8428"), HistorySource.uri(" http://victoria:8428 "));
    }

    private static List<HistoryStore.Point> await(java.util.function.Supplier<List<HistoryStore.Point>> query,
                                                  int points) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<HistoryStore.Point> result = query.get();
        while (result.size() < points && System.nanoTime() < deadline) {
            Thread.sleep(500);
            result = query.get();
        }
        assertEquals(points, result.size(), result.toString());
        return result;
    }
}
