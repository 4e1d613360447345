package gateway.core.notification.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.Notification;
import gateway.core.api.NotificationChannel;
import gateway.core.api.NotificationChannelStore;
import gateway.core.api.NotificationChannelStore.ChannelConfig;
import gateway.core.api.NotificationDeliveryException;
import gateway.core.api.NotificationOutbox;
import gateway.core.api.NotificationOutboxStore;

/**
 * The outbox: {@link #enqueue} stores one row per channel and returns; one delivery thread sends what is due,
 * marks an entry delivered only after its channel accepted it, and otherwise retries with exponential backoff until
 * the notification is older than the give-up time. The rows are the only state, so a restart simply goes on.
 *
 * <p>Delivery is at least once: a crash between a channel's acceptance and the row update sends again, with the
 * same delivery key ({@code <notification key>/<channel id>}) for kinds that pass it on.
 */
@Component(service = NotificationOutbox.class, configurationPid = DurableOutbox.PID)
@Designate(ocd = NotificationConfig.class)
public final class DurableOutbox implements NotificationOutbox {

    public static final String PID = "gateway.notification";
    private static final Logger LOG = LoggerFactory.getLogger(DurableOutbox.class);

    private final NotificationOutboxStore rows;
    private final NotificationChannelStore channels;
    private final ChannelKinds kinds;
    private final Clock clock;
    private final RetryPolicy policy;
    private final int batchSize;
    private final Duration retention;
    private final ScheduledExecutorService loop;

