package gateway.core.mqtt.internal;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import gateway.core.api.AccessMode;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.DataType;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceState;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.ListenerStats;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.manager.internal.DriverRegistry;
import gateway.core.manager.internal.PollingManager;
import gateway.core.testing.InMemoryStores;
import gateway.core.testing.MosquittoProcess;

/**
 * MQTT throughput against a local Mosquitto, printed as ratios measured in the same run:
 * <ol>
 * <li>value messages per second through the bridge's connection (bounded queue, one publisher thread, Paho) until a
 * subscriber has them all, at QoS 0 and QoS 1, against the fleet target: 200 devices x 100 sensors every 30 s
 * = 667 messages/s, times 10 headroom = 6,667/s;</li>
 * <li>readings per second through the real manager's listener dispatch with the bridge as a listener (200 devices x
 * 100 sensors, HA discovery on) against the same dispatch without it.</li>
 * </ol>
 * {@code java -cp ... gateway.core.mqtt.internal.MqttBenchmark} (see .ci/bench, section 7)
 */
public final class MqttBenchmark {

    static final int DEVICES = 200;
    static final int SENSORS = 100;
    static final int POLLS = Integer.getInteger("bench.polls", 10);
    static final double TARGET = DEVICES * SENSORS / 30.0 * 10;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("gateway-bench-mqtt");
        try (MosquittoProcess broker = new MosquittoProcess(dir).config("max_queued_messages 0").start()) {
            System.out.printf("target: %,.0f messages/s (%d devices x %d sensors every 30 s, 10x headroom)%n",
                    TARGET, DEVICES, SENSORS);
            for (int qos : new int[] { 0, 1 }) {
                rate(broker, qos, 20_000); // warm-up
                double r = rate(broker, qos, qos == 0 ? 100_000 : 50_000);
                System.out.printf("QoS %d: %,.0f messages/s to a subscriber (%.1fx the target)%n", qos, r, r / TARGET);
            }
            List<SensorDefinition> defs = new ArrayList<>();
            for (int s = 0; s < SENSORS; s++) {
                defs.add(SensorDefinition.builder("sensor_" + s).name("Sensor " + s)
                        .category(SensorCategory.TEMPERATURE).unit("°C").type(DataType.FLOAT32)
                        .access(AccessMode.READ_ONLY).kind(RegisterKind.INPUT).build());
            }
            dispatch(defs, null); // warm-up
            double[] off = new double[3];
            double[] on = new double[3];
            for (int i = 0; i < off.length; i++) {
                off[i] = dispatch(defs, null);
                on[i] = dispatch(defs, broker);
            }
            System.out.printf("pipeline, MQTT off: %,.0f readings/s (median of %d)%n", median(off), off.length);
            System.out.printf("pipeline, MQTT on:  %,.0f readings/s (ratio on/off %.2f)%n", median(on),
                    median(on) / median(off));
        }
    }

    /** Messages/s from the first offer until the subscriber received the last one. */
    static double rate(MosquittoProcess broker, int qos, int n) throws Exception {
        AtomicLong received = new AtomicLong();
        MqttClient sub = new MqttClient(broker.url(), "bench-sub-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMaxInflight(1000);
        sub.connect(o);
        sub.subscribe("bench/#", qos, (t, m) -> received.incrementAndGet());
        MqttSettings settings = MqttSettings.of(Fixture.config(Map.of("broker_url", broker.url(),
                "client_id", "bench-pub-" + System.nanoTime(), "topic_prefix", "bench", "queue_capacity", n)), "b");
        BrokerConnection c = new BrokerConnection(settings, new BrokerConnection.Handler() {
            @Override
            public void connected(BrokerConnection connection) {
            }

            @Override
            public void message(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
            }
        });
        c.start();
        await(c::ready, 30);
        byte[] payload = Payloads.value(SensorReading.good("sensor_1", 21.5, null, Instant.now()),
                SensorDefinition.builder("sensor_1").unit("°C").type(DataType.FLOAT32).build());
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            while (!c.offer(new BrokerConnection.Outgoing("bench/hp-" + (i % DEVICES) + "/sensor_" + (i % SENSORS),
                    payload, qos, false))) {
                // the queue holds all n; an offer fails only if the connection dropped
                if (!c.ready()) {
                    throw new IllegalStateException("connection lost");
                }
            }
        }
        await(() -> received.get() + c.dropped() >= n, 600);
        double rate = received.get() / ((System.nanoTime() - t0) / 1e9);
        if (c.dropped() > 0) {
            System.out.printf("  (%d of %d messages dropped)%n", c.dropped(), n);
        }
        c.close();
        sub.disconnect();
        sub.close();
        return rate;
    }

    /** Readings/s through the manager's dispatch until every listener took every snapshot. */
    static double dispatch(List<SensorDefinition> defs, MosquittoProcess broker) throws Exception {
        AtomicLong seen = new AtomicLong();
        long snapshots = (long) DEVICES * POLLS;
        long total = snapshots * SENSORS;
        DriverRegistry registry = new DriverRegistry();
        PollingManager m = Fixture.manager(new InMemoryStores.Repository(), new InMemoryStores.Settings(),
                new InMemoryStores.Audit(), new InMemoryStores.Dashboards(), registry, Map.of());
        MqttBridge bridge = null;
        try {
            m.addListener(s -> seen.addAndGet(s.readings().size()), Map.of("service.id", 1L));
            if (broker != null) {
                bridge = new MqttBridge(devices(defs), registry, MqttSettings.of(Fixture.config(Map.of(
                        "broker_url", broker.url(), "client_id", "bench-bridge-" + System.nanoTime(),
                        "topic_prefix", "benchpipe", "qos", 0)), "bench"), "bench", "bench");
                MqttBridge b = bridge;
                await(() -> b.status().state().equals("connected"), 60); // includes announcing 20,000 entities
                m.addListener(bridge, Map.of("service.id", 2L));
            }
            long t0 = System.nanoTime();
            Instant start = Instant.now();
            for (int poll = 0; poll < POLLS; poll++) {
                for (int d = 0; d < DEVICES; d++) {
                    while (m.listenerStats().stream().anyMatch(l -> l.queued() > 192)) {
                        java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                    }
                    m.publish(snapshot(d, defs, start.plusSeconds(poll).plusMillis(d)));
                }
            }
            await(() -> seen.get() == total && m.listenerStats().stream()
                    .allMatch(l -> l.delivered() + l.dropped() >= snapshots), 600);
            double rate = total / ((System.nanoTime() - t0) / 1e9);
            long drops = m.listenerStats().stream().mapToLong(ListenerStats.ListenerStat::dropped).sum();
            if (bridge != null) {
                MqttBridge b = bridge;
                await(() -> b.status().queued() == 0, 120);
                System.out.printf("  MQTT on: %,d messages published, %,d dropped, %d snapshots dropped by the "
                        + "manager's queue%n", b.status().published(), b.status().dropped(), drops);
            }
            return rate;
        } finally {
            if (bridge != null) {
                m.removeListener(bridge);
                bridge.deactivate();
            }
            m.deactivate();
        }
    }

    static DeviceSnapshot snapshot(int device, List<SensorDefinition> defs, Instant at) {
        Map<String, SensorReading> r = new LinkedHashMap<>();
        for (int s = 0; s < defs.size(); s++) {
            String id = defs.get(s).id();
            r.put(id, SensorReading.good(id, (device * 31 + s * 7 + at.getEpochSecond() % 100) / 10.0, null, at));
        }
        return new DeviceSnapshot("hp-" + device, "bench", "model", at, r);
    }

    /** The 200 devices as the bridge sees them: names, sensors, online. */
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
                        case "status" -> new DeviceStatus(id, DeviceState.ONLINE, 0, 0, null, null, null, 1, 0, 0,
                                null, 1, SENSORS);
                        case "latest" -> Optional.empty();
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "BenchmarkDevices";
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
    }

    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v[v.length / 2];
    }

    static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("not done within " + seconds + " s");
            }
            Thread.sleep(5);
        }
    }


}
