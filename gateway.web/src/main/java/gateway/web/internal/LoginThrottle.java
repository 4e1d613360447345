package gateway.web.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed password checks per client address in a sliding minute; beyond the limit the address gets 429 until its
 * oldest failure leaves the window. Successful logins do not wipe the count, so a known account does not reopen
 * guessing on another.
 */
final class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_ADDRESSES = 10_000;

    private final Clock clock;
    private volatile int limit;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    LoginThrottle(Clock clock, int limit) {
        this.clock = clock;
        this.limit = limit;
    }

    void configure(int limit) {
        this.limit = limit;
    }

    /** Seconds the address must wait, or 0 when it may try. */
    long retryAfterSeconds(String address) {
        Deque<Instant> list = failures.get(address);
        if (list == null) {
            return 0;
        }
        Instant now = clock.instant();
        synchronized (list) {
            prune(list, now);
            if (list.size() < limit) {
                return 0;
            }
            long millis = Duration.between(now, list.peekFirst().plus(WINDOW)).toMillis();
            return Math.max(1, (millis + 999) / 1000);
        }
    }

    void failed(String address) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_ADDRESSES) {
            failures.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    prune(e.getValue(), now);
                    return e.getValue().isEmpty();
                }
            });
        }
        Deque<Instant> list = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (list) {
            prune(list, now);
            list.addLast(now);
        }
    }

    private static void prune(Deque<Instant> list, Instant now) {
        Instant cutoff = now.minus(WINDOW);
        while (!list.isEmpty() && !list.peekFirst().isAfter(cutoff)) {
            list.removeFirst();
        }
    }

    ApiException tooMany(long seconds) {
        return new ApiException(429, "too-many-requests", "Too many failed logins",
                "too many failed logins from this address; try again in " + seconds + " s", null)
                .header("Retry-After", Long.toString(seconds));
    }
}
