package gateway.core.store.internal;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import gateway.core.api.DashboardStore;

/** Dashboards in table {@code dashboards}; a device's dashboards go when the device row goes (cascade). */
@Component(service = DashboardStore.class)
public final class H2DashboardStore implements DashboardStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;

    @Activate
    public H2DashboardStore(@Reference Database database) {
        this.database = database;
    }

    /** @param heatpumpId the device, or null for the overview dashboards */
    @Override
    public List<Dashboard> list(String heatpumpId) {
        String select = "SELECT id, name, heatpump_id, config, position FROM dashboards WHERE ";
        String order = " ORDER BY position, created_at, id";
        return heatpumpId == null
                ? database.query(select + "heatpump_id IS NULL" + order, H2DashboardStore::map)
                : database.query(select + "heatpump_id = ?" + order, H2DashboardStore::map, heatpumpId);
    }

    @Override
    public Optional<Dashboard> get(String id) {
        return database.queryOne("SELECT id, name, heatpump_id, config, position FROM dashboards WHERE id = ?",
                H2DashboardStore::map, id);
    }

    /**
     * Inserts (a new {@code dash-xxxxxxxx} id when the id is null or blank) or replaces the dashboard with that id;
     * the creation time of an existing dashboard is kept.
     *
     * @throws IllegalArgumentException when heatpumpId names no stored device
     */
    @Override
    public Dashboard save(Dashboard d) {
        Objects.requireNonNull(d, "dashboard");
        String id = d.id() == null || d.id().isBlank() ? newId() : d.id();
        Dashboard saved = new Dashboard(id, d.name() == null ? "" : d.name(), d.heatpumpId(),
                d.config() == null ? "{}" : d.config(), d.position());
        try {
            database.transaction(c -> {
                int n;
                try (PreparedStatement ps = c.prepareStatement("UPDATE dashboards SET name = ?, heatpump_id = ?,"
                        + " config = ?, position = ? WHERE id = ?")) {
                    ps.setString(1, saved.name());
                    ps.setString(2, saved.heatpumpId());
                    ps.setString(3, saved.config());
                    ps.setInt(4, saved.position());
                    ps.setString(5, id);
                    n = ps.executeUpdate();
                }
                if (n == 0) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO dashboards"
                            + " (id, name, heatpump_id, config, position, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                        ps.setString(1, id);
                        ps.setString(2, saved.name());
                        ps.setString(3, saved.heatpumpId());
                        ps.setString(4, saved.config());
                        ps.setInt(5, saved.position());
                        ps.setObject(6, Database.toDb(Instant.now()));
                        ps.executeUpdate();
                    }
                }
                return null;
            });
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLIntegrityConstraintViolationException) {
                throw new IllegalArgumentException("no heat pump with id '" + d.heatpumpId() + "'", e);
            }
            throw e;
        }
        return saved;
    }

    @Override
    public boolean delete(String id) {
        return database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM dashboards WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    static String newId() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return "dash-" + HexFormat.of().formatHex(b);
    }

    private static Dashboard map(ResultSet rs) throws SQLException {
        return new Dashboard(rs.getString("id"), rs.getString("name"), rs.getString("heatpump_id"),
                rs.getString("config"), rs.getInt("position"));
    }
}
