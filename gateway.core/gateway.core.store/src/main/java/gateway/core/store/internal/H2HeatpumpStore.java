package gateway.core.store.internal;

import gateway.core.api.HeatpumpStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import gateway.core.api.Heatpump;

/** Device definitions in table {@code heatpumps}; connection and device configuration as JSON text. */
@Component(service = HeatpumpStore.class)
public final class H2HeatpumpStore implements HeatpumpStore {

    private static final String COLUMNS = "id, name, manufacturer, model, connection_config, device_config,"
            + " poll_interval, enabled, created_at, updated_at";

    private final Database database;
    private final SecretCipher secrets;

    @Activate
    public H2HeatpumpStore(@Reference Database database) {
        this.database = database;
        this.secrets = SecretCipher.forDataFolder(database.settings().dataDir());
        sealPlainSecrets();
    }

    /** Rows written before secret options were encrypted get them sealed now (their values are unchanged). */
    private void sealPlainSecrets() {
        database.read(c -> {
            List<String[]> plain = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, connection_config FROM heatpumps");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (DeviceJson.hasPlainSecret(rs.getString(2))) {
                        plain.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
            }
            for (String[] row : plain) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE heatpumps SET connection_config = ? WHERE id = ?")) {
                    ps.setString(1, DeviceJson.connection(DeviceJson.connection(row[1]), secrets));
                    ps.setString(2, row[0]);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public List<Heatpump> all() {
        return database.read(c -> {
            List<Heatpump> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM heatpumps ORDER BY created_at, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<Heatpump> find(String id) {
        return database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM heatpumps WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
        });
    }

    /** @throws StoreException when the id exists already */
    @Override
    public void insert(Heatpump heatpump) {
        database.read(c -> {
            insert(c, heatpump, secrets);
            return null;
        });
    }

    /** @throws StoreException when the id is unknown */
    @Override
    public void update(Heatpump hp) {
        int n = database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE heatpumps SET name = COALESCE(?, name),"
                    + " manufacturer = ?, model = ?, connection_config = ?, device_config = ?, poll_interval = ?,"
                    + " enabled = ?,"
                    + " endpoint_key = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, hp.name());
                ps.setString(2, hp.manufacturer());
                ps.setString(3, hp.model());
                ps.setString(4, DeviceJson.connection(hp.connection(), secrets));
                ps.setString(5, DeviceJson.device(hp.deviceConfig()));
                ps.setInt(6, hp.pollIntervalSeconds());
                ps.setBoolean(7, hp.enabled());
                ps.setString(8, hp.connection().endpointKey());
                ps.setObject(9, Database.toDb(hp.updatedAt() == null ? Instant.now() : hp.updatedAt()));
                ps.setString(10, hp.id());
                return ps.executeUpdate();
            }
        });
        if (n == 0) {
            throw new StoreException("no heat pump with id '" + hp.id() + "'");
        }
    }

    @Override
    public boolean delete(String id) {
        // dashboards go with the device through ON DELETE CASCADE
        return database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM heatpumps WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    static void insert(Connection c, Heatpump hp) throws SQLException {
        insert(c, hp, null);
    }

    /** @param secrets seals secret options; null (the legacy import, which has none) writes them as they are */
    static void insert(Connection c, Heatpump hp, SecretCipher secrets) throws SQLException {
        Instant now = Instant.now();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO heatpumps (" + COLUMNS + ", endpoint_key)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, hp.id());
            ps.setString(2, hp.name() == null ? hp.id() : hp.name());
            ps.setString(3, hp.manufacturer());
            ps.setString(4, hp.model());
            ps.setString(5, DeviceJson.connection(hp.connection(), secrets));
            ps.setString(6, DeviceJson.device(hp.deviceConfig()));
            ps.setInt(7, hp.pollIntervalSeconds());
            ps.setBoolean(8, hp.enabled());
            ps.setObject(9, Database.toDb(hp.createdAt() == null ? now : hp.createdAt()));
            ps.setObject(10, Database.toDb(hp.updatedAt() == null ? now : hp.updatedAt()));
            ps.setString(11, hp.connection().endpointKey());
            ps.executeUpdate();
        }
    }

    static boolean any(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM heatpumps FETCH FIRST 1 ROWS ONLY");
             ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private Heatpump map(ResultSet rs) throws SQLException {
        return new Heatpump(rs.getString("id"), rs.getString("name"), rs.getString("manufacturer"),
                rs.getString("model"), DeviceJson.connection(rs.getString("connection_config"), secrets),
                DeviceJson.device(rs.getString("device_config")), rs.getInt("poll_interval"),
                rs.getBoolean("enabled"), Database.instant(rs, "created_at"), Database.instant(rs, "updated_at"));
    }
}
