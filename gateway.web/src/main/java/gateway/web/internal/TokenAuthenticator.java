package gateway.web.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import gateway.core.api.UserStore;
import gateway.core.api.UserStore.User;

/**
 * Bearer tokens against the {@link UserStore}, with a short cache of verified tokens: the store looks the token up and
 * writes its last-used time on every check, a database round trip a polling script would pay on each request.
 * Revoking a token, and changing or deleting its owner, through the API clears the cache ({@link #forget()}); a
 * change made behind the API's back is seen within {@link #CACHE_TTL}.
 */
final class TokenAuthenticator {

    static final Duration CACHE_TTL = Duration.ofSeconds(10);
    private static final int CACHE_LIMIT = 1024;

    private final UserStore users;
    private final Clock clock;
    /** SHA-256 of the token → owner and expiry; only valid tokens are cached, so guessing always reaches the store. */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(User user, Instant until) {
    }

    TokenAuthenticator(UserStore users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    Optional<User> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        String key = digest(token);
        Instant now = clock.instant();
        Verified hit = verified.get(key);
        if (hit != null && hit.until().isAfter(now)) {
            return Optional.of(hit.user());
        }
        Optional<User> user = users.authenticateToken(token);
        if (user.isPresent()) {
            if (verified.size() >= CACHE_LIMIT) {
                verified.entrySet().removeIf(e -> !e.getValue().until().isAfter(now));
                if (verified.size() >= CACHE_LIMIT) {
                    verified.clear();
                }
            }
            verified.put(key, new Verified(user.get(), now.plus(CACHE_TTL)));
        } else {
            verified.remove(key);
        }
        return user;
    }

    /** Drops every cached token: one was revoked, or an owner changed role or was deleted. */
    void forget() {
        verified.clear();
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
