package gateway.core.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.DataType;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceState;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.GatewayIdentity;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.ManufacturerRegistry;
import gateway.core.api.MqttStatus;
import gateway.core.api.ReadingListener;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.WriteRejectedException;
import gateway.core.api.WriteResult;

/**
 * The MQTT bridge: publishes every snapshot (per-sensor values, a retained state, availability from the device's
 * real state), announces devices to Home Assistant, and takes {@code /set} commands through the manager's write
 * path. It is a {@link ReadingListener}: the manager hands snapshots over on this listener's own queue and thread,
 * and this only builds messages and offers them to the connection's bounded queue, so the broker never delays polling.
 *
 * <p>Configuration changes restart the component (no {@code @Modified}): a new broker or client id needs a new
 * connection anyway.
 */
@Component(service = { ReadingListener.class, MqttStatus.class }, configurationPid = MqttBridge.PID,
        immediate = true)
@Designate(ocd = MqttConfig.class)
public final class MqttBridge implements ReadingListener, MqttStatus, BrokerConnection.Handler {

    public static final String PID = "gateway.mqtt";
    /** Audit actor of every command. */
    static final String ACTOR = "mqtt";
    /** Settings-store key of the gateway's stable id (client id, HA identifiers). */
    static final long SYNC_MILLIS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(MqttBridge.class);

    /** What was announced to HA for one device, so a change re-announces it and a removal clears it. */
    private record Announced(int signature, Set<String> topics) {
    }

    private final HeatpumpManager manager;
    private final ManufacturerRegistry registry;
    private final MqttSettings settings;
    private final String gatewayId;
    private final String version;
    private final Topics topics;
    private final Discovery discovery;
    private final PublishThrottle throttle;
    private final BrokerConnection connection;
    private final ThreadPoolExecutor commands;
    private final java.util.concurrent.ScheduledExecutorService sync;
    private final Map<String, Map<String, SensorDefinition>> definitions = new ConcurrentHashMap<>();
    private final Map<String, Announced> announced = new ConcurrentHashMap<>();
    private final AtomicLong commandsAccepted = new AtomicLong();
    private final AtomicLong commandsRefused = new AtomicLong();
    private volatile boolean gatewayAnnounced;
    /** A discovery sync is waiting on the publisher thread: a new device's snapshots ask for one, not one each. */
    private final java.util.concurrent.atomic.AtomicBoolean syncPending =
            new java.util.concurrent.atomic.AtomicBoolean();

    @Activate
    public MqttBridge(@Reference HeatpumpManager manager, @Reference ManufacturerRegistry registry,
                      @Reference GatewayIdentity identity, MqttConfig config, BundleContext context) {
        this(manager, registry, MqttSettings.of(config, identity.gatewayId(), identity.site()),
                identity.gatewayId(), context.getBundle().getVersion().toString());
    }

