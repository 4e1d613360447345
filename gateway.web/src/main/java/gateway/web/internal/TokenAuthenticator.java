package gateway.web.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import gateway.core.api.UserStore;
import gateway.core.api.UserStore.User;

/**
 * Bearer tokens against the {@link UserStore}, through the shared {@link VerifiedCredentials} cache: the store looks
 * the token up and writes its last-used time on every check. Revoking a token, and changing or deleting its owner,
 * through the API clears the cache ({@link #forget()}); a change made behind the API's back is seen within
 * {@link #CACHE_TTL}.
 */
final class TokenAuthenticator {

    static final Duration CACHE_TTL = Duration.ofSeconds(10);

    private final UserStore users;
    private final VerifiedCredentials verified;

    TokenAuthenticator(UserStore users, Clock clock) {
        this(users, new VerifiedCredentials(clock));
    }

    TokenAuthenticator(UserStore users, VerifiedCredentials verified) {
        this.users = users;
        this.verified = verified;
    }

    Optional<User> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        return verified.verify(VerifiedCredentials.Kind.TOKEN, VerifiedCredentials.sha256(token), CACHE_TTL,
                () -> users.authenticateToken(token));
    }

    /** Drops every cached credential: one token was revoked, or an owner changed role or was deleted. */
    void forget() {
        verified.forget();
    }
}
