package gateway.core.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import gateway.core.api.AuditLog;

/** The audit trail in table {@code audit}; append-only (no update or delete is offered). */
@Component(service = AuditLog.class)
public final class H2AuditLog implements AuditLog {

    static final int MAX_LIMIT = 10_000;

    private final Database database;

    @Activate
    public H2AuditLog(@Reference Database database) {
        this.database = database;
    }

    @Override
    public Entry record(String actor, String heatpumpId, String sensorId, Double oldValue, Double newValue,
                        String result, String detail) {
        Instant now = Database.millis(Instant.now());
        String outcome = result == null ? "ok" : result;
        long id = database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit"
                            + " (time, actor, heatpump_id, sensor_id, old_value, new_value, result, detail)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setObject(1, Database.toDb(now));
                ps.setString(2, actor);
                ps.setString(3, heatpumpId);
                ps.setString(4, sensorId);
                setDouble(ps, 5, oldValue);
                setDouble(ps, 6, newValue);
                ps.setString(7, outcome);
                ps.setString(8, detail);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        return new Entry(id, now, actor, heatpumpId, sensorId, oldValue, newValue, outcome, detail);
    }

    @Override
    public List<Entry> recent(String heatpumpId, int limit) {
        int n = Math.max(0, Math.min(limit, MAX_LIMIT));
        String where = heatpumpId == null ? "" : " WHERE heatpump_id = ?";
        return database.read(c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, time, actor, heatpump_id, sensor_id,"
                    + " old_value, new_value, result, detail FROM audit" + where
                    + " ORDER BY id DESC FETCH FIRST ? ROWS ONLY")) {
                int i = 1;
                if (heatpumpId != null) {
                    ps.setString(i++, heatpumpId);
                }
                ps.setInt(i, n);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(rs.getLong("id"), Database.instant(rs, "time"), rs.getString("actor"),
                                rs.getString("heatpump_id"), rs.getString("sensor_id"),
                                rs.getObject("old_value", Double.class), rs.getObject("new_value", Double.class),
                                rs.getString("result"), rs.getString("detail")));
                    }
                }
            }
            return out;
        });
    }

    private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }
}
