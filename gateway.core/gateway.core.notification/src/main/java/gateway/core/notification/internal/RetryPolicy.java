package gateway.core.notification.internal;

import java.time.Duration;
import java.time.Instant;

/** Exponential backoff between attempts and the time after which a notification is given up. */
record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration giveUpAfter) {

    static RetryPolicy from(NotificationConfig config) {
        return new RetryPolicy(Duration.ofSeconds(config.initial_backoff_seconds()),
                Duration.ofSeconds(config.max_backoff_seconds()), Duration.ofMinutes(config.give_up_after_minutes()));
    }

    RetryPolicy {
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be positive and max >= initial");
        }
    }

    /** Delay after {@code attempts} failed attempts (1 = the first failed): initial * 2^(attempts-1), capped. */
    Duration delayAfter(int attempts) {
        int doublings = Math.max(0, Math.min(attempts - 1, 30));
        Duration delay = initialBackoff.multipliedBy(1L << doublings);
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }

    boolean givenUp(Instant raisedAt, Instant now) {
        return !now.isBefore(raisedAt.plus(giveUpAfter));
    }
}
