package gateway.core.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A message for people: an alert firing or resolving, a status report, an anomaly, a channel test. The automation
 * engine hands it to the {@link NotificationOutbox}, which delivers it to each of its channels at least once and, where
 * a channel supports an idempotency key, exactly once.
 *
 * @param key        stable idempotency key (e.g. {@code alert-event-42}); enqueuing the same key twice is a no-op
 * @param title      short subject line (e-mail subject, push title)
 * @param message    the text, placeholders already filled in
 * @param severity   {@code info}, {@code warning} or {@code critical}
 * @param channelIds channels to deliver to; empty = every enabled channel
 * @param heatpumpId the device it is about, or null
 * @param source     what raised it, e.g. {@code alert:al-1}, {@code anomaly:17}, {@code test}
 * @param createdAt  when it was raised
 */
public record Notification(String key, String title, String message, String severity, List<String> channelIds,
                           String heatpumpId, String source, Instant createdAt) {

    public Notification {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
        title = title == null ? "" : title;
        severity = severity == null ? "info" : severity;
        channelIds = channelIds == null ? List.of() : List.copyOf(channelIds);
        createdAt = createdAt == null ? Instant.now() : createdAt;
    }
}
