package gateway.core.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.api.AnomalyStore;
import gateway.core.api.OperatingMode;

/**
 * Anomaly events in {@code anomaly_events}; the score series goes to the history under the sensor ids
 * {@link #SCORE_SENSOR} and {@link #FLAG_SENSOR}, so history queries and retention treat it like any sensor.
 */
@Component(service = AnomalyStore.class)
public final class H2AnomalyStore implements AnomalyStore {

    static final int MAX_LIMIT = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Contribution>> CONTRIBUTIONS = new TypeReference<>() { };
    private static final TypeReference<LinkedHashMap<String, Double>> CONTEXT = new TypeReference<>() { };

    private final Database database;
    /** Latest score per device, for /metrics without a query per scrape. */
    private final java.util.Map<String, Score> latest = new java.util.concurrent.ConcurrentHashMap<>();

    @Activate
    public H2AnomalyStore(@Reference Database database) {
        this.database = database;
    }

    @Override
    public void recordScore(String heatpumpId, Instant time, double score, boolean flag) {
        if (!Double.isFinite(score)) {
            return;
        }
        latest.put(heatpumpId, new Score(time, score, flag));
        // sensors sorted like every history row, so the pair always maps to one layout
        database.transaction(c -> {
            database.history().write(c, List.of(new HistoryTable.Row(heatpumpId, List.of(FLAG_SENSOR, SCORE_SENSOR),
                    time.toEpochMilli(), new double[] { flag ? 1 : 0, score })));
            return null;
        });
    }

    @Override
    public java.util.Optional<Score> latestScore(String heatpumpId) {
        return java.util.Optional.ofNullable(latest.get(heatpumpId));
    }

    @Override
    public Event record(Event e) {
        String features = json(e.features());
        String context = json(e.context());
        long id = database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO anomaly_events"
                    + " (heatpump_id, ts, mode, score, threshold, features, context, notified_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, e.heatpumpId());
                ps.setLong(2, e.time().toEpochMilli());
                ps.setString(3, e.mode().name());
                ps.setDouble(4, e.score());
                ps.setDouble(5, e.threshold());
                ps.setString(6, features);
                ps.setString(7, context);
                ps.setObject(8, e.notifiedAt() == null ? null : Database.toDb(e.notifiedAt()));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        return new Event(id, e.heatpumpId(), Instant.ofEpochMilli(e.time().toEpochMilli()), e.mode(), e.score(),
                e.threshold(), e.features(), e.context(), e.notifiedAt());
    }

    @Override
    public List<Event> events(String heatpumpId, Instant from, Instant to, int limit) {
        String where = " WHERE ts >= ? AND ts <= ?" + (heatpumpId == null ? "" : " AND heatpump_id = ?");
        return select(where + " ORDER BY ts DESC, id DESC FETCH FIRST ? ROWS ONLY", ps -> {
            int i = 1;
            ps.setLong(i++, from.toEpochMilli());
            ps.setLong(i++, to.toEpochMilli());
            if (heatpumpId != null) {
                ps.setString(i++, heatpumpId);
            }
            ps.setInt(i, clamp(limit));
        });
    }

    @Override
    public List<Event> pending(int limit) {
        return select(" WHERE notified_at IS NULL ORDER BY id FETCH FIRST ? ROWS ONLY",
                ps -> ps.setInt(1, clamp(limit)));
    }

    @Override
    public void markNotified(long id, Instant at) {
        database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE anomaly_events SET notified_at = ? WHERE id = ?")) {
                ps.setObject(1, Database.toDb(at));
                ps.setLong(2, id);
                return ps.executeUpdate();
            }
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<Event> select(String tail, Binder binder) {
        return database.read(c -> {
            List<Event> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, heatpump_id, ts, mode, score, threshold,"
                    + " features, context, notified_at FROM anomaly_events" + tail)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Event(rs.getLong("id"), rs.getString("heatpump_id"),
                                Instant.ofEpochMilli(rs.getLong("ts")), mode(rs.getString("mode")),
                                rs.getDouble("score"), rs.getDouble("threshold"),
                                parse(rs.getString("features"), CONTRIBUTIONS),
                                parse(rs.getString("context"), CONTEXT), Database.instant(rs, "notified_at")));
                    }
                }
            }
            return out;
        });
    }

    private static OperatingMode mode(String name) {
        try {
            return OperatingMode.valueOf(name);
        } catch (IllegalArgumentException e) {
            return OperatingMode.UNKNOWN;
        }
    }

    private static int clamp(int limit) {
        return Math.max(0, Math.min(limit, MAX_LIMIT));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException ex) {
            throw new StoreException("cannot encode anomaly event: " + ex.getOriginalMessage(), ex);
        }
    }

    private static <T> T parse(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException ex) {
            throw new StoreException("cannot decode anomaly event: " + ex.getOriginalMessage(), ex);
        }
    }
}
