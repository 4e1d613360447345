package gateway.core.manager.internal;

import gateway.core.api.ListenerStats;
import gateway.core.testing.*;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import gateway.core.api.AccessMode;
import gateway.core.api.DataType;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.ReadingListener;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.testing.FakeManager;
import gateway.core.metrics.internal.MetricsPusher;
import gateway.core.metrics.internal.PrometheusMetrics;
import gateway.core.metrics.internal.SeriesCatalog;
import gateway.core.testing.Tools;
import gateway.core.testing.VictoriaMetricsProcess;
import gateway.core.store.internal.Database;
import gateway.core.store.internal.HistoryRecorder;

/**
 * Readings per second through the whole pipeline: snapshots of many simulated devices published by the real manager
 * (its per-listener bounded queues and threads) to the H2 history recorder and the metrics push writer (spool, gzip,
 * HTTP) into a real VictoriaMetrics, every listener on. The producer is the poll loop: it publishes as fast as the
 * listeners absorb (it waits only while a queue is three quarters full, which a real poll loop never does), so the
 * rate is the sustained one, with nothing dropped. Baseline in the same run: the manager's dispatch to a listener that
 * does nothing. Then a listener that sleeps 20 ms per snapshot is added to show that publishing is not delayed.
 *
 * <p>Run by .ci/bench: {@code java -cp ... gateway.core.manager.internal.MetricsPipelineBenchmark}.
 */
public final class MetricsPipelineBenchmark {

    static final int DEVICES = 200;
    static final int SENSORS = 100;
    static final int POLLS_PER_DEVICE = Integer.getInteger("bench.polls", 30);

    public static void main(String[] args) throws Exception {
        List<SensorDefinition> defs = new ArrayList<>();
        String[] units = { "°C", "kW", "kWh", "%", "bar", "Hz", "" };
        SensorCategory[] cats = { SensorCategory.TEMPERATURE, SensorCategory.POWER, SensorCategory.ENERGY,
                SensorCategory.PERCENT, SensorCategory.PRESSURE, SensorCategory.FREQUENCY, SensorCategory.STATUS };
        for (int s = 0; s < SENSORS; s++) {
            defs.add(SensorDefinition.builder("sensor_" + s + (s % 7 == 2 ? "_total" : "")).category(cats[s % 7])
                    .unit(units[s % 7]).type(DataType.FLOAT32).access(AccessMode.READ_ONLY).kind(RegisterKind.INPUT)
                    .build());
        }
        long total = (long) DEVICES * SENSORS * POLLS_PER_DEVICE;
        System.out.printf("%d devices x %d sensors x %d polls = %,d readings per run%n", DEVICES, SENSORS,
                POLLS_PER_DEVICE, total);

        // baseline: the manager's dispatch alone
        AtomicLong seen = new AtomicLong();
        double baseRate;
        try (ManagerFixture f = new ManagerFixture()) {
            PollingManager m = f.start();
            ReadingListener counter = s -> seen.addAndGet(s.readings().size());
            m.addListener(counter, Map.of("service.id", 1L));
            long t0 = System.nanoTime();
            publishAll(m, defs, Instant.now().minusSeconds(POLLS_PER_DEVICE + 60));
            await(() -> seen.get() == total, 120);
            baseRate = total / ((System.nanoTime() - t0) / 1e9);
            System.out.printf("baseline (dispatch to a no-op listener): %,.0f readings/s%n", baseRate);
        }

        Path dir = Files.createTempDirectory("gateway-bench-metrics");
        try (VictoriaMetricsProcess vm = new VictoriaMetricsProcess(Tools.freePort(), dir.resolve("vm")).start()) {
            SeriesCatalog catalog = new SeriesCatalog(id -> defs, false);
            // the push alone, then H2 alone, then everything at once: each a sustained rate with nothing dropped
            Instant start = Instant.now().minusSeconds(3 * POLLS_PER_DEVICE + 60);
            for (int phase = 0; phase < 3; phase++) {
                boolean withPush = phase != 1;
                boolean withHistory = phase != 0;
                String label = phase == 0 ? "push to VictoriaMetrics (influx, gzip, spool)"
                        : phase == 1 ? "H2 history" : "everything: H2 history + push";
                try (ManagerFixture f = new ManagerFixture()) {
                    Database db = withHistory
                            ? Database.open(new Database.Settings(dir.resolve("h2-" + phase), 30, 1, 20_000)) : null;
                    HistoryRecorder history = withHistory ? new HistoryRecorder(db) : null;
                    MetricsPusher push = withPush ? new MetricsPusher(catalog, new MetricsPusher.Settings(vm.url(),
                            "influx", "", "", "", false, 1000, 20_000, true, 1L << 30, 30_000, 200, 2000),
                            dir.resolve("spool-" + phase), true) : null;
                    PollingManager m = f.start();
                    if (withHistory) {
                        m.addListener(history, Map.of("service.id", 2L));
                    }
                    if (withPush) {
                        m.addListener(push, Map.of("service.id", 3L));
                    }
                    long cpu0 = processCpuNanos();
                    long t0 = System.nanoTime();
                    // the history recorder takes snapshots at once and writes in batches: keep its backlog bounded
                    long[] publishNanos = publishAll(m, defs, start.plusSeconds((long) phase * POLLS_PER_DEVICE),
                            published -> withHistory && published - history.written() - history.dropped() > 120_000);
                    await(() -> (!withPush || push.status().pointsSent() + push.status().pointsDropped() >= total)
                            && (!withHistory || history.written() + history.dropped() >= total), 600);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    long cpu = processCpuNanos() - cpu0;
                    double rate = total / seconds;
                    long drops = m.listenerStats().stream().mapToLong(ListenerStats.ListenerStat::dropped).sum();
                    System.out.printf("%-46s %,9.0f readings/s (%.2fx baseline; target >= 100,000), CPU %.2f us "
                            + "per reading; drops %d%n", label + ":", rate, rate / baseRate, cpu / 1000.0 / total,
                            drops + (withPush ? push.status().pointsDropped() : 0)
                                    + (withHistory ? history.dropped() : 0));
                    if (phase < 2) {
                        if (push != null) {
                            push.close();
                        }
                        if (db != null) {
                            db.close();
                        }
                        continue;
                    }
            Arrays.sort(publishNanos);
            System.out.printf("publish() per snapshot: median %.1f us, p99.9 %.1f us%n",
                    publishNanos[publishNanos.length / 2] / 1000.0,
                    publishNanos[(int) (publishNanos.length * 0.999)] / 1000.0);

            // a stuck listener: publishing stays as fast, only its own snapshots are dropped
            ReadingListener slow = s -> LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            m.addListener(slow, Map.of("service.id", 4L));
            long[] withSlow = new long[2000];
            for (int i = 0; i < withSlow.length; i++) {
                DeviceSnapshot s = snapshot(i % DEVICES, defs, Instant.now());
                long p0 = System.nanoTime();
                m.publish(s);
                withSlow[i] = System.nanoTime() - p0;
                LockSupport.parkNanos(200_000); // 5000 polls/s: faster than 50/s the slow listener takes
            }
            Arrays.sort(withSlow);
            long slowDrops = m.listenerStats().stream().filter(l -> l.listener().startsWith("MetricsPipeline"))
                    .mapToLong(ListenerStats.ListenerStat::dropped).sum();
            System.out.printf("with a listener sleeping 20 ms per snapshot: publish() median %.1f us, max %.1f us; "
                    + "the slow listener dropped %d of %d (counted), the poll loop waited 0%n",
                    withSlow[withSlow.length / 2] / 1000.0, withSlow[withSlow.length - 1] / 1000.0, slowDrops,
                    withSlow.length);
            push.close();
            db.close();
                }
            }

            // /metrics scrape cost for the same fleet: every device's latest snapshot in the exposition
            FakeManager fake = new FakeManager();
            for (int d = 0; d < DEVICES; d++) {
                fake.add("hp-" + d, "Device " + d, "bench", "model", defs);
                fake.latest.put("hp-" + d, snapshot(d, defs, Instant.now()));
            }
            PrometheusMetrics metrics = new PrometheusMetrics(fake.manager(), fake.listeners, fake.polls, false, true,
                    null, false);
            CountingWriter sink = new CountingWriter();
            metrics.write(sink); // warm-up
            long s0 = System.nanoTime();
            int scrapes = 5;
            for (int i = 0; i < scrapes; i++) {
                metrics.write(sink);
            }
            System.out.printf("/metrics for %,d device series: %.0f ms per scrape, %,d bytes%n",
                    DEVICES * SENSORS, (System.nanoTime() - s0) / 1e6 / scrapes, sink.chars / (scrapes + 1));
        }
    }

