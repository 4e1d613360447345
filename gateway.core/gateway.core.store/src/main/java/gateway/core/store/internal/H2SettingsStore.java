package gateway.core.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import gateway.core.api.SettingsStore;

/** Gateway settings in table {@code settings}. */
@Component(service = SettingsStore.class)
public final class H2SettingsStore implements SettingsStore {

    private final Database database;

    @Activate
    public H2SettingsStore(@Reference Database database) {
        this.database = database;
    }

    @Override
    public Optional<String> get(String key) {
        return database.read(c -> get(c, key));
    }

    @Override
    public void put(String key, String value) {
        database.read(c -> {
            put(c, key, value);
            return null;
        });
    }

    @Override
    public Map<String, String> all() {
        return database.read(c -> {
            Map<String, String> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT \"KEY\", \"VALUE\" FROM settings ORDER BY \"KEY\"");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }

    static Optional<String> get(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT \"VALUE\" FROM settings WHERE \"KEY\" = ?")) {
            ps.setString(1, Objects.requireNonNull(key, "key"));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Inserts or replaces; a null value removes the key. */
    static void put(Connection c, String key, String value) throws SQLException {
        Objects.requireNonNull(key, "key");
        if (value == null) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM settings WHERE \"KEY\" = ?")) {
                ps.setString(1, key);
                ps.executeUpdate();
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "MERGE INTO settings (\"KEY\", \"VALUE\") KEY (\"KEY\") VALUES (?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
        }
    }
}
