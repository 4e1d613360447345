package gateway.core.automation.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.AlertStore;
import gateway.core.api.AlertStore.Alert;
import gateway.core.api.AlertStore.AlertEvent;
import gateway.core.api.AlertStore.AlertState;
import gateway.core.api.AnomalyStore;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceState;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.Notification;
import gateway.core.api.NotificationOutbox;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.automation.internal.AlertRule.State;
import gateway.core.automation.internal.AlertRule.Type;

/**
 * Evaluates the enabled alerts: threshold alerts on every snapshot, the time-driven kinds (status reports, device
 * state, stale values, repeats while firing, anomaly events) on every {@link #tick}.
 *
 * <p>Only transitions touch the database (condition starts holding, fires, repeats, resolves), so a snapshot that
 * changes nothing costs a few map look-ups per alert. Each firing, resolution and report is an {@link AlertEvent} in
 * the history first; its notification carries the event's id as idempotency key, so the outbox delivers it once
 * however often it is handed over. Time comes from the injected clock only, so tests run on simulated time.
 */
final class AlertEngine {

    static final String FIRED = "fired";
    static final String RESOLVED = "resolved";
    static final String STATUS = "status";
    static final String ANOMALY = "anomaly";

    private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Duration DEVICE_INFO_TTL = Duration.ofMinutes(1);
    private static final int ANOMALY_BATCH = 100;

    /** What the engine knows about a device for messages and enum labels: its name and sensors (cached). */
    private record DeviceInfo(String name, Map<String, SensorDefinition> sensors, Instant loadedAt) {
    }

    private final AlertStore store;
    private final HeatpumpManager manager;
    private final Supplier<NotificationOutbox> outbox;
    private final Supplier<AnomalyStore> anomalies;
    private final Clock clock;
    private final ZoneId zone;
    private final Instant startedAt;

    private final Map<String, DeviceInfo> devices = new ConcurrentHashMap<>();
    private final Map<String, DeviceState> reportedStates = new ConcurrentHashMap<>();
    private final Map<String, Instant> reportedSince = new ConcurrentHashMap<>();
    private Map<String, AlertRule> rules = Map.of();
    /** Threshold and stale rules by device id; rules for every device under the key "". */
    private Map<String, List<AlertRule>> snapshotRules = Map.of();

    AlertEngine(AlertStore store, HeatpumpManager manager, Supplier<NotificationOutbox> outbox,
                Supplier<AnomalyStore> anomalies, Clock clock, ZoneId zone) {
        this.store = store;
        this.manager = manager;
        this.outbox = outbox;
        this.anomalies = anomalies;
        this.clock = clock;
        this.zone = zone;
        this.startedAt = clock.instant();
    }

    /** Loads the enabled alerts; states of alerts already known are kept, the rest come from the store. */
    synchronized void reload() {
        List<Alert> alerts = store.list(null);
        Map<String, List<AlertState>> stored = rules.isEmpty()
                ? store.states().stream().collect(Collectors.groupingBy(AlertState::alertId)) : Map.of();
        Map<String, AlertRule> next = new HashMap<>();
        Map<String, List<AlertRule>> bySnapshot = new HashMap<>();
        for (Alert alert : alerts) {
            Type type = AlertRule.Type.of(alert.type());
            if (!alert.enabled() || type == null) {
                continue;
            }
            AlertRule rule = new AlertRule(alert, type);
            AlertRule old = rules.get(alert.id());
            if (old != null) {
                for (State s : old.states.values()) {
                    State copy = rule.state(s.heatpumpId);
                    copy.pendingSince = s.pendingSince;
                    copy.firingSince = s.firingSince;
                    copy.lastNotified = s.lastNotified;
                    copy.firedEventId = s.firedEventId;
                    copy.repeats = s.repeats;
                    copy.lastGood = s.lastGood;
                    copy.lastValue = s.lastValue;
                    copy.lastText = s.lastText;
                    copy.acknowledged = s.acknowledged;
                }
            } else {
                for (AlertState s : stored.getOrDefault(alert.id(), List.of())) {
                    State st = rule.state(s.heatpumpId());
                    st.pendingSince = s.pendingSince();
                    st.firingSince = s.firingSince();
                    st.lastNotified = s.lastNotified();
                    st.firedEventId = s.firedEventId();
                    st.repeats = s.repeats();
                }
            }
            next.put(alert.id(), rule);
            if (type == Type.THRESHOLD || type == Type.STALE) {
                String key = alert.heatpumpId() == null ? "" : alert.heatpumpId();
                bySnapshot.computeIfAbsent(key, k -> new ArrayList<>()).add(rule);
            }
        }
        rules = next;
        snapshotRules = bySnapshot;
    }

