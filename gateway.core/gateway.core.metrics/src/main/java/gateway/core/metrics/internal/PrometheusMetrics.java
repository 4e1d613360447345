package gateway.core.metrics.internal;

import java.io.IOException;
import java.io.Writer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

import gateway.core.api.AnomalyStore;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceState;
import gateway.core.api.DeviceStatus;
import gateway.core.api.GatewayIdentity;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.MetricsExposition;
import gateway.core.api.MetricsPush;
import gateway.core.api.MqttStatus;
import gateway.core.api.SensorReading;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.ListenerStats;
import gateway.core.api.PollStatistics;

/**
 * The Prometheus text exposition behind {@code /metrics}: the GOOD values of each device's latest snapshot as
 * gauges (counters for cumulative counts), {@code heatpump_up} per device, and the gateway's self-metrics.
 *
 * <p>It reads the manager's latest snapshot at scrape time rather than keeping its own copy: the manager marks
 * values STALE when a poll fails, and stale or invalid values must not be exposed.
 */
@Component(service = MetricsExposition.class, configurationPid = PrometheusMetrics.PID)
@Designate(ocd = MetricsConfig.class)
public final class PrometheusMetrics implements MetricsExposition {

    public static final String PID = "gateway.metrics";

    private final HeatpumpManager manager;
    private final ListenerStats listeners;
    private final PollStatistics polls;
    private final SeriesCatalog catalog;
    private final boolean selfMetrics;
    /** The gateway's identity for gateway_info, or null. */
    private final GatewayIdentity identity;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MetricsPush push;
    /** gateway.core.mqtt's state and counters; package-private so tests can plug one in. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile MqttStatus mqtt;
    /** gateway.ml's scores; package-private so tests can plug a store in. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile AnomalyStore anomalies;

    @Activate
    public PrometheusMetrics(@Reference HeatpumpManager manager, @Reference ListenerStats listeners,
                             @Reference PollStatistics polls,
                             @Reference(cardinality = ReferenceCardinality.OPTIONAL,
                                     policyOption = ReferencePolicyOption.GREEDY) GatewayIdentity identity,
                             MetricsConfig config) {
        this(manager, listeners, polls, config.compatibility_names(), config.self_metrics(), identity,
                config.identity_labels());
    }

    /**
     * For tests (no other constructor may have five parameters: SCR picks the activation constructor by its count).
     *
     * @param identity       the gateway's identity for gateway_info, or null
     * @param identityLabels add the identity's labels to every device series (needs {@code identity}) */
    public PrometheusMetrics(HeatpumpManager manager, ListenerStats listeners, PollStatistics polls, boolean compat,
                             boolean selfMetrics, GatewayIdentity identity, boolean identityLabels) {
        this.manager = manager;
        this.listeners = listeners;
        this.polls = polls;
        this.identity = identity;
        this.catalog = new SeriesCatalog(manager, compat,
                identity != null && identityLabels ? identity.labels() : java.util.Map.of());
        this.selfMetrics = selfMetrics;
    }

    /** Samples grouped by family so that each family's lines stay together under one HELP and TYPE. */
    private static final class Families {
        private record Family(String type, String help, List<String> lines) {
        }

        private final Map<String, Family> byName = new TreeMap<>();

        void add(String name, String type, String help, String labels, double value) {
            byName.computeIfAbsent(name, n -> new Family(type, help, new ArrayList<>()))
                    .lines.add(name + labels + " " + MetricNaming.number(value));
        }

        /** For histogram samples, whose lines carry suffixed names under the family's name. */
        void addRaw(String family, String type, String help, String line) {
            byName.computeIfAbsent(family, n -> new Family(type, help, new ArrayList<>())).lines.add(line);
        }

        boolean has(String name) {
            return byName.containsKey(name);
        }

        void write(Writer out) throws IOException {
            for (Map.Entry<String, Family> e : byName.entrySet()) {
                Family f = e.getValue();
                out.write("# HELP " + e.getKey() + " " + f.help + "\n");
                out.write("# TYPE " + e.getKey() + " " + f.type + "\n");
                for (String line : f.lines) {
                    out.write(line);
                    out.write('\n');
                }
            }
        }
    }

    @Override
    public void write(Writer out) throws IOException {
        Families f = new Families();
        for (Heatpump hp : manager.heatpumps()) {
            devices(f, hp);
        }
        if (selfMetrics) {
            self(f);
        }
        f.write(out);
        out.flush();
    }

