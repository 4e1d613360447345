package gateway.core.metrics.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import gateway.core.api.AccessMode;
import gateway.core.api.DataType;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.testing.FakeManager;
import gateway.core.testing.Tools;
import gateway.core.testing.VictoriaMetricsProcess;

/**
 * Push throughput by format, in one run against one real VictoriaMetrics: snapshots of 200 devices x 100 sensors
 * through the pusher (buffer, seal into the spool with its compression, HTTP until 2xx), points per second and bytes
 * on the wire per point. Formats take turns, five rounds, so a noisy machine affects them alike; the figure is the
 * best round of each, and the ratio is against influx (the default). The identity labels are on.
 *
 * <p>Run: {@code java -cp <test classpath> gateway.core.metrics.internal.PushFormatBenchmark}.
 */
public final class PushFormatBenchmark {

    static final int DEVICES = 200;
    static final int SENSORS = 100;
    static final int POLLS = Integer.getInteger("bench.polls", 10);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 5);

    public static void main(String[] args) throws Exception {
        List<SensorDefinition> defs = new ArrayList<>();
        for (int s = 0; s < SENSORS; s++) {
            defs.add(SensorDefinition.builder("sensor_" + s).category(SensorCategory.TEMPERATURE).unit("°C")
                    .type(DataType.FLOAT32).access(AccessMode.READ_ONLY).kind(RegisterKind.INPUT).build());
        }
        FakeManager fake = new FakeManager();
        for (int d = 0; d < DEVICES; d++) {
            fake.add("hp-" + d, "Device " + d, "idm", "navigator_2_0", defs);
        }
        Path dir = Files.createTempDirectory("push-bench");
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("gateway_id", "bench-gw-01");
        identity.put("site", "lab");
        String[] formats = { "influx", "prometheus", "remote_write" };
        Map<String, double[]> best = new LinkedHashMap<>(); // points/s, bytes/point
        Instant base = Instant.now().minusSeconds(3600);
        try (VictoriaMetricsProcess vm = new VictoriaMetricsProcess(Tools.freePort(), dir.resolve("vm")).start()) {
            int round = 0;
            for (int r = 0; r < ROUNDS; r++) {
                for (String format : formats) {
                    SeriesCatalog catalog = new SeriesCatalog(fake.manager(), false, identity);
                    Path spool = dir.resolve("spool-" + format + "-" + r);
                    MetricsPusher p = new MetricsPusher(catalog, new MetricsPusher.Settings(vm.url(), format, "", "",
                            "", false, 5000, 20_000, true, 1L << 30, 30_000, 50, 200), spool, false);
                    long points = 0;
                    long bytes = 0;
                    long t0 = System.nanoTime();
                    for (int poll = 0; poll < POLLS; poll++) {
                        Instant t = base.plusSeconds(30L * (round * POLLS + poll));
                        for (int d = 0; d < DEVICES; d++) {
                            Map<String, SensorReading> readings = new LinkedHashMap<>();
                            for (int s = 0; s < SENSORS; s++) {
                                String id = "sensor_" + s;
                                readings.put(id, SensorReading.good(id, 20 + (d * 7 + s + poll) % 50 / 10.0, null, t));
                            }
                            p.snapshot(new DeviceSnapshot("hp-" + d, "idm", "navigator_2_0", t, readings));
                            points += SENSORS;
                        }
                        p.seal(); // one flush per poll round, as the 5 s flush would
                        bytes += p.status().spoolBytes();
                        p.cycle();
                    }
                    double secs = (System.nanoTime() - t0) / 1e9;
                    if (!"ok".equals(p.status().state()) || p.status().pointsSent() != points) {
                        throw new IllegalStateException(format + ": " + p.status());
                    }
                    p.close();
                    double rate = points / secs;
                    double perPoint = (double) bytes / points;
                    System.out.printf("round %d %-13s %,10.0f points/s  %5.2f bytes/point on the wire%n", r + 1, format,
                            rate, perPoint);
                    best.merge(format, new double[] { rate, perPoint },
                            (a, b) -> a[0] >= b[0] ? a : b);
                }
                round++;
            }
        }
        double influx = best.get("influx")[0];
        System.out.println();
        System.out.printf("%-13s %14s %10s %12s%n", "format", "points/s", "vs influx", "bytes/point");
        best.forEach((f, v) -> System.out.printf("%-13s %,14.0f %9.2fx %12.2f%n", f, v[0], v[0] / influx, v[1]));
    }
}