    int ruleCount() {
        return rules.size();
    }

    /** Evaluates the threshold alerts of the snapshot's device and notes good values for stale alerts. */
    void snapshot(DeviceSnapshot snapshot) {
        List<Notification> out = new ArrayList<>(0);
        synchronized (this) {
            String hp = snapshot.heatpumpId();
            List<AlertRule> specific = snapshotRules.get(hp);
            List<AlertRule> global = snapshotRules.get("");
            if (specific == null && global == null) {
                return;
            }
            Instant now = clock.instant();
            if (specific != null) {
                evaluate(specific, snapshot, now, out);
            }
            if (global != null) {
                evaluate(global, snapshot, now, out);
            }
        }
        deliver(out);
    }

    private void evaluate(List<AlertRule> list, DeviceSnapshot snapshot, Instant now, List<Notification> out) {
        String hp = snapshot.heatpumpId();
        for (AlertRule rule : list) {
            SensorReading reading = snapshot.reading(rule.alert.sensor());
            if (reading == null || !reading.good()) {
                continue;
            }
            State st = rule.state(hp);
            st.lastValue = reading.value();
            st.lastText = reading.text();
            if (rule.type == Type.STALE) {
                st.lastGood = now;
                if (st.firing()) {
                    resolve(rule, st, now, out);
                }
                continue;
            }
            SensorDefinition sensor = sensor(hp, rule.alert.sensor());
            if (!st.firing()) {
                Boolean holds = rule.holds(st, reading, sensor);
                if (holds == null) {
                    continue;
                }
                if (holds) {
                    if (st.pendingSince == null) {
                        st.pendingSince = now;
                        if (rule.alert.forSeconds() > 0) {
                            persist(rule, st);
                        }
                    }
                    if (!now.isBefore(st.pendingSince.plusSeconds(rule.alert.forSeconds()))) {
                        fire(rule, st, now, out);
                    }
                } else if (st.pendingSince != null) {
                    boolean wasPersisted = rule.alert.forSeconds() > 0;
                    st.pendingSince = null;
                    if (wasPersisted) {
                        persist(rule, st);
                    }
                }
            } else {
                Boolean resolved = rule.resolved(st, reading, sensor);
                if (Boolean.TRUE.equals(resolved)) {
                    resolve(rule, st, now, out);
                }
            }
        }
    }

    /** A device changed state (for device_state alerts, and to reload its sensors when its driver returns). */
    void stateChanged(DeviceStatus status) {
        reportedStates.put(status.heatpumpId(), status.state());
        reportedSince.put(status.heatpumpId(), clock.instant());
        devices.remove(status.heatpumpId());
    }