    @Activate
    public DurableOutbox(@Reference NotificationOutboxStore rows, @Reference NotificationChannelStore channels,
                         NotificationConfig config) {
        this(rows, channels, new ChannelKinds(), Clock.systemUTC(), RetryPolicy.from(config), config.batch_size(),
                Duration.ofDays(config.retention_days()), Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "notification-outbox");
                    t.setDaemon(true);
                    return t;
                }));
        // the first round after one interval: DS binds the channel kinds after this constructor, and a round
        // before that would count an attempt against every pending entry left from before a restart
        loop.scheduleWithFixedDelay(this::deliverDueQuietly, config.poll_interval_seconds(),
                config.poll_interval_seconds(), TimeUnit.SECONDS);
        loop.scheduleWithFixedDelay(this::pruneQuietly, 1, 60, TimeUnit.MINUTES);
    }

    /** For tests: no thread when {@code loop} is null; they call {@link #deliverDue()} themselves. */
    DurableOutbox(NotificationOutboxStore rows, NotificationChannelStore channels, ChannelKinds kinds, Clock clock,
                  RetryPolicy policy, int batchSize, Duration retention, ScheduledExecutorService loop) {
        this.rows = rows;
        this.channels = channels;
        this.kinds = kinds;
        this.clock = clock;
        this.policy = policy;
        this.batchSize = batchSize;
        this.retention = retention;
        this.loop = loop;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addChannel(NotificationChannel channel) {
        kinds.add(channel);
    }

    void removeChannel(NotificationChannel channel) {
        kinds.remove(channel);
    }

    @Deactivate
    void stop() throws InterruptedException {
        if (loop != null) {
            loop.shutdownNow();
            loop.awaitTermination(20, TimeUnit.SECONDS);
        }
    }

    @Override
    public List<Entry> enqueue(Notification notification) {
        List<String> targets = notification.channelIds().isEmpty()
                ? channels.list().stream().filter(ChannelConfig::enabled).map(ChannelConfig::id).toList()
                : notification.channelIds().stream().distinct().toList();
        if (targets.isEmpty()) {
            LOG.info("notification {} ({}): no enabled channel, nothing to deliver", notification.key(),
                    notification.source());
            return List.of();
        }
        List<Entry> written = rows.insert(notification, targets, clock.instant());
        if (!written.isEmpty() && loop != null) {
            loop.execute(this::deliverDueQuietly);
        }
        return written;
    }

    @Override
    public List<Entry> entries(State state, int limit) {
        return rows.list(state, limit);
    }

    /** Deletes delivered and failed entries older than the retention, so the table does not grow for ever. */
    int pruneFinished() {
        int deleted = rows.deleteFinished(clock.instant().minus(retention));
        if (deleted > 0) {
            LOG.info("outbox: deleted {} finished notifications older than {} days", deleted, retention.toDays());
        }
        return deleted;
    }

    private void pruneQuietly() {
        try {
            pruneFinished();
        } catch (RuntimeException e) {
            LOG.warn("outbox: pruning failed: {}", e.toString());
        }
    }

    private void deliverDueQuietly() {
        try {
            deliverDue();
        } catch (RuntimeException e) {
            // the store may be restarting; the rows wait for the next round
            LOG.warn("notification outbox round failed: {}", e.toString());
        }
    }

    /** One round: every due entry gets one attempt. Returns how many were delivered. */
    int deliverDue() {
        int delivered = 0;
        List<Entry> due;
        do {
            due = rows.due(clock.instant(), batchSize);
            for (Entry entry : due) {
                if (Thread.currentThread().isInterrupted()) {
                    return delivered;
                }
                delivered += attempt(entry) ? 1 : 0;
            }
        } while (due.size() == batchSize);
        return delivered;
    }

    /** The earliest pending attempt, for whoever wants to know when the next round matters. */
    Optional<Instant> nextDue() {
        return rows.nextDue();
    }

    private boolean attempt(Entry entry) {
        int attempts = entry.attempts() + 1;
        Optional<ChannelConfig> channel = channels.get(entry.channelId());
        if (channel.isEmpty()) {
            fail(entry, attempts, "channel '" + entry.channelId() + "' no longer exists");
            return false;
        }
        if (!channel.get().enabled()) {
            fail(entry, attempts, "channel '" + entry.channelId() + "' is disabled");
            return false;
        }
        Optional<NotificationChannel> kind = kinds.find(channel.get().type());
        if (kind.isEmpty()) {
            // its bundle may be being updated: wait for it like for an outage
            retryOrFail(entry, attempts, "channel type '" + channel.get().type() + "' is not installed");
            return false;
        }
        try {
            kind.get().send(channel.get().settings(), entry.notification(), deliveryKey(entry));
        } catch (NotificationDeliveryException e) {
            if (e.retryable()) {
                retryOrFail(entry, attempts, e.getMessage());
            } else {
                fail(entry, attempts, e.getMessage());
            }
            return false;
        } catch (RuntimeException e) {
            retryOrFail(entry, attempts, channel.get().type() + " channel failed: " + e);
            return false;
        }
        rows.markDelivered(entry.id(), attempts, clock.instant());
        LOG.info("notification {} delivered to channel {} ({}) after {} attempt(s)", entry.notification().key(),
                entry.channelId(), channel.get().type(), attempts);
        return true;
    }

    static String deliveryKey(Entry entry) {
        return entry.notification().key() + "/" + entry.channelId();
    }

    private void retryOrFail(Entry entry, int attempts, String error) {
        Instant now = clock.instant();
        if (policy.givenUp(entry.notification().createdAt(), now)) {
            fail(entry, attempts, "gave up after " + attempts + " attempts over " + policy.giveUpAfter()
                    .toMinutes() + " min; last error: " + error);
            return;
        }
        // the last attempt falls on the give-up time itself, so "failed" comes when configured, not up to a
        // whole backoff later
        Instant deadline = entry.notification().createdAt().plus(policy.giveUpAfter());
        Instant next = now.plus(policy.delayAfter(attempts));
        if (next.isAfter(deadline)) {
            next = deadline;
        }
        rows.markRetry(entry.id(), attempts, next, error);
        LOG.info("notification {} to channel {}: attempt {} failed ({}), next at {}", entry.notification().key(),
                entry.channelId(), attempts, error, next);
    }

    private void fail(Entry entry, int attempts, String error) {
        rows.markFailed(entry.id(), attempts, error);
        LOG.warn("notification {} to channel {} failed for good after {} attempt(s): {}",
                entry.notification().key(), entry.channelId(), attempts, error);
    }
}