    private void devices(Families f, Heatpump hp) {
        DeviceStatus status;
        DeviceSnapshot snapshot;
        try {
            status = manager.status(hp.id());
            snapshot = manager.latest(hp.id()).orElse(null);
        } catch (UnknownHeatpumpException e) {
            return; // deleted while we scrape
        }
        boolean up = status.state() == DeviceState.ONLINE || status.state() == DeviceState.DEGRADED;
        String idLabel = "{heatpump_id=\"" + MetricNaming.escape(hp.id()) + "\"}";
        f.add("heatpump_up", "gauge", "1 when the last poll of the device returned data, else 0", idLabel,
                up ? 1 : 0);
        f.add("gateway_reconnects_total", "counter", "Connections opened to the device since start", idLabel,
                status.reconnects());
        if (snapshot == null) {
            return;
        }
        Map<String, SeriesCatalog.Entry> entries = catalog.entries(hp.id(), snapshot.manufacturer(),
                snapshot.model());
        for (SensorReading r : snapshot.readings().values()) {
            if (!r.good() || r.value() == null || !Double.isFinite(r.value())) {
                continue; // invalid, stale, error and text-only values are left out
            }
            sample(f, entries, hp.id(), snapshot, r.sensorId(), r.value());
        }
        // gateway.ml's score, named like any sensor of the device; only while the device answers, like its values
        AnomalyStore a = anomalies;
        AnomalyStore.Score score = a == null || !up ? null : a.latestScore(hp.id()).orElse(null);
        if (score != null) {
            sample(f, entries, hp.id(), snapshot, AnomalyStore.SCORE_SENSOR, score.score());
            sample(f, entries, hp.id(), snapshot, AnomalyStore.FLAG_SENSOR, score.flag() ? 1 : 0);
        }
    }

    private void sample(Families f, Map<String, SeriesCatalog.Entry> entries, String heatpumpId,
                        DeviceSnapshot snapshot, String sensorId, double value) {
        SeriesCatalog.Entry e = entries.get(sensorId);
        if (e == null) {
            e = catalog.unknown(entries, heatpumpId, snapshot.manufacturer(), snapshot.model(), sensorId);
        }
        MetricNaming.Series s = e.series();
        f.add(s.name(), s.type().text(), s.help(), e.labels(), value * s.factor());
    }

    private static void histogram(Families f, String name, String help, double[] bounds, PollStatistics.Histogram h) {
        for (int i = 0; i < bounds.length; i++) {
            f.addRaw(name, "histogram", help, name + "_bucket{le=\"" + MetricNaming.number(bounds[i]) + "\"} "
                    + h.cumulative()[i]);
        }
        f.addRaw(name, "histogram", help, name + "_bucket{le=\"+Inf\"} " + h.count());
        f.addRaw(name, "histogram", help, name + "_sum " + MetricNaming.number(h.sumSeconds()));
        f.addRaw(name, "histogram", help, name + "_count " + h.count());
    }

    private void self(Families f) {
        if (identity != null) {
            StringBuilder lbl = new StringBuilder("{");
            identity.labels().forEach((k, v) -> lbl.append(lbl.length() > 1 ? "," : "").append(k).append("=\"")
                    .append(MetricNaming.escape(v)).append('"'));
            f.add("gateway_info", "gauge", "The gateway's identity (value 1)", lbl.append('}').toString(), 1);
        }
        histogram(f, "gateway_poll_duration_seconds", "Duration of device polls", PollStatistics.DURATION_BUCKETS,
                polls.pollDurations());
        histogram(f, "gateway_poll_lateness_seconds",
                "How late scheduled device polls started against their slot (first polls after a start, a change "
                        + "or a failure have none)", PollStatistics.LATENESS_BUCKETS, polls.pollLateness());
        for (Map.Entry<String, Long> e : polls.pollsByResult().entrySet()) {
            f.add("gateway_polls_total", "counter", "Device polls by result", "{result=\"" + e.getKey() + "\"}",
                    e.getValue());
        }
        f.add("gateway_protocol_requests_total", "counter", "Protocol requests sent by successful polls", "",
                polls.protocolRequests());
        for (ListenerStats.ListenerStat l : listeners.listenerStats()) {
            String lbl = "{listener=\"" + MetricNaming.escape(l.listener()) + "\"}";
            f.add("gateway_listener_delivered_total", "counter", "Events handed to a reading listener", lbl,
                    l.delivered());
            f.add("gateway_listener_dropped_total", "counter",
                    "Events dropped because a reading listener's queue was full", lbl, l.dropped());
            f.add("gateway_listener_queue_length", "gauge", "Events waiting for a reading listener", lbl,
                    l.queued());
        }
        MetricsPush p = push;
        if (p != null) {
            MetricsPush.Status s = p.status();
            f.add("gateway_push_enabled", "gauge", "1 when a push target is configured", "", s.enabled() ? 1 : 0);
            f.add("gateway_push_up", "gauge", "1 when the last push attempt succeeded", "",
                    "ok".equals(s.state()) ? 1 : 0);
            f.add("gateway_push_lag_seconds", "gauge", "Age of the oldest point waiting to be pushed", "",
                    s.lagSeconds());
            f.add("gateway_push_spool_bytes", "gauge", "Size of the on-disk push spool", "", s.spoolBytes());
            f.add("gateway_push_spool_batches", "gauge", "Batches waiting in the on-disk push spool", "",
                    s.spoolBatches());
            f.add("gateway_push_points_sent_total", "counter", "Points accepted by the push target", "",
                    s.pointsSent());
            f.add("gateway_push_points_dropped_total", "counter",
                    "Points lost because the spool was full or the target rejected them", "", s.pointsDropped());
        }
        mqtt(f);
        jvm(f);
    }

