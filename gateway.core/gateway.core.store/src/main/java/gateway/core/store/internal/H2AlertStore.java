package gateway.core.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.api.AlertStore;

/**
 * Alerts in table {@code alerts} (the original's columns, typed, plus the engine's options), the engine's state in
 * {@code alert_state} and the history in {@code alert_events}.
 */
@Component(service = AlertStore.class)
public final class H2AlertStore implements AlertStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, heatpump_id, name, type, sensor, condition, threshold, message,"
            + " enabled, interval_seconds, last_triggered, for_seconds, hysteresis, channels, notify_resolved";
    private static final String EVENT_COLUMNS = "id, alert_id, heatpump_id, kind, \"VALUE\", message, time,"
            + " acknowledged_at, acknowledged_by";
    private static final int MAX_EVENTS = 10_000;

    private final Database database;

    @Activate
    public H2AlertStore(@Reference Database database) {
        this.database = database;
    }

    @Override
    public List<Alert> list(String heatpumpId) {
        String select = "SELECT " + COLUMNS + " FROM alerts";
        String order = " ORDER BY heatpump_id, name, id";
        return heatpumpId == null
                ? database.query(select + order, H2AlertStore::map)
                : database.query(select + " WHERE heatpump_id = ?" + order, H2AlertStore::map, heatpumpId);
    }

    @Override
    public Optional<Alert> get(String id) {
        return database.queryOne("SELECT " + COLUMNS + " FROM alerts WHERE id = ?", H2AlertStore::map, id);
    }

    @Override
    public Alert save(Alert alert) {
        Objects.requireNonNull(alert, "alert");
        String id = alert.id() == null || alert.id().isBlank() ? H2JobStore.newId("alert-") : alert.id();
        Alert saved = new Alert(id, alert.heatpumpId(), alert.name(), alert.type() == null ? "threshold" : alert.type(),
                alert.sensor(), alert.condition(), alert.threshold(), alert.message(), alert.enabled(),
                alert.intervalSeconds(), Database.millis(alert.lastTriggered()), alert.forSeconds(),
                alert.hysteresis(), alert.channels(), alert.notifyResolved());
        database.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO alerts (" + COLUMNS + ") KEY (id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, saved.heatpumpId());
                ps.setString(3, saved.name());
                ps.setString(4, saved.type());
                ps.setString(5, saved.sensor());
                ps.setString(6, saved.condition());
                ps.setString(7, saved.threshold());
                ps.setString(8, saved.message());
                ps.setBoolean(9, saved.enabled());
                ps.setInt(10, saved.intervalSeconds());
                ps.setObject(11, Database.toDb(saved.lastTriggered()), Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setInt(12, saved.forSeconds());
                ps.setDouble(13, saved.hysteresis());
                ps.setString(14, toJson(saved.channels()));
                ps.setBoolean(15, saved.notifyResolved());
                ps.executeUpdate();
            }
            return null;
        });
        return saved;
    }

    @Override
    public boolean delete(String id) {
        return database.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM alert_state WHERE alert_id = ?");
                 PreparedStatement ps = c.prepareStatement("DELETE FROM alerts WHERE id = ?")) {
                st.setString(1, id);
                st.executeUpdate();
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void markTriggered(String id, Instant at) {
        database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE alerts SET last_triggered = ? WHERE id = ?")) {
                ps.setObject(1, Database.toDb(at), Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<AlertState> states() {
        return database.query("SELECT alert_id, heatpump_id, pending_since, firing_since, last_notified,"
                + " fired_event_id, repeats FROM alert_state", rs -> new AlertState(rs.getString("alert_id"),
                rs.getString("heatpump_id"), Database.instant(rs, "pending_since"),
                Database.instant(rs, "firing_since"), Database.instant(rs, "last_notified"),
                rs.getLong("fired_event_id"), rs.getInt("repeats")));
    }

    @Override
    public void saveState(AlertState s) {
        database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO alert_state (alert_id, heatpump_id,"
                    + " pending_since, firing_since, last_notified, fired_event_id, repeats) KEY (alert_id, heatpump_id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, s.alertId());
                ps.setString(2, s.heatpumpId());
                ps.setObject(3, Database.toDb(s.pendingSince()), Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setObject(4, Database.toDb(s.firingSince()), Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setObject(5, Database.toDb(s.lastNotified()), Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setLong(6, s.firedEventId());
                ps.setInt(7, s.repeats());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public AlertEvent recordEvent(AlertEvent e) {
        Instant time = Database.millis(e.time() == null ? Instant.now() : e.time());
        long id = database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_events (alert_id, heatpump_id, kind,"
                    + " \"VALUE\", message, time) VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, e.alertId());
                ps.setString(2, e.heatpumpId());
                ps.setString(3, e.kind());
                ps.setObject(4, e.value() == null || !Double.isFinite(e.value()) ? null : e.value(), Types.DOUBLE);
                ps.setString(5, e.message());
                ps.setObject(6, Database.toDb(time), Types.TIMESTAMP_WITH_TIMEZONE);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        return new AlertEvent(id, e.alertId(), e.heatpumpId(), e.kind(), e.value(), e.message(), time, null, null);
    }

    @Override
    public Optional<AlertEvent> event(long id) {
        return database.queryOne("SELECT " + EVENT_COLUMNS + " FROM alert_events WHERE id = ?", H2AlertStore::event,
                id);
    }

    @Override
    public List<AlertEvent> events(String heatpumpId, Instant from, Instant to, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + EVENT_COLUMNS + " FROM alert_events WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (heatpumpId != null) {
            sql.append(" AND heatpump_id = ?");
            params.add(heatpumpId);
        }
        if (from != null) {
            sql.append(" AND time >= ?");
            params.add(Database.toDb(from));
        }
        if (to != null) {
            sql.append(" AND time <= ?");
            params.add(Database.toDb(to));
        }
        sql.append(" ORDER BY time DESC, id DESC FETCH FIRST ? ROWS ONLY");
        params.add(Math.max(1, Math.min(limit, MAX_EVENTS)));
        return database.query(sql.toString(), H2AlertStore::event, params.toArray());
    }

    @Override
    public Optional<AlertEvent> acknowledge(long id, String by, Instant at) {
        database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE alert_events SET acknowledged_at = ?,"
                    + " acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL")) {
                ps.setObject(1, Database.toDb(at), Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setString(2, by);
                ps.setLong(3, id);
                return ps.executeUpdate();
            }
        });
        return event(id);
    }

    private static String toJson(List<String> channels) {
        try {
            return JSON.writeValueAsString(channels);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> channels(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    private static Alert map(ResultSet rs) throws SQLException {
        return new Alert(rs.getString("id"), rs.getString("heatpump_id"), rs.getString("name"),
                rs.getString("type"), rs.getString("sensor"), rs.getString("condition"), rs.getString("threshold"),
                rs.getString("message"), rs.getBoolean("enabled"), rs.getInt("interval_seconds"),
                Database.instant(rs, "last_triggered"), rs.getInt("for_seconds"), rs.getDouble("hysteresis"),
                channels(rs.getString("channels")), rs.getBoolean("notify_resolved"));
    }

    private static AlertEvent event(ResultSet rs) throws SQLException {
        double v = rs.getDouble("VALUE");
        Double value = rs.wasNull() ? null : v;
        return new AlertEvent(rs.getLong("id"), rs.getString("alert_id"), rs.getString("heatpump_id"),
                rs.getString("kind"), value, rs.getString("message"), Database.instant(rs, "time"),
                Database.instant(rs, "acknowledged_at"), rs.getString("acknowledged_by"));
    }
}
