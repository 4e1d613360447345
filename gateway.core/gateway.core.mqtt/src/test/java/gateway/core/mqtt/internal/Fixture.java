package gateway.core.mqtt.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.AuditLog;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.CopStore;
import gateway.core.api.DashboardStore;
import gateway.core.api.DeviceConfig;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.HeatpumpStore;
import gateway.core.api.ManufacturerRegistry;
import gateway.core.api.SettingsStore;
import gateway.core.manager.internal.DriverRegistry;
import gateway.core.manager.internal.PollingManager;
import gateway.core.testing.InMemoryStores;
import gateway.core.testing.MosquittoProcess;
import gateway.core.testing.SimulatedDevice;
import gateway.core.testing.TestDriver;

/**
 * The real parts of the MQTT tests: a Mosquitto broker, the real manager (its write path, audit and polling on
 * real time) with the test driver, a Modbus simulator over loopback TCP, the bridge as the manager's listener, and a
 * subscriber that records everything the broker delivers.
 */
final class Fixture implements AutoCloseable {

    static final String GATEWAY_ID = "0a1b2c3d";

    final Path dir;
    final MosquittoProcess broker;
    final InMemoryStores.Audit audit = new InMemoryStores.Audit();
    final InMemoryStores.Settings settings = new InMemoryStores.Settings();
    final DriverRegistry registry = new DriverRegistry();
    final List<SimulatedDevice> devices = new ArrayList<>();
    PollingManager manager;
    MqttBridge bridge;
    Subscriber subscriber;

    Fixture(Path dir) throws Exception {
        this.dir = dir;
        this.broker = new MosquittoProcess(dir);
    }

    Fixture startBroker() throws Exception {
        broker.start();
        return this;
    }

    Fixture startManager() throws Exception {
        registry.bindDriver(new TestDriver());
        manager = manager(new InMemoryStores.Repository(), settings, audit, new InMemoryStores.Dashboards(),
                registry, Map.of("backoff_min_millis", 200L, "backoff_max_millis", 1000L));
        return this;
    }

    /**
     * The manager through its public DS constructor: its configuration type is private to the manager bundle, so
     * it is made as a proxy of that type, answering the defaults but for the overrides.
     */
    static PollingManager manager(HeatpumpStore repository, SettingsStore settings, AuditLog audit,
                                  DashboardStore dashboards, DriverRegistry registry, Map<String, Object> overrides)
            throws Exception {
        Class<?> configType = Class.forName("gateway.core.manager.internal.ManagerConfig");
        Object config = Proxy.newProxyInstance(configType.getClassLoader(), new Class<?>[] { configType },
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("hashCode") ? 0
                                : method.getName().equals("equals") ? false : "ManagerConfig";
                    }
                    Object v = overrides.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
        Constructor<PollingManager> c = PollingManager.class.getConstructor(HeatpumpStore.class, SettingsStore.class,
                AuditLog.class, DashboardStore.class, ManufacturerRegistry.class, CopStore.class, configType);
        return c.newInstance(repository, settings, audit, dashboards, registry, new InMemoryStores.CopTotalsStore(),
                config);
    }

    Heatpump device(String name) throws Exception {
        SimulatedDevice d = new SimulatedDevice();
        devices.add(d);
        return manager.create(new Heatpump(null, name, TestDriver.MANUFACTURER, TestDriver.MODEL,
                new ConnectionConfig("127.0.0.1", d.port(), 1, 1000, Map.of()), DeviceConfig.of(List.of("A"), List.of()),
                1, true, null, null));
    }

    java.util.Optional<gateway.core.api.DeviceSnapshot> latest(String id) {
        try {
            return manager.latest(id);
        } catch (gateway.core.api.UnknownHeatpumpException e) {
            throw new AssertionError(e);
        }
    }

    /** The bridge with the test's configuration (broker URL of the fixture's broker unless given). */
    MqttBridge bridge(Map<String, Object> config) {
        Map<String, Object> c = new HashMap<>(config);
        c.putIfAbsent("broker_url", broker.url());
        bridge = new MqttBridge(manager, registry, MqttSettings.of(config(c), GATEWAY_ID), GATEWAY_ID, "0.2.0.test");
        manager.addListener(bridge, Map.of("service.id", 42L));
        return bridge;
    }

    static MqttConfig config(Map<String, Object> values) {
        return (MqttConfig) Proxy.newProxyInstance(MqttConfig.class.getClassLoader(),
                new Class<?>[] { MqttConfig.class }, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("hashCode") ? 0
                                : method.getName().equals("equals") ? false : "MqttConfig";
                    }
                    Object v = values.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }

    Subscriber subscribe(String filter) throws MqttException {
        subscriber = new Subscriber(broker.url(), filter, null, null);
        return subscriber;
    }

    void awaitConnected() {
        await("the bridge connected", Duration.ofSeconds(30), () -> bridge.status().state().equals("connected"));
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    static void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(20), condition);
    }

    @Override
    public void close() throws Exception {
        if (subscriber != null) {
            subscriber.close();
        }
        if (manager != null && bridge != null) {
            manager.removeListener(bridge);
        }
        if (bridge != null) {
            bridge.deactivate();
        }
        if (manager != null) {
            manager.deactivate();
        }
        devices.forEach(SimulatedDevice::close);
        broker.close();
    }

    /** One message as a subscriber got it. */
    record Received(String topic, String payload, boolean retained) {
        JsonNode json() {
            try {
                return Payloads.JSON.readTree(payload);
            } catch (Exception e) {
                throw new AssertionError("not JSON on " + topic + ": " + payload, e);
            }
        }
    }

    /** A plain Paho client that records every message on a filter. */
    static final class Subscriber implements AutoCloseable {
        final List<Received> messages = new CopyOnWriteArrayList<>();
        final MqttClient client;

        Subscriber(String url, String filter, String user, String password) throws MqttException {
            client = new MqttClient(url, "test-subscriber-" + System.nanoTime(), new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            if (user != null) {
                o.setUserName(user);
                o.setPassword(password.toCharArray());
            }
            client.connect(o);
            client.subscribe(filter, 1, (topic, m) -> messages.add(new Received(topic,
                    new String(m.getPayload(), StandardCharsets.UTF_8), m.isRetained())));
        }

        List<Received> on(String topic) {
            return messages.stream().filter(m -> m.topic().equals(topic)).toList();
        }

        Received last(String topic) {
            List<Received> l = on(topic);
            return l.isEmpty() ? null : l.get(l.size() - 1);
        }

        Received awaitLast(String topic) {
            await("a message on " + topic, () -> last(topic) != null);
            return last(topic);
        }

        void publish(String topic, String payload, boolean retained) throws MqttException {
            MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            m.setRetained(retained);
            client.publish(topic, m);
        }

        @Override
        public void close() {
            try {
                if (client.isConnected()) {
                    client.disconnect(1000);
                }
                client.close(true);
            } catch (MqttException ignored) {
                // closing anyway
            }
        }
    }

}
