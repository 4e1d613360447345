package gateway.core.manager.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import gateway.core.api.AccessMode;
import gateway.core.api.AlertStore.Alert;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.DataType;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.ListenerStats;
import gateway.core.api.ReadingListener;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.automation.internal.AutomationConfig;
import gateway.core.automation.internal.AutomationService;
import gateway.core.store.internal.Database;
import gateway.core.store.internal.H2AlertStore;
import gateway.core.store.internal.H2JobStore;
import gateway.core.store.internal.H2SettingsStore;

/**
 * The alert engine with 1,000 threshold alerts across 200 devices (5 each: 4 that never hold, 1 that fires on the
 * first snapshot and then stays firing, so every snapshot also runs the resolution check): CPU per snapshot when the
 * engine is called directly, and readings/s through the real manager's dispatch with the engine as a listener
 * against the same dispatch without it, in one run. Alerts live in a real H2 store; the engine's timer runs as in
 * production (definitions re-read every 2 s).
 *
 * <p>{@code java -cp ... gateway.core.manager.internal.AutomationBenchmark}
 */
public final class AutomationBenchmark {

    static final int DEVICES = MetricsPipelineBenchmark.DEVICES;
    static final int SENSORS = MetricsPipelineBenchmark.SENSORS;
    static final int RULES_PER_DEVICE = 5;

