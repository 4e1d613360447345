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
import java.util.function.Supplier;

import gateway.core.api.UserStore.User;

/**
 * The one cache of verified credentials, shared by Basic ({@link BasicAuthenticator}) and bearer tokens
 * ({@link TokenAuthenticator}): a password check costs a PBKDF2 hash (~100 ms by design), a token check a database read
 * and a last-used write, and a polling script would pay either on every request. Only successful checks are cached,
 * so guessing always reaches the store (and its cost). Keys are SHA-256 digests, never the secret itself.
 * {@link #forget()} drops everything: the API calls it when a token is revoked or a user changes or is deleted.
 */
final class VerifiedCredentials {

    /** What a cached secret was; the kind is part of the key, so a token can never hit a Basic entry. */
    enum Kind {
        BASIC, TOKEN
    }

    static final int LIMIT = 1024;

    private final Clock clock;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(User user, Instant until) {
    }

    VerifiedCredentials(Clock clock) {
        this.clock = clock;
    }

    /**
     * The user for a secret whose digest is {@code digest}: from the cache while its entry lives, else from
     * {@code check}, whose success is remembered for {@code ttl} and whose failure evicts the entry.
     */
    Optional<User> verify(Kind kind, String digest, Duration ttl, Supplier<Optional<User>> check) {
        String key = kind.name() + ':' + digest;
        Instant now = clock.instant();
        Verified hit = verified.get(key);
        if (hit != null && hit.until().isAfter(now)) {
            return Optional.of(hit.user());
        }
        Optional<User> user = check.get();
        if (user.isPresent()) {
            if (verified.size() >= LIMIT) {
                verified.entrySet().removeIf(e -> !e.getValue().until().isAfter(now));
                if (verified.size() >= LIMIT) {
                    verified.clear();
                }
            }
            verified.put(key, new Verified(user.get(), now.plus(ttl)));
        } else {
            verified.remove(key);
        }
        return user;
    }

    /** Drops every cached credential, Basic and token alike. */
    void forget() {
        verified.clear();
    }

    int size() {
        return verified.size();
    }

    static String sha256(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Digest of characters without turning them into a String (a password must stay in wipeable arrays). */
    static String sha256(char[] chars) {
        MessageDigest sha = sha256();
        for (char c : chars) {
            sha.update((byte) (c >> 8));
            sha.update((byte) c);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
