package gateway.core.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.api.NotificationChannelStore;

/** Channels in table {@code notification_channels}; settings are a JSON object of strings. */
@Component(service = NotificationChannelStore.class)
public final class H2NotificationChannelStore implements NotificationChannelStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, type, name, enabled, settings, updated_at";

    private final Database database;

    @Activate
    public H2NotificationChannelStore(@Reference Database database) {
        this.database = database;
    }

    @Override
    public List<ChannelConfig> list() {
        return database.query("SELECT " + COLUMNS + " FROM notification_channels ORDER BY name, id",
                H2NotificationChannelStore::map);
    }

    @Override
    public Optional<ChannelConfig> get(String id) {
        return database.queryOne("SELECT " + COLUMNS + " FROM notification_channels WHERE id = ?",
                H2NotificationChannelStore::map, id);
    }

    @Override
    public ChannelConfig save(ChannelConfig channel) {
        Objects.requireNonNull(channel, "channel");
        String id = channel.id() == null || channel.id().isBlank() ? H2JobStore.newId("ch-") : channel.id();
        Instant updated = Database.millis(channel.updatedAt() == null ? Instant.now() : channel.updatedAt());
        ChannelConfig saved = new ChannelConfig(id, channel.type(), channel.name(), channel.enabled(),
                channel.settings(), updated);
        database.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO notification_channels (" + COLUMNS
                    + ") KEY (id) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, saved.type());
                ps.setString(3, saved.name());
                ps.setBoolean(4, saved.enabled());
                ps.setString(5, toJson(saved.settings()));
                ps.setObject(6, Database.toDb(updated), Types.TIMESTAMP_WITH_TIMEZONE);
                ps.executeUpdate();
            }
            return null;
        });
        return saved;
    }

    @Override
    public boolean delete(String id) {
        return database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM notification_channels WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private static String toJson(Map<String, String> settings) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(settings));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ChannelConfig map(ResultSet rs) throws SQLException {
        Map<String, String> settings;
        try {
            settings = JSON.readValue(rs.getString("settings"), new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new StoreException("channel " + rs.getString("id") + ": unreadable settings", e);
        }
        return new ChannelConfig(rs.getString("id"), rs.getString("type"), rs.getString("name"),
                rs.getBoolean("enabled"), settings, Database.instant(rs, "updated_at"));
    }
}
