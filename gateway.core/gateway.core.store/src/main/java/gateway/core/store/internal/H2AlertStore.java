package gateway.core.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import gateway.core.api.AlertStore;

/** Alerts in table {@code alerts} (the original's columns, typed). */
@Component(service = AlertStore.class)
public final class H2AlertStore implements AlertStore {

    private static final String COLUMNS = "id, heatpump_id, name, type, sensor, condition, threshold, message,"
            + " enabled, interval_seconds, last_triggered";

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
                alert.intervalSeconds(), Database.millis(alert.lastTriggered()));
        database.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO alerts (" + COLUMNS + ") KEY (id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
                ps.executeUpdate();
            }
            return null;
        });
        return saved;
    }

    @Override
    public boolean delete(String id) {
        return database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM alerts WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private static Alert map(ResultSet rs) throws SQLException {
        return new Alert(rs.getString("id"), rs.getString("heatpump_id"), rs.getString("name"),
                rs.getString("type"), rs.getString("sensor"), rs.getString("condition"), rs.getString("threshold"),
                rs.getString("message"), rs.getBoolean("enabled"), rs.getInt("interval_seconds"),
                Database.instant(rs, "last_triggered"));
    }
}
