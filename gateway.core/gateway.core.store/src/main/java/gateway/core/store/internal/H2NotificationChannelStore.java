package gateway.core.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.api.NotificationChannel;
import gateway.core.api.NotificationChannelStore;

/**
 * Channels in table {@code notification_channels}; settings are a JSON object of strings, the secret ones sealed
 * with the data folder's key ({@link SecretCipher}, as device secrets are) and handed out plain.
 *
 * <p>Which settings are secret comes from the installed kinds (a whiteboard of {@link NotificationChannel}, as the
 * backups have it) and from {@link ChannelSecrets}; a setting stored sealed stays sealed whatever is installed.
 */
@Component(service = NotificationChannelStore.class)
public final class H2NotificationChannelStore implements NotificationChannelStore {

    private static final Logger LOG = LoggerFactory.getLogger(H2NotificationChannelStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, type, name, enabled, settings, updated_at";

    private final Database database;
    private final SecretCipher secrets;
    private final Map<NotificationChannel, Boolean> kinds = new ConcurrentHashMap<>();

    @Activate
    public H2NotificationChannelStore(@Reference Database database) {
        this.database = database;
        this.secrets = SecretCipher.forDataFolder(database.settings().dataDir());
    }

    /** A kind installed after its channels were stored may declare secrets no rule knew: those get sealed now. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addKind(NotificationChannel kind) {
        kinds.put(kind, Boolean.TRUE);
        try {
            int sealed = database.transaction(c -> sealPlainSecrets(c, () -> secrets, kind.type(), this::declared));
            if (sealed > 0) {
                LOG.info("secret settings of {} {} channel(s) encrypted at rest", sealed, kind.type());
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot encrypt the secret settings of {} channels: {}", kind.type(), e.toString());
        }
    }

    void removeKind(NotificationChannel kind) {
        kinds.remove(kind);
    }

    private Set<String> declared(String type) {
        return kinds.keySet().stream().filter(k -> k.type().equals(type))
                .flatMap(k -> k.settings().stream()).filter(NotificationChannel.Setting::secret)
                .map(NotificationChannel.Setting::name).collect(Collectors.toSet());
    }

    @Override
    public List<ChannelConfig> list() {
        return database.query("SELECT " + COLUMNS + " FROM notification_channels ORDER BY name, id", this::map);
    }

    @Override
    public Optional<ChannelConfig> get(String id) {
        return database.queryOne("SELECT " + COLUMNS + " FROM notification_channels WHERE id = ?", this::map, id);
    }

    @Override
    public ChannelConfig save(ChannelConfig channel) {
        Objects.requireNonNull(channel, "channel");
        String id = channel.id() == null || channel.id().isBlank() ? H2JobStore.newId("ch-") : channel.id();
        Instant updated = Database.millis(channel.updatedAt() == null ? Instant.now() : channel.updatedAt());
        ChannelConfig saved = new ChannelConfig(id, channel.type(), channel.name(), channel.enabled(),
                channel.settings(), updated);
        Set<String> declared = declared(saved.type());
        database.transaction(c -> {
            Set<String> sealedBefore = sealedSettings(c, id);
            Map<String, String> stored = new TreeMap<>();
            saved.settings().forEach((k, v) -> stored.put(k, sealedBefore.contains(k)
                    || ChannelSecrets.isSecret(saved.type(), k, declared) ? secrets.seal(v) : v));
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO notification_channels (" + COLUMNS
                    + ") KEY (id) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, saved.type());
                ps.setString(3, saved.name());
                ps.setBoolean(4, saved.enabled());
                ps.setString(5, toJson(stored));
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

    /** The settings the row {@code id} holds sealed (none when there is no such row). */
    private static Set<String> sealedSettings(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, settings FROM notification_channels WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Set.of();
                }
                return settings(rs).entrySet().stream().filter(e -> SecretCipher.sealed(e.getValue()))
                        .map(Map.Entry::getKey).collect(Collectors.toSet());
            }
        }
    }

    /**
     * Seals the secret settings that are still in clear (written before channel secrets were encrypted, or of a
     * kind whose secrets were not known then), values unchanged. The cipher is asked for only when there is
     * something to seal, so a look at a database with nothing to do creates no key file.
     *
     * @param type     only the channels of this type; all when null
     * @param declared the secret settings the installed kind of a type declares
     * @return how many channels changed
     */
    static int sealPlainSecrets(Connection c, Supplier<SecretCipher> cipher, String type,
                                Function<String, Set<String>> declared) throws SQLException {
        record Row(String id, String type, Map<String, String> settings) {
        }
        List<Row> plain = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, type, settings FROM notification_channels"
                + (type == null ? "" : " WHERE type = ?"))) {
            if (type != null) {
                ps.setString(1, type);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String rowType = rs.getString("type");
                    Set<String> secret = declared.apply(rowType);
                    Map<String, String> settings = settings(rs);
                    if (settings.entrySet().stream().anyMatch(e -> !SecretCipher.sealed(e.getValue())
                            && ChannelSecrets.isSecret(rowType, e.getKey(), secret))) {
                        plain.add(new Row(rs.getString("id"), rowType, settings));
                    }
                }
            }
        }
        if (plain.isEmpty()) {
            return 0;
        }
        SecretCipher secrets = cipher.get();
        try (PreparedStatement ps = c.prepareStatement("UPDATE notification_channels SET settings = ? WHERE id = ?")) {
            for (Row row : plain) {
                Set<String> secret = declared.apply(row.type());
                Map<String, String> sealed = new TreeMap<>();
                row.settings().forEach((k, v) -> sealed.put(k,
                        ChannelSecrets.isSecret(row.type(), k, secret) ? secrets.seal(v) : v));
                ps.setString(1, toJson(sealed));
                ps.setString(2, row.id());
                ps.executeUpdate();
            }
        }
        return plain.size();
    }

    private static String toJson(Map<String, String> settings) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(settings));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> settings(ResultSet rs) throws SQLException {
        try {
            return JSON.readValue(rs.getString("settings"), new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            // the message names the channel only: Jackson's would quote the text, secrets and all
            throw new StoreException("channel " + rs.getString("id") + ": unreadable settings");
        }
    }

    private ChannelConfig map(ResultSet rs) throws SQLException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings(rs).forEach((k, v) -> settings.put(k, secrets.open(v)));
        return new ChannelConfig(rs.getString("id"), rs.getString("type"), rs.getString("name"),
                rs.getBoolean("enabled"), settings, Database.instant(rs, "updated_at"));
    }
}
