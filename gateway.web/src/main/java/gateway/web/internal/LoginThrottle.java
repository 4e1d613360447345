package gateway.web.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing without locking the owner out. Failed checks are counted per user name <em>and</em> client
 * address; after {@code freeFailures} of them that pair waits a delay that doubles with each further failure
 * ({@link #FIRST_DELAY} up to {@link #MAX_DELAY}), and during it its passwords are not even checked (429 with
 * Retry-After). So a guesser is held to a few tries an hour, while
 * <ul>
 * <li>the same user from another address is not affected (the owner logs in from their own machine), and</li>
 * <li>a credential that has already succeeded for this user from this address (a Basic-auth script, the owner's
 * browser behind the same NAT) passes even during the delay: presenting it proves the password, so it reveals
 * nothing to a guesser. Only the SHA-256 digests of such credentials are kept, in memory.</li>
 * </ul>
 * A success does not reset the count: a script that succeeds every few seconds from the guesser's address would
 * otherwise give the guesser a fresh set of free tries each time. The owner loses nothing by it, since a password that
 * has worked from here passes anyway. Pairs are forgotten a day after their last failure.
 */
final class LoginThrottle {

    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofMinutes(15);
    static final Duration FORGET_AFTER = Duration.ofHours(24);
    /** Bounds the memory a flood of made-up names from many addresses can take. */
    static final int MAX_PAIRS = 10_000;
    private static final int KNOWN_GOOD_PER_PAIR = 4;

    private final Clock clock;
    private volatile int freeFailures;
    private final Map<String, Pair> pairs = new ConcurrentHashMap<>();

    /** One user name from one address. Guarded by itself. */
    private static final class Pair {
        int failures;
        Instant lastFailure;
        Instant lastUsed;
        final Set<String> knownGood = new LinkedHashSet<>();

        Pair(Instant now) {
            lastUsed = now;
        }
    }

    LoginThrottle(Clock clock, int freeFailures) {
        this.clock = clock;
        this.freeFailures = freeFailures;
    }

    void configure(int freeFailures) {
        this.freeFailures = Math.max(1, freeFailures);
    }

    /**
     * Seconds {@code user} from {@code address} must wait before its password is checked again, or 0. A credential
     * ({@code digest} of "name:password") that has succeeded for this pair before never waits.
     */
    long retryAfterSeconds(String user, String address, String digest) {
        Pair pair = pairs.get(key(user, address));
        if (pair == null) {
            return 0;
        }
        synchronized (pair) {
            if (digest != null && pair.knownGood.contains(digest)) {
                return 0;
            }
            if (pair.lastFailure != null && !clock.instant().isBefore(pair.lastFailure.plus(FORGET_AFTER))) {
                pair.failures = 0; // a day without failures: the typos of last week no longer count
            }
            Duration delay = delay(pair.failures);
            if (pair.lastFailure == null || delay.isZero()) {
                return 0;
            }
            long millis = Duration.between(clock.instant(), pair.lastFailure.plus(delay)).toMillis();
            return millis <= 0 ? 0 : (millis + 999) / 1000;
        }
    }

    /** The wait after {@code failures} failed checks: none for the first few, then doubling up to the maximum. */
    Duration delay(int failures) {
        int over = failures - freeFailures;
        if (over < 0) {
            return Duration.ZERO;
        }
        long seconds = over >= 20 ? Long.MAX_VALUE : FIRST_DELAY.toSeconds() << over;
        return seconds >= MAX_DELAY.toSeconds() ? MAX_DELAY : Duration.ofSeconds(seconds);
    }

    void failed(String user, String address) {
        Instant now = clock.instant();
        Pair pair = pair(user, address, now);
        synchronized (pair) {
            pair.failures++;
            pair.lastFailure = now;
            pair.lastUsed = now;
        }
    }

    void succeeded(String user, String address, String digest) {
        Instant now = clock.instant();
        Pair pair = pair(user, address, now);
        synchronized (pair) {
            pair.lastUsed = now;
            if (digest != null && pair.knownGood.add(digest) && pair.knownGood.size() > KNOWN_GOOD_PER_PAIR) {
                pair.knownGood.remove(pair.knownGood.iterator().next());
            }
        }
    }

    int size() {
        return pairs.size();
    }

    private Pair pair(String user, String address, Instant now) {
        if (pairs.size() >= MAX_PAIRS) {
            pairs.values().removeIf(p -> {
                synchronized (p) {
                    return !now.isBefore(p.lastUsed.plus(FORGET_AFTER));
                }
            });
            if (pairs.size() >= MAX_PAIRS) {
                // still full: drop the pairs that hold nobody back, then (a flood) the least recently used
                pairs.values().removeIf(p -> {
                    synchronized (p) {
                        return p.failures < freeFailures;
                    }
                });
            }
            if (pairs.size() >= MAX_PAIRS) {
                pairs.entrySet().stream().min((a, b) -> a.getValue().lastUsed.compareTo(b.getValue().lastUsed))
                        .ifPresent(oldest -> pairs.remove(oldest.getKey()));
            }
        }
        return pairs.computeIfAbsent(key(user, address), k -> new Pair(now));
    }

    private static String key(String user, String address) {
        return (user == null ? "" : user.trim().toLowerCase(Locale.ROOT)) + '\u0000' + address;
    }

    ApiException tooMany(long seconds) {
        return new ApiException(429, "too-many-requests", "Too many failed logins",
                "too many failed logins for this user from this address; try again in " + seconds
                        + " s (another address is not affected)", null)
                .header("Retry-After", Long.toString(seconds));
    }
}