    static long[] publishAll(PollingManager m, List<SensorDefinition> defs, Instant start) {
        return publishAll(m, defs, start, published -> false);
    }

    static long[] publishAll(PollingManager m, List<SensorDefinition> defs, Instant start,
                             java.util.function.LongPredicate behind) {
        long[] nanos = new long[DEVICES * POLLS_PER_DEVICE];
        int capacity = 256;
        int k = 0;
        for (int poll = 0; poll < POLLS_PER_DEVICE; poll++) {
            Instant at = start.plusSeconds(poll);
            for (int d = 0; d < DEVICES; d++) {
                DeviceSnapshot s = snapshot(d, defs, at.plusMillis(d));
                while (m.listenerStats().stream().anyMatch(l -> l.queued() > capacity * 3 / 4)
                        || k % 50 == 0 && behind.test((long) k * SENSORS)) {
                    LockSupport.parkNanos(200_000);
                }
                long p0 = System.nanoTime();
                m.publish(s);
                nanos[k++] = System.nanoTime() - p0;
            }
        }
        return nanos;
    }

    static DeviceSnapshot snapshot(int device, List<SensorDefinition> defs, Instant at) {
        Map<String, SensorReading> r = new LinkedHashMap<>();
        for (int s = 0; s < defs.size(); s++) {
            String id = defs.get(s).id();
            r.put(id, SensorReading.good(id, (device * 31 + s * 7 + at.getEpochSecond() % 100) / 10.0, null, at));
        }
        return new DeviceSnapshot("hp-" + device, "bench", "model", at, r);
    }

    static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the pipeline did not finish within " + seconds + " s");
            }
            Thread.sleep(20);
        }
    }

    static long processCpuNanos() {
        try {
            Object v = ManagementFactory.getPlatformMBeanServer().getAttribute(
                    new javax.management.ObjectName("java.lang:type=OperatingSystem"), "ProcessCpuTime");
            return ((Number) v).longValue();
        } catch (Exception e) {
            return -1;
        }
    }

    static final class CountingWriter extends Writer {
        long chars;

        @Override
        public void write(char[] buf, int off, int len) {
            chars += len;
        }

        @Override
        public void write(String str) {
            chars += str.length();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
