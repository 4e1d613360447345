package gateway.core.api;

import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable delivery of {@link Notification}s: {@link #enqueue} writes one outbox entry per target channel to disk
 * before it returns; entries leave the outbox only when their channel accepted them, are retried with backoff across
 * channel outages and gateway restarts, and are marked failed after a configured time.
 */
@ProviderType
public interface NotificationOutbox {

    /** Delivery state of one entry. */
    enum State { PENDING, DELIVERED, FAILED }

    /**
     * One notification for one channel.
     *
     * @param attempts    delivery attempts so far
     * @param nextAttempt when the next attempt is due (pending entries)
     * @param lastError   why the last attempt failed, or null
     */
    record Entry(long id, Notification notification, String channelId, State state, int attempts,
                 Instant nextAttempt, String lastError, Instant deliveredAt) {
    }

    /**
     * Stores the notification for each of its channels (every enabled channel when it names none); on disk when
     * this returns. A key already enqueued is not enqueued again.
     *
     * @return the entries created (empty when the key was known or no channel is enabled)
     */
    List<Entry> enqueue(Notification notification);

    /** Entries in that state (null = all), newest first. */
    List<Entry> entries(State state, int limit);
}