    private void mqtt(Families f) {
        MqttStatus m = mqtt;
        if (m == null) {
            return;
        }
        MqttStatus.Connection s = m.status();
        for (String state : List.of(MqttStatus.DISABLED, MqttStatus.CONNECTING, MqttStatus.CONNECTED,
                MqttStatus.UNAUTHORIZED, MqttStatus.UNREACHABLE, MqttStatus.MISCONFIGURED)) {
            f.add("gateway_mqtt_state", "gauge", "1 for the MQTT bridge's current connection state",
                    "{state=\"" + state + "\"}", state.equals(s.state()) ? 1 : 0);
        }
        f.add("gateway_mqtt_messages_published_total", "counter", "MQTT messages handed to the broker", "",
                s.published());
        f.add("gateway_mqtt_messages_dropped_total", "counter",
                "MQTT value messages dropped (broker away or outgoing queue full)", "", s.dropped());
        f.add("gateway_mqtt_queue_length", "gauge", "MQTT messages waiting for the broker", "", s.queued());
        f.add("gateway_mqtt_connects_total", "counter", "Successful MQTT connections since start", "",
                s.connects());
        f.add("gateway_mqtt_commands_total", "counter", "MQTT commands by outcome", "{outcome=\"ok\"}",
                s.commandsAccepted());
        f.add("gateway_mqtt_commands_total", "counter", "MQTT commands by outcome", "{outcome=\"refused\"}",
                s.commandsRefused());
    }

    private static void jvm(Families f) {
        var mem = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = mem.getHeapMemoryUsage();
        MemoryUsage nonHeap = mem.getNonHeapMemoryUsage();
        f.add("jvm_memory_used_bytes", "gauge", "Used JVM memory", "{area=\"heap\"}", heap.getUsed());
        f.add("jvm_memory_used_bytes", "gauge", "Used JVM memory", "{area=\"nonheap\"}", nonHeap.getUsed());
        f.add("jvm_memory_committed_bytes", "gauge", "Committed JVM memory", "{area=\"heap\"}", heap.getCommitted());
        f.add("jvm_memory_committed_bytes", "gauge", "Committed JVM memory", "{area=\"nonheap\"}",
                nonHeap.getCommitted());
        if (heap.getMax() > 0) {
            f.add("jvm_memory_max_bytes", "gauge", "Maximum JVM heap", "{area=\"heap\"}", heap.getMax());
        }
        f.add("jvm_threads_current", "gauge", "Live JVM threads", "",
                ManagementFactory.getThreadMXBean().getThreadCount());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String lbl = "{gc=\"" + MetricNaming.escape(gc.getName()) + "\"}";
            f.add("jvm_gc_collection_seconds_total", "counter", "Time spent in garbage collection", lbl,
                    Math.max(0, gc.getCollectionTime()) / 1000.0);
            f.add("jvm_gc_collections_total", "counter", "Garbage collections", lbl,
                    Math.max(0, gc.getCollectionCount()));
        }
        f.add("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch", "",
                ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
        long cpu = processCpuNanos();
        if (cpu >= 0) {
            f.add("process_cpu_seconds_total", "counter", "CPU time used by the process", "", cpu / 1e9);
        }
    }

    /** Through JMX, so the bundle needs no import of com.sun.management (not exported by every framework). */
    static long processCpuNanos() {
        try {
            Object v = ManagementFactory.getPlatformMBeanServer().getAttribute(
                    new javax.management.ObjectName("java.lang:type=OperatingSystem"), "ProcessCpuTime");
            return v instanceof Number n ? n.longValue() : -1;
        } catch (Exception | LinkageError e) {
            return -1;
        }
    }
}