    public static void main(String[] args) throws Exception {
        List<SensorDefinition> defs = new ArrayList<>();
        for (int s = 0; s < SENSORS; s++) {
            defs.add(SensorDefinition.builder("sensor_" + s).category(SensorCategory.TEMPERATURE).unit("°C")
                    .type(DataType.FLOAT32).access(AccessMode.READ_ONLY).kind(RegisterKind.INPUT).build());
        }
        Path dir = Files.createTempDirectory("gateway-bench-automation");
        try (Database db = Database.open(dir)) {
            H2AlertStore alerts = new H2AlertStore(db);
            for (int d = 0; d < DEVICES; d++) {
                for (int r = 0; r < RULES_PER_DEVICE; r++) {
                    boolean fires = r == 0;
                    alerts.save(new Alert(null, "hp-" + d, "rule " + d + "/" + r, "threshold", "sensor_" + (r * 20),
                            fires ? ">" : "<", "-1000", null, true, 0, null, 0, 1.0, List.of(),
                            true));
                }
            }
            AutomationService engine = new AutomationService(devices(defs), new H2JobStore(db), alerts,
                    new DriverRegistry(), new H2SettingsStore(db), config());
            System.out.printf("%d alerts across %d devices (%d sensors per snapshot)%n", DEVICES * RULES_PER_DEVICE,
                    DEVICES, SENSORS);

            // 1. CPU per snapshot, the engine called directly on this thread
            List<DeviceSnapshot> snaps = new ArrayList<>();
            Instant t = Instant.now();
            for (int i = 0; i < 50; i++) {
                for (int d = 0; d < DEVICES; d++) {
                    snaps.add(MetricsPipelineBenchmark.snapshot(d, defs, t.plusSeconds(i)));
                }
            }
            for (DeviceSnapshot s : snaps) { // warm-up; also fires the 200 firing rules (200 H2 events)
                engine.snapshot(s);
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            int rounds = 10;
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                for (DeviceSnapshot s : snaps) {
                    engine.snapshot(s);
                }
            }
            long n = (long) rounds * snaps.size();
            double cpuMicros = (threads.getCurrentThreadCpuTime() - cpu0) / 1000.0 / n;
            System.out.printf("engine per snapshot (%d alerts of its device evaluated): CPU %.2f us, wall %.2f us "
                    + "(%,d snapshots)%n", RULES_PER_DEVICE, cpuMicros, (System.nanoTime() - wall0) / 1000.0 / n, n);

            // 2. the manager's dispatch, engine off then on, same run
            // the same dispatch to a second listener that does nothing shows what any extra listener thread costs
            // on this machine; rounds alternate so a busy moment on a shared machine hits all three alike
            dispatch(defs, null); // warm-up
            int dispatchRounds = 3;
            double[] off = new double[dispatchRounds];
            double[] on = new double[dispatchRounds];
            double[] noop = new double[dispatchRounds];
            for (int i = 0; i < dispatchRounds; i++) {
                off[i] = dispatch(defs, null);
                on[i] = dispatch(defs, engine);
                noop[i] = dispatch(defs, s -> { });
            }
            System.out.printf("dispatch, automation off: %,.0f readings/s (median of %d)%n", median(off),
                    dispatchRounds);
            System.out.printf("dispatch, automation on:  %,.0f readings/s (ratio on/off %.2f; target >= 100,000)%n",
                    median(on), median(on) / median(off));
            System.out.printf("dispatch, a no-op second listener instead: %,.0f readings/s (ratio %.2f)%n",
                    median(noop), median(noop) / median(off));
            engine.deactivate();
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v[v.length / 2];
    }

    /** Readings/s until every listener has taken every snapshot. */
    static double dispatch(List<SensorDefinition> defs, ReadingListener engine) throws Exception {
        AtomicLong seen = new AtomicLong();
        long total = (long) DEVICES * SENSORS * MetricsPipelineBenchmark.POLLS_PER_DEVICE;
        long snapshots = (long) DEVICES * MetricsPipelineBenchmark.POLLS_PER_DEVICE;
        try (ManagerFixture f = new ManagerFixture()) {
            PollingManager m = f.start();
            m.addListener(s -> seen.addAndGet(s.readings().size()), Map.of("service.id", 1L));
            if (engine != null) {
                m.addListener(engine, Map.of("service.id", 2L));
            }
            long t0 = System.nanoTime();
            MetricsPipelineBenchmark.publishAll(m, defs, Instant.now());
            MetricsPipelineBenchmark.await(() -> seen.get() == total && m.listenerStats().stream()
                    .allMatch(l -> l.delivered() + l.dropped() >= snapshots), 600);
            double rate = total / ((System.nanoTime() - t0) / 1e9);
            long drops = m.listenerStats().stream().mapToLong(ListenerStats.ListenerStat::dropped).sum();
            if (drops > 0) {
                System.out.printf("  (%d snapshots dropped)%n", drops);
            }
            return rate;
        }
    }

    /** The 200 devices as the engine sees them: names and sensors (messages use them). */
    static HeatpumpManager devices(List<SensorDefinition> defs) {
        Map<String, Heatpump> hps = new LinkedHashMap<>();
        for (int d = 0; d < DEVICES; d++) {
            hps.put("hp-" + d, new Heatpump("hp-" + d, "Device " + d, "bench", "model",
                    new ConnectionConfig("127.0.0.1", 502, 1), null, 30, true, null, null));
        }
        return (HeatpumpManager) Proxy.newProxyInstance(HeatpumpManager.class.getClassLoader(),
                new Class<?>[] { HeatpumpManager.class }, (proxy, method, args) -> {
                    String id = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
                    return switch (method.getName()) {
                        case "heatpumps" -> new ArrayList<>(hps.values());
                        case "heatpump" -> Optional.ofNullable(hps.get(id));
                        case "sensors" -> {
                            if (!hps.containsKey(id)) {
                                throw new UnknownHeatpumpException(id);
                            }
                            yield defs;
                        }
                        case "latest" -> Optional.empty();
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "BenchmarkDevices";
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
    }

    static AutomationConfig config() {
        return (AutomationConfig) Proxy.newProxyInstance(AutomationConfig.class.getClassLoader(),
                new Class<?>[] { AutomationConfig.class }, (proxy, method, args) ->
                        method.getDeclaringClass() == Object.class ? (method.getName().equals("equals") ? false
                                : method.getName().equals("hashCode") ? 0 : "AutomationConfig")
                                : method.getDefaultValue());
    }
}
