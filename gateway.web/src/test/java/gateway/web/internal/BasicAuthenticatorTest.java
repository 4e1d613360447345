package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import gateway.core.api.UserStore;

class BasicAuthenticatorTest {

    /** A user store that counts the (expensive) password checks. */
    static final class CountingUsers implements UserStore {
        final AtomicInteger checks = new AtomicInteger();

        @Override
        public Optional<User> authenticate(String name, char[] password) {
            checks.incrementAndGet();
            return name.equals("ann") && new String(password).equals("right-password")
                    ? Optional.of(new User("ann", Role.OPERATOR)) : Optional.empty();
        }

        @Override
        public User create(String name, char[] password, Role role) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean hasUsers() {
            return true;
        }

        @Override
        public List<User> users() {
            return List.of();
        }
    }

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aVerifiedCredentialIsNotRehashedWithinItsLifetime() {
        CountingUsers users = new CountingUsers();
        MutableClock clock = new MutableClock();
        BasicAuthenticator auth = new BasicAuthenticator(users, clock);

        for (int i = 0; i < 5; i++) {
            assertEquals("ann", auth.authenticate(basic("ann", "right-password")).orElseThrow().name());
        }
        assertEquals(1, users.checks.get(), "one slow hash for five requests");

        clock.now = clock.now.plus(BasicAuthenticator.CACHE_TTL).plusSeconds(1);
        assertTrue(auth.authenticate(basic("ann", "right-password")).isPresent());
        assertEquals(2, users.checks.get(), "checked again once the lifetime is over");
    }

    @Test
    void wrongPasswordsAreNeverCachedSoGuessingStaysSlow() {
        CountingUsers users = new CountingUsers();
        BasicAuthenticator auth = new BasicAuthenticator(users, new MutableClock());
        assertTrue(auth.authenticate(basic("ann", "right-password")).isPresent());
        for (int i = 0; i < 3; i++) {
            assertTrue(auth.authenticate(basic("ann", "wrong-password")).isEmpty());
        }
        assertEquals(4, users.checks.get(), "every wrong guess pays the full check");
        assertTrue(auth.authenticate(basic("ann", "right-passwordX")).isEmpty(), "a longer password is another key");
    }
}