    /** The time-driven part: status reports, device state, stale values, repeats, anomaly events. */
    void tick() {
        List<Notification> out = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (AlertRule rule : rules.values()) {
                try {
                    switch (rule.type) {
                        case STATUS -> status(rule, now, out);
                        case DEVICE_STATE -> deviceState(rule, now, out);
                        case STALE -> stale(rule, now, out);
                        default -> { }
                    }
                    repeats(rule, now, out);
                } catch (RuntimeException e) {
                    LOG.warn("alert {}: evaluation failed: {}", rule.alert.id(), e.toString());
                }
            }
        }
        deliver(out);
        anomalies();
    }

    private void status(AlertRule rule, Instant now, List<Notification> out) {
        int period = rule.alert.intervalSeconds();
        if (period <= 0) {
            return;
        }
        for (String hp : devicesOf(rule)) {
            State st = rule.state(hp);
            if (st.pendingSince == null) {
                st.pendingSince = now; // the first report is one period after the alert is seen
                persist(rule, st);
            }
            Instant base = st.lastNotified != null ? st.lastNotified : st.pendingSince;
            if (now.isBefore(base.plusSeconds(period))) {
                continue;
            }
            Double value = null;
            String text = null;
            if (rule.alert.sensor() != null && !rule.alert.sensor().isBlank()) {
                SensorReading r = latest(hp, rule.alert.sensor());
                if (r != null) {
                    value = r.value();
                    text = r.text();
                }
            }
            st.lastValue = value;
            st.lastText = text;
            String message = message(rule, hp, st, now, STATUS);
            AlertEvent event = store.recordEvent(new AlertEvent(0, rule.alert.id(), hp, STATUS, value, message, now,
                    null, null));
            st.lastNotified = now;
            persist(rule, st);
            store.markTriggered(rule.alert.id(), now);
            out.add(notification(rule, hp, "alert-event-" + event.id(), "Status: " + rule.alert.name(), message,
                    "info", now));
        }
    }

    private void deviceState(AlertRule rule, Instant now, List<Notification> out) {
        for (String hp : devicesOf(rule)) {
            DeviceState state = reportedStates.get(hp);
            if (state == null) {
                try {
                    state = manager.status(hp).state();
                } catch (UnknownHeatpumpException e) {
                    continue;
                }
                reportedStates.put(hp, state);
                reportedSince.put(hp, now);
            }
            Instant since = reportedSince.getOrDefault(hp, now);
            State st = rule.state(hp);
            st.lastValue = null;
            st.lastText = state.name().toLowerCase(Locale.ROOT);
            boolean bad = rule.badStates.contains(state);
            if (bad && !st.firing() && !now.isBefore(since.plusSeconds(rule.alert.forSeconds()))) {
                fire(rule, st, now, out);
            } else if (!bad && st.firing() && state != DeviceState.CONNECTING) {
                resolve(rule, st, now, out);
            }
        }
    }

    private void stale(AlertRule rule, Instant now, List<Notification> out) {
        for (String hp : devicesOf(rule)) {
            if (rule.alert.heatpumpId() == null && sensor(hp, rule.alert.sensor()) == null) {
                continue; // an every-device alert only watches devices that have the sensor
            }
            State st = rule.state(hp);
            Instant lastGood = st.lastGood != null ? st.lastGood : startedAt;
            if (!st.firing() && !now.isBefore(lastGood.plusSeconds(rule.alert.forSeconds()))) {
                st.lastValue = null;
                st.lastText = null;
                fire(rule, st, now, out);
            }
        }
    }

    private void repeats(AlertRule rule, Instant now, List<Notification> out) {
        int interval = rule.alert.intervalSeconds();
        if (interval <= 0 || rule.type == Type.STATUS || rule.type == Type.ANOMALY) {
            return;
        }
        for (State st : rule.states.values()) {
            if (!st.firing() || st.acknowledged || st.lastNotified == null
                    || now.isBefore(st.lastNotified.plusSeconds(interval))) {
                continue;
            }
            // an acknowledged alert stops repeating until it resolves
            if (st.firedEventId > 0 && store.event(st.firedEventId).map(e -> e.acknowledgedAt() != null)
                    .orElse(false)) {
                st.acknowledged = true;
                continue;
            }
            st.repeats++;
            st.lastNotified = now;
            persist(rule, st);
            store.markTriggered(rule.alert.id(), now);
            String message = message(rule, st.heatpumpId, st, now, FIRED);
            out.add(notification(rule, st.heatpumpId, "alert-event-" + st.firedEventId + "-repeat-" + st.repeats,
                    "Alert (repeated): " + rule.alert.name(), message, severity(rule), now));
        }
    }

    private void fire(AlertRule rule, State st, Instant now, List<Notification> out) {
        String message = message(rule, st.heatpumpId, st, now, FIRED);
        AlertEvent event = store.recordEvent(new AlertEvent(0, rule.alert.id(), st.heatpumpId, FIRED, st.lastValue,
                message, now, null, null));
        st.pendingSince = null;
        st.firingSince = now;
        st.lastNotified = now;
        st.firedEventId = event.id();
        st.repeats = 0;
        st.acknowledged = false;
        persist(rule, st);
        store.markTriggered(rule.alert.id(), now);
        LOG.info("alert {} fired on {}: {}", rule.alert.id(), st.heatpumpId, message);
        out.add(notification(rule, st.heatpumpId, "alert-event-" + event.id(), "Alert: " + rule.alert.name(),
                message, severity(rule), now));
    }

    private void resolve(AlertRule rule, State st, Instant now, List<Notification> out) {
        String message = message(rule, st.heatpumpId, st, now, RESOLVED);
        AlertEvent event = store.recordEvent(new AlertEvent(0, rule.alert.id(), st.heatpumpId, RESOLVED, st.lastValue,
                message, now, null, null));
        st.pendingSince = null;
        st.firingSince = null;
        st.firedEventId = 0;
        st.repeats = 0;
        st.acknowledged = false;
        persist(rule, st);
        LOG.info("alert {} resolved on {}", rule.alert.id(), st.heatpumpId);
        if (rule.alert.notifyResolved()) {
            out.add(notification(rule, st.heatpumpId, "alert-event-" + event.id(),
                    "Resolved: " + rule.alert.name(), message, "info", now));
        }
    }

    /** Anomaly events become alert events (one per anomaly alert that covers the device) and are marked notified. */
    private void anomalies() {
        AnomalyStore anomalyStore = anomalies.get();
        if (anomalyStore == null) {
            return;
        }
        List<AnomalyStore.Event> pending;
        try {
            pending = anomalyStore.pending(ANOMALY_BATCH);
        } catch (RuntimeException e) {
            LOG.warn("anomaly events unavailable: {}", e.toString());
            return;
        }
        for (AnomalyStore.Event event : pending) {
            List<Notification> out = new ArrayList<>();
            Instant now = clock.instant();
            List<AlertRule> matching;
            synchronized (this) {
                matching = rules.values().stream().filter(r -> r.type == Type.ANOMALY)
                        .filter(r -> r.alert.heatpumpId() == null || r.alert.heatpumpId().equals(event.heatpumpId()))
                        .toList();
            }
            String detail = event.features().stream().limit(3)
                    .map(c -> c.feature() + " " + SensorValues.format(null, c.value(), null)
                            + " (usually " + SensorValues.format(null, c.mean(), null) + ")")
                    .collect(Collectors.joining(", "));
            if (matching.isEmpty()) {
                store.recordEvent(new AlertEvent(0, null, event.heatpumpId(), ANOMALY, event.score(),
                        anomalyText(null, event, detail), event.time(), null, null));
            }
            for (AlertRule rule : matching) {
                String message = anomalyText(rule, event, detail);
                store.recordEvent(new AlertEvent(0, rule.alert.id(), event.heatpumpId(), ANOMALY, event.score(),
                        message, event.time(), null, null));
                store.markTriggered(rule.alert.id(), now);
                out.add(notification(rule, event.heatpumpId(), "anomaly-" + event.id() + "-" + rule.alert.id(),
                        "Anomaly: " + rule.alert.name(), message, "warning", now));
            }
            if (deliver(out)) {
                anomalyStore.markNotified(event.id(), now);
            }
        }
    }

    private String anomalyText(AlertRule rule, AnomalyStore.Event event, String detail) {
        Map<String, String> values = new HashMap<>();
        values.put("name", rule == null ? "Anomaly" : rule.alert.name());
        values.put("heatpump", deviceName(event.heatpumpId()));
        values.put("sensor", AnomalyStore.SCORE_SENSOR);
        values.put("value", String.format(Locale.ROOT, "%.2f", event.score()));
        values.put("unit", "");
        values.put("threshold", String.format(Locale.ROOT, "%.2f", event.threshold()));
        values.put("time", TIME.format(event.time().atZone(zone)));
        String template = rule != null && rule.alert.message() != null && !rule.alert.message().isBlank()
                ? rule.alert.message()
                : "{name}: {heatpump} behaves unusually (score {value}, threshold {threshold}) at {time}";
        String text = fill(template, values);
        return detail.isEmpty() ? text : text + "; stood out: " + detail;
    }

    private static String severity(AlertRule rule) {
        return rule.type == Type.DEVICE_STATE ? "critical" : "warning";
    }

    private Notification notification(AlertRule rule, String hp, String key, String title, String message,
                                      String severity, Instant now) {
        return new Notification(key, title, message, severity, rule.alert.channels(), hp,
                "alert:" + rule.alert.id(), now);
    }

    /** Hands notifications to the outbox; true when every one is on disk (or there were none). */
    private boolean deliver(List<Notification> notifications) {
        if (notifications.isEmpty()) {
            return true;
        }
        NotificationOutbox box = outbox.get();
        if (box == null) {
            LOG.debug("no notification outbox: {} notification(s) only in the alert history", notifications.size());
            return true;
        }
        boolean all = true;
        for (Notification n : notifications) {
            try {
                box.enqueue(n);
            } catch (RuntimeException e) {
                all = false;
                LOG.warn("notification {} not enqueued: {}", n.key(), e.toString());
            }
        }
        return all;
    }

    // --- messages

    private String message(AlertRule rule, String hp, State st, Instant now, String kind) {
        SensorDefinition sensor = rule.alert.sensor() == null ? null : sensor(hp, rule.alert.sensor());
        Map<String, String> values = new HashMap<>();
        values.put("name", rule.alert.name() == null ? rule.alert.id() : rule.alert.name());
        values.put("heatpump", deviceName(hp));
        values.put("sensor", sensor != null ? sensor.name() : rule.alert.sensor() == null ? "" : rule.alert.sensor());
        values.put("value", st.lastValue == null && st.lastText == null ? "no value"
                : SensorValues.format(sensor, st.lastValue, st.lastText));
        values.put("unit", sensor == null || st.lastValue == null ? "" : sensor.unit());
        values.put("threshold", rule.alert.threshold() == null ? "" : rule.alert.threshold());
        values.put("condition", rule.condition);
        values.put("time", TIME.format(now.atZone(zone)));
        String custom = rule.alert.message();
        String template;
        if (custom != null && !custom.isBlank()) {
            template = kind.equals(RESOLVED) ? "Resolved: " + custom : custom;
        } else {
            template = defaultMessage(rule.type, kind);
        }
        return fill(template, values).replaceAll(" {2,}", " ").replace(" )", ")").trim();
    }

    static String defaultMessage(Type type, String kind) {
        if (kind.equals(RESOLVED)) {
            return switch (type) {
                case DEVICE_STATE -> "Resolved: {name}: {heatpump} is {value} again ({time})";
                case STALE -> "Resolved: {name}: {sensor} on {heatpump} has values again: {value} {unit} ({time})";
                default -> "Resolved: {name}: {sensor} on {heatpump} is back at {value} {unit} ({time})";
            };
        }
        return switch (type) {
            case STATUS -> "{name}: {heatpump} at {time}: {sensor} {value} {unit}";
            case DEVICE_STATE -> "{name}: {heatpump} is {value} ({time})";
            case STALE -> "{name}: no valid value of {sensor} on {heatpump} ({time})";
            default -> "{name}: {sensor} on {heatpump} is {value} {unit} ({condition} {threshold}) at {time}";
        };
    }

    static String fill(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + 32);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            int end = c == '{' ? template.indexOf('}', i) : -1;
            if (end > i) {
                String key = template.substring(i + 1, end);
                String value = values.get(key);
                if (value != null) {
                    out.append(value);
                    i = end + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    // --- devices

    private List<String> devicesOf(AlertRule rule) {
        if (rule.alert.heatpumpId() != null) {
            return manager.heatpump(rule.alert.heatpumpId()).isPresent() ? List.of(rule.alert.heatpumpId())
                    : List.of();
        }
        return manager.heatpumps().stream().filter(Heatpump::enabled).map(Heatpump::id).toList();
    }

    private SensorReading latest(String hp, String sensorId) {
        try {
            return manager.latest(hp).map(s -> s.reading(sensorId)).orElse(null);
        } catch (UnknownHeatpumpException e) {
            return null;
        }
    }

    private SensorDefinition sensor(String hp, String sensorId) {
        DeviceInfo info = device(hp);
        return info == null || sensorId == null ? null : info.sensors.get(sensorId);
    }

    private String deviceName(String hp) {
        DeviceInfo info = device(hp);
        return info == null || info.name == null || info.name.isBlank() ? hp : info.name;
    }

    private DeviceInfo device(String hp) {
        if (hp == null) {
            return null;
        }
        DeviceInfo info = devices.get(hp);
        Instant now = clock.instant();
        if (info != null && now.isBefore(info.loadedAt.plus(DEVICE_INFO_TTL))) {
            return info;
        }
        Optional<Heatpump> heatpump = manager.heatpump(hp);
        if (heatpump.isEmpty()) {
            return null;
        }
        Map<String, SensorDefinition> sensors = new HashMap<>();
        try {
            for (SensorDefinition s : manager.sensors(hp)) {
                sensors.put(s.id(), s);
            }
        } catch (UnknownHeatpumpException e) {
            return null;
        }
        info = new DeviceInfo(heatpump.get().name(), sensors, now);
        devices.put(hp, info);
        return info;
    }

    private void persist(AlertRule rule, State st) {
        try {
            store.saveState(st.persistent(rule.alert.id()));
        } catch (RuntimeException e) {
            LOG.warn("alert {}: state of {} not saved: {}", rule.alert.id(), st.heatpumpId, e.toString());
        }
    }
}
