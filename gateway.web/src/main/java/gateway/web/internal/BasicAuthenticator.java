package gateway.web.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import gateway.core.api.UserStore;
import gateway.core.api.UserStore.User;

/**
 * HTTP Basic (RFC 7617, UTF-8) against the {@link UserStore}. The password exists only in arrays that are wiped after
 * the check, and neither it nor the header is ever logged.
 */
final class BasicAuthenticator {

    static final String REALM = "heatpump-gateway";
    static final String CHALLENGE = "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"";

    /** How long a verified credential is trusted without re-hashing: the PBKDF2 check costs ~100 ms by design. */
    static final Duration CACHE_TTL = Duration.ofSeconds(60);

    private final UserStore users;
    /** Keyed by the digest of "name:password"; shared with the token check. */
    private final VerifiedCredentials verified;

    BasicAuthenticator(UserStore users, Clock clock) {
        this(users, new VerifiedCredentials(clock));
    }

    BasicAuthenticator(UserStore users, VerifiedCredentials verified) {
        this.users = users;
        this.verified = verified;
    }

    /** The user the Authorization header proves, or empty for a missing, malformed or wrong credential. */
    Optional<User> authenticate(String authorization) {
        return authenticate(authorization, null, null);
    }

    /**
     * As {@link #authenticate(String)}, held back by {@code throttle} for the header's user name from
     * {@code address}: a held pair gets the 429 before its password is checked; failures and successes are counted.
     */
    Optional<User> authenticate(String authorization, LoginThrottle throttle, String address) {
        if (authorization == null) {
            return Optional.empty();
        }
        String header = authorization.trim();
        if (header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        char[] chars = null;
        char[] password = null;
        try {
            chars = decodeUtf8(decoded);
            int colon = indexOf(chars, ':');
            if (colon <= 0) {
                if (throttle != null) {
                    throttle.failed("", address);
                }
                return Optional.empty();
            }
            String name = new String(chars, 0, colon);
            password = Arrays.copyOfRange(chars, colon + 1, chars.length);
            char[] secret = password;
            String digest = VerifiedCredentials.sha256(chars);
            if (throttle != null) {
                long wait = throttle.retryAfterSeconds(name, address, digest);
                if (wait > 0) {
                    throw throttle.tooMany(wait);
                }
            }
            Optional<User> user = verified.verify(VerifiedCredentials.Kind.BASIC, digest, CACHE_TTL,
                    () -> users.authenticate(name, secret));
            if (throttle != null) {
                if (user.isPresent()) {
                    throttle.succeeded(name, address, digest);
                } else {
                    throttle.failed(name, address);
                }
            }
            return user;
        } catch (CharacterCodingException e) {
            return Optional.empty();
        } finally {
            Arrays.fill(decoded, (byte) 0);
            if (chars != null) {
                Arrays.fill(chars, '\0');
            }
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** Drops every cached credential: a user's password or role changed, or the user was deleted. */
    void forget() {
        verified.forget();
    }

    private static char[] decodeUtf8(byte[] bytes) throws CharacterCodingException {
        CharBuffer buffer = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes));
        char[] chars = new char[buffer.remaining()];
        buffer.get(chars);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), '\0');
        }
        return chars;
    }

    private static int indexOf(char[] chars, char c) {
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
