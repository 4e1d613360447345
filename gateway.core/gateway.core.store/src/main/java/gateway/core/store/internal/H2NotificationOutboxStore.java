package gateway.core.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import gateway.core.api.Notification;
import gateway.core.api.NotificationOutbox.Entry;
import gateway.core.api.NotificationOutbox.State;
import gateway.core.api.NotificationOutboxStore;

/**
 * Outbox rows in table {@code notification_outbox}. An insert is one transaction, so a notification is on disk for
 * all its channels or for none.
 */
@Component(service = NotificationOutboxStore.class)
public final class H2NotificationOutboxStore implements NotificationOutboxStore {

    private static final String COLUMNS = "id, notification_key, channel_id, title, message, severity, heatpump_id,"
            + " source, created_at, state, attempts, next_attempt, last_error, delivered_at";
    /** Longer errors are cut: a service may answer with a whole HTML page. */
    static final int MAX_ERROR_LENGTH = 1000;

    private final Database database;

    @Activate
    public H2NotificationOutboxStore(@Reference Database database) {
        this.database = database;
    }

    @Override
    public List<Entry> insert(Notification notification, List<String> channelIds, Instant now) {
        Instant due = Database.millis(now);
        return database.transaction(c -> {
            try (PreparedStatement known = c.prepareStatement(
                    "SELECT 1 FROM notification_outbox WHERE notification_key = ? LIMIT 1")) {
                known.setString(1, notification.key());
                try (ResultSet rs = known.executeQuery()) {
                    if (rs.next()) {
                        return List.of();
                    }
                }
            }
            List<Entry> written = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_outbox (notification_key,"
                    + " channel_id, title, message, severity, heatpump_id, source, created_at, state, attempts,"
                    + " next_attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                for (String channelId : channelIds) {
                    ps.setString(1, notification.key());
                    ps.setString(2, channelId);
                    ps.setString(3, notification.title());
                    ps.setString(4, notification.message());
                    ps.setString(5, notification.severity());
                    ps.setString(6, notification.heatpumpId());
                    ps.setString(7, notification.source());
                    ps.setObject(8, Database.toDb(notification.createdAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                    ps.setString(9, State.PENDING.name());
                    ps.setObject(10, Database.toDb(due), Types.TIMESTAMP_WITH_TIMEZONE);
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        long id = keys.getLong(1);
                        Notification forChannel = new Notification(notification.key(), notification.title(),
                                notification.message(), notification.severity(), List.of(channelId),
                                notification.heatpumpId(), notification.source(),
                                Database.millis(notification.createdAt()));
                        written.add(new Entry(id, forChannel, channelId, State.PENDING, 0, due, null, null));
                    }
                }
            }
            return written;
        });
    }

    @Override
    public List<Entry> due(Instant now, int limit) {
        return database.query("SELECT " + COLUMNS + " FROM notification_outbox WHERE state = 'PENDING'"
                        + " AND next_attempt <= ? ORDER BY next_attempt, id LIMIT ?",
                H2NotificationOutboxStore::map, Database.toDb(now), limit);
    }

    @Override
    public Optional<Instant> nextDue() {
        return database.read(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT MIN(next_attempt) AS"
                    + " next_attempt FROM notification_outbox WHERE state = 'PENDING'")) {
                return rs.next() ? Optional.ofNullable(Database.instant(rs, "next_attempt")) : Optional.empty();
            }
        });
    }

    @Override
    public void markDelivered(long id, int attempts, Instant at) {
        update("UPDATE notification_outbox SET state = 'DELIVERED', attempts = ?, delivered_at = ?,"
                + " next_attempt = NULL WHERE id = ?", attempts, Database.toDb(at), id);
    }

    @Override
    public void markRetry(long id, int attempts, Instant nextAttempt, String error) {
        update("UPDATE notification_outbox SET attempts = ?, next_attempt = ?, last_error = ? WHERE id = ?",
                attempts, Database.toDb(nextAttempt), cut(error), id);
    }

    @Override
    public void markFailed(long id, int attempts, String error) {
        update("UPDATE notification_outbox SET state = 'FAILED', attempts = ?, next_attempt = NULL,"
                + " last_error = ? WHERE id = ?", attempts, cut(error), id);
    }

    @Override
    public int deleteFinished(Instant before) {
        return database.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM notification_outbox"
                    + " WHERE state IN ('DELIVERED', 'FAILED') AND created_at < ?")) {
                ps.setObject(1, Database.toDb(before));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Entry> list(State state, int limit) {
        return state == null
                ? database.query("SELECT " + COLUMNS + " FROM notification_outbox ORDER BY id DESC LIMIT ?",
                        H2NotificationOutboxStore::map, limit)
                : database.query("SELECT " + COLUMNS + " FROM notification_outbox WHERE state = ?"
                        + " ORDER BY id DESC LIMIT ?", H2NotificationOutboxStore::map, state.name(), limit);
    }

    private void update(String sql, Object... params) {
        database.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    private static String cut(String error) {
        return error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }

    private static Entry map(ResultSet rs) throws SQLException {
        String channelId = rs.getString("channel_id");
        Notification notification = new Notification(rs.getString("notification_key"), rs.getString("title"),
                rs.getString("message"), rs.getString("severity"), List.of(channelId), rs.getString("heatpump_id"),
                rs.getString("source"), Database.instant(rs, "created_at"));
        return new Entry(rs.getLong("id"), notification, channelId, State.valueOf(rs.getString("state")),
                rs.getInt("attempts"), Database.instant(rs, "next_attempt"), rs.getString("last_error"),
                Database.instant(rs, "delivered_at"));
    }
}