    MqttBridge(HeatpumpManager manager, ManufacturerRegistry registry, MqttSettings settings, String gatewayId,
               String version) {
        this.manager = manager;
        this.registry = registry;
        this.settings = settings;
        this.gatewayId = gatewayId;
        this.version = version;
        this.topics = new Topics(settings.topicPrefix(), settings.discoveryPrefix());
        this.discovery = new Discovery(topics, gatewayId);
        this.throttle = new PublishThrottle(settings.publishIntervalSeconds());
        this.connection = new BrokerConnection(settings, this);
        // one command at a time, a few waiting; more is a flood, answered "failed" rather than queued
        this.commands = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(16), r -> {
            Thread t = new Thread(r, "gateway-mqtt-commands");
            t.setDaemon(true);
            return t;
        });
        this.sync = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-mqtt-sync");
            t.setDaemon(true);
            return t;
        });
        if (!settings.problems().isEmpty()) {
            LOG.warn("mqtt: misconfigured: {}", String.join("; ", settings.problems()));
        } else if (settings.enabled()) {
            connection.start();
            sync.scheduleWithFixedDelay(() -> connection.submit(() -> syncDiscovery(false)), SYNC_MILLIS,
                    SYNC_MILLIS, TimeUnit.MILLISECONDS);
            LOG.info("mqtt: publishing to {} under '{}' (discovery {}, commands {})", settings.brokerUrl(),
                    settings.topicPrefix(), settings.discoveryEnabled() ? "on" : "off",
                    settings.commandsEnabled() ? "on" : "off");
        }
    }

    @Deactivate
    public void deactivate() {
        sync.shutdownNow();
        commands.shutdownNow();
        connection.close();
    }

    // ---- status

    @Override
    public Connection status() {
        String state;
        String error;
        if (!settings.problems().isEmpty()) {
            state = MISCONFIGURED;
            error = String.join("; ", settings.problems());
        } else if (!settings.enabled()) {
            state = DISABLED;
            error = null;
        } else {
            state = connection.state();
            error = connection.lastError();
        }
        return new Connection(state, error, error == null ? null : connection.lastErrorAt(), settings.brokerUrl(),
                settings.clientId(), settings.topicPrefix(), settings.discoveryEnabled(), settings.commandsEnabled(),
                connection.published(), connection.dropped(), connection.queued(), commandsAccepted.get(),
                commandsRefused.get(), connection.connects(), connection.connectedSince());
    }

    // ---- publishing

    @Override
    public void snapshot(DeviceSnapshot s) {
        if (!settings.enabled() || !settings.problems().isEmpty()) {
            return;
        }
        if (!connection.ready()) {
            // dropped without building them; the latest state is republished on reconnect
            connection.countDropped(s.readings().size());
            return;
        }
        Map<String, SensorDefinition> defs = definitions(s.heatpumpId());
        boolean any = false;
        boolean legacy = settings.legacyTopics() && "hp-legacy".equals(s.heatpumpId());
        for (SensorReading r : s.readings().values()) {
            SensorDefinition def = defs.get(r.sensorId());
            if (!throttle.due(s.heatpumpId(), r.sensorId(), r, def, s.time())) {
                continue;
            }
            any = true;
            byte[] payload = Payloads.value(r, def);
            connection.offer(new BrokerConnection.Outgoing(topics.value(s.heatpumpId(), r.sensorId()), payload,
                    settings.qos(), false));
            if (legacy) {
                connection.offer(new BrokerConnection.Outgoing(topics.legacyValue(r.sensorId()), payload,
                        settings.qos(), false));
            }
        }
        if (any) {
            connection.offer(new BrokerConnection.Outgoing(topics.state(s.heatpumpId()), Payloads.state(s, defs),
                    settings.qos(), true));
        }
        if (settings.discoveryEnabled() && !announced.containsKey(s.heatpumpId())
                && syncPending.compareAndSet(false, true)) {
            connection.submit(() -> {
                syncPending.set(false);
                syncDiscovery(false);
            });
        }
    }

    @Override
    public void stateChanged(DeviceStatus status) {
        if (connection.ready()) {
            connection.offer(new BrokerConnection.Outgoing(topics.availability(status.heatpumpId()),
                    Payloads.text(availability(status.state())), 1, true));
        }
    }

    static String availability(DeviceState state) {
        return state == DeviceState.ONLINE || state == DeviceState.DEGRADED ? "online" : "offline";
    }

    private Map<String, SensorDefinition> definitions(String heatpumpId) {
        Map<String, SensorDefinition> defs = definitions.get(heatpumpId);
        if (defs == null) {
            try {
                defs = manager.sensors(heatpumpId).stream()
                        .collect(Collectors.toMap(SensorDefinition::id, Function.identity(), (a, b) -> a));
            } catch (UnknownHeatpumpException e) {
                return Map.of();
            }
            if (!defs.isEmpty()) {
                definitions.put(heatpumpId, defs);
            }
        }
        return defs;
    }

    /** On the publisher thread, after each (re)connect: subscriptions, then every retained topic afresh. */
    @Override
    public void connected(BrokerConnection c) throws MqttException {
        c.subscribe(topics.commandFilter(), 2);
        if (settings.discoveryEnabled()) {
            c.subscribe(topics.homeAssistantStatus(), 1);
        }
        c.send(topics.gatewayAvailability(), Payloads.text("online"), 1, true);
        if (settings.discoveryEnabled()) {
            gatewayAnnounced = false;
            announced.clear(); // the broker may have lost retained messages: announce everything again
            syncDiscovery(true);
        }
        republishLatest();
    }

    /** Availability, state and the latest values of every device, sent at once (not through the drop queue). */
    private void republishLatest() {
        for (Heatpump hp : manager.heatpumps()) {
            try {
                connection.send(topics.availability(hp.id()),
                        Payloads.text(availability(manager.status(hp.id()).state())), 1, true);
                Optional<DeviceSnapshot> latest = manager.latest(hp.id());
                if (latest.isPresent()) {
                    DeviceSnapshot s = latest.get();
                    Map<String, SensorDefinition> defs = definitions(hp.id());
                    for (SensorReading r : s.readings().values()) {
                        connection.send(topics.value(hp.id(), r.sensorId()), Payloads.value(r, defs.get(r.sensorId())),
                                settings.qos(), false);
                    }
                    connection.send(topics.state(hp.id()), Payloads.state(s, defs), settings.qos(), true);
                }
            } catch (UnknownHeatpumpException e) {
                // deleted meanwhile
            }
        }
    }

    /**
     * Announces devices that are new or changed (name, sensors, firmware) and clears the entities of devices and
     * sensors that are gone (an empty retained config is HA's signal to remove an entity).
     */
    void syncDiscovery(boolean force) {
        if (!settings.discoveryEnabled() || !connection.ready() && !force) {
            return;
        }
        if (!gatewayAnnounced) {
            Discovery.Config g = discovery.gateway(version);
            connection.send(g.topic(), g.payload(), 1, true);
            gatewayAnnounced = true;
        }
        Map<String, Heatpump> current = new HashMap<>();
        for (Heatpump hp : manager.heatpumps()) {
            current.put(hp.id(), hp);
        }
        for (String gone : Set.copyOf(announced.keySet())) {
            if (!current.containsKey(gone)) {
                Announced a = announced.remove(gone);
                a.topics().forEach(t -> connection.send(t, new byte[0], 1, true));
                connection.send(topics.state(gone), new byte[0], 1, true);
                connection.send(topics.availability(gone), new byte[0], 1, true);
                definitions.remove(gone);
                throttle.forget(gone);
                LOG.info("mqtt: {} removed from Home Assistant ({} entities)", gone, a.topics().size());
            }
        }
        for (Heatpump hp : current.values()) {
            announce(hp, force);
        }
    }

    private void announce(Heatpump hp, boolean force) {
        List<SensorDefinition> sensors;
        try {
            sensors = manager.sensors(hp.id());
        } catch (UnknownHeatpumpException e) {
            return;
        }
        if (sensors.isEmpty()) {
            return; // driver missing: keep what HA has; the availability topic says offline
        }
        String sw = firmware(hp.id());
        Optional<HeatpumpDriver> driver = registry.driver(hp.manufacturer(), hp.model());
        String manufacturer = driver.map(HeatpumpDriver::manufacturerName).orElse(hp.manufacturer());
        String model = driver.map(HeatpumpDriver::modelName).orElse(hp.model());
        int signature = Objects.hash(hp.name(), sensors, manufacturer, model, sw);
        Announced before = announced.get(hp.id());
        if (!force && before != null && before.signature() == signature) {
            return;
        }
        definitions.put(hp.id(), sensors.stream()
                .collect(Collectors.toMap(SensorDefinition::id, Function.identity(), (a, b) -> a)));
        List<Discovery.Config> configs = discovery.device(hp, sensors, manufacturer, model, sw, version);
        Set<String> now = configs.stream().map(Discovery.Config::topic).collect(Collectors.toSet());
        if (before != null) {
            before.topics().stream().filter(t -> !now.contains(t)).forEach(t -> connection.send(t, new byte[0], 1, true));
        }
        configs.forEach(c -> connection.send(c.topic(), c.payload(), 1, true));
        announced.put(hp.id(), new Announced(signature, now));
    }

    /** The firmware text a driver reports as a sensor (by its id), for HA's sw_version. */
    private String firmware(String heatpumpId) {
        try {
            return manager.latest(heatpumpId).flatMap(s -> s.readings().values().stream()
                    .filter(r -> r.good() && r.text() != null && (r.sensorId().contains("firmware")
                            || r.sensorId().contains("software_version")))
                    .map(SensorReading::text).findFirst()).orElse(null);
        } catch (UnknownHeatpumpException e) {
            return null;
        }
    }

    // ---- commands

    @Override
    public void message(String topic, MqttMessage message) {
        if (topic.equals(topics.homeAssistantStatus())) {
            if ("online".equals(new String(message.getPayload(), StandardCharsets.UTF_8).strip())) {
                LOG.info("mqtt: Home Assistant came online; announcing devices again");
                connection.submit(() -> {
                    gatewayAnnounced = false;
                    syncDiscovery(true);
                    republishLatest();
                });
            }
            return;
        }
        Optional<Topics.Command> command = topics.parseCommand(topic);
        if (command.isEmpty()) {
            return;
        }
        Topics.Command c = command.get();
        String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
        if (message.isRetained()) {
            // a retained command would be written again on every reconnect
            refuse(c, "skipped", "retained command ignored: send commands without the retain flag");
            return;
        }
        if (!settings.commandsEnabled()) {
            refuse(c, "skipped", "commands are disabled (commands.enabled = false)");
            return;
        }
        try {
            commands.execute(() -> execute(c, payload));
        } catch (RejectedExecutionException e) {
            refuse(c, "failed", "too many commands waiting; not taken");
        }
    }

    private void refuse(Topics.Command c, String status, String detail) {
        commandsRefused.incrementAndGet();
        LOG.info("mqtt command {}/{}: {} ({})", c.heatpumpId(), c.sensorId(), status, detail);
        result(c, status, detail);
    }

    private void result(Topics.Command c, String status, String detail) {
        connection.offer(new BrokerConnection.Outgoing(topics.commandResult(c.heatpumpId(), c.sensorId()),
                Payloads.result(status, detail), 1, false));
    }

    /** Through the write path: write switch, validation, EEPROM care, read-back and audit with actor "mqtt". */
    void execute(Topics.Command c, String payload) {
        SensorDefinition sensor;
        try {
            sensor = manager.sensors(c.heatpumpId()).stream().filter(s -> s.id().equals(c.sensorId())).findFirst()
                    .orElse(null);
        } catch (UnknownHeatpumpException e) {
            refuse(c, "rejected", "no heat pump '" + c.heatpumpId() + "'");
            return;
        }
        if (sensor == null) {
            refuse(c, "rejected", "no sensor '" + c.sensorId() + "' on " + c.heatpumpId());
            return;
        }
        OptionalDouble value = CommandValue.parse(payload, sensor);
        if (value.isEmpty()) {
            refuse(c, "rejected", "'" + abbreviate(payload) + "' is not a value of " + c.sensorId()
                    + (sensor.enumValues().isEmpty() ? "" : " (one of " + String.join(", ",
                    sensor.enumValues().values()) + ")") + (sensor.dataType() == DataType.BOOL ? " (ON or OFF)" : ""));
            return;
        }
        try {
            WriteResult w = manager.write(c.heatpumpId(), c.sensorId(), value.getAsDouble(), ACTOR);
            String status = outcome(w);
            if ("ok".equals(status)) {
                commandsAccepted.incrementAndGet();
            } else {
                commandsRefused.incrementAndGet();
            }
            LOG.info("mqtt command {}/{} = {}: {} ({})", c.heatpumpId(), c.sensorId(), value.getAsDouble(), status,
                    w.message());
            result(c, status, w.message());
        } catch (WriteRejectedException e) {
            refuse(c, e.reason() == WriteRejectedException.Reason.WRITES_DISABLED ? "skipped" : "rejected",
                    e.getMessage());
        } catch (UnknownHeatpumpException e) {
            refuse(c, "rejected", "no heat pump '" + c.heatpumpId() + "'");
        } catch (DeviceException e) {
            refuse(c, "failed", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("mqtt command {}/{} failed", c.heatpumpId(), c.sensorId(), e);
            refuse(c, "failed", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** As jobs have it: an unchanged EEPROM value is skipped, a read-back that differs is a failure. */
    static String outcome(WriteResult w) {
        if (!w.written()) {
            return "skipped";
        }
        Double back = w.readBack();
        if (back != null && Math.abs(back - w.requested()) > 1e-3 * Math.max(1, Math.abs(w.requested()))) {
            return "failed";
        }
        return "ok";
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }
}
