package gateway.core.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The outbox's rows on disk ({@link NotificationOutbox} is the service people use; this is its storage). Every
 * method is one transaction.
 */
@ProviderType
public interface NotificationOutboxStore {

    /**
     * Writes one pending entry per channel, due at {@code now}, unless an entry with the notification's key exists.
     *
     * @return the entries written; empty when the key was already known
     */
    List<NotificationOutbox.Entry> insert(Notification notification, List<String> channelIds, Instant now);

    /** Pending entries due at or before {@code now}, oldest first. */
    List<NotificationOutbox.Entry> due(Instant now, int limit);

    /** The earliest next attempt of a pending entry, if any. */
    Optional<Instant> nextDue();

    void markDelivered(long id, int attempts, Instant at);

    void markRetry(long id, int attempts, Instant nextAttempt, String error);

    void markFailed(long id, int attempts, String error);

    /**
     * Deletes delivered and failed entries raised before {@code before} (pending ones stay whatever their age). A
     * notification's key can be enqueued again once its entries are gone, so the retention must be far longer than
     * any producer's retry of the same key.
     *
     * @return the number of entries deleted
     */
    int deleteFinished(Instant before);

    /** @param state null = every state; newest first */
    List<NotificationOutbox.Entry> list(NotificationOutbox.State state, int limit);
}
