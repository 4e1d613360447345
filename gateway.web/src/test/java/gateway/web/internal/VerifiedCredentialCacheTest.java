package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.UserStore;
import gateway.core.api.UserStore.User;

/**
 * Verified credentials are cached so scripts are not throttled by the store (a token check is a database read and a
 * last-used write), yet a revoked token or a deleted user stops working at once.
 */
class VerifiedCredentialCacheTest extends ApiTestBase {

    /** Counts the token checks that reach the store. */
    static final class CountingUsers implements UserStore {
        final FakeCore.Users delegate = new FakeCore.Users();
        final AtomicInteger tokenChecks = new AtomicInteger();

        @Override
        public Optional<User> authenticateToken(String token) {
            tokenChecks.incrementAndGet();
            return delegate.authenticateToken(token);
        }

        @Override
        public IssuedToken createToken(String owner, String name) {
            return delegate.createToken(owner, name);
        }

        @Override
        public Optional<User> authenticate(String name, char[] password) {
            return delegate.authenticate(name, password);
        }

        @Override
        public User create(String name, char[] password, Role role) throws InvalidConfigurationException {
            return delegate.create(name, password, role);
        }

        @Override
        public boolean hasUsers() {
            return delegate.hasUsers();
        }

        @Override
        public List<User> users() {
            return delegate.users();
        }
    }

    @Test
    void aValidTokenReachesTheStoreOncePerLifetimeAWrongOneEveryTime() {
        CountingUsers store = new CountingUsers();
        String token = store.createToken("oscar", "script").token();
        BasicAuthenticatorTest.MutableClock clock = new BasicAuthenticatorTest.MutableClock();
        TokenAuthenticator tokens = new TokenAuthenticator(store, clock);

        for (int i = 0; i < 5; i++) {
            assertEquals("oscar", tokens.authenticate(token).orElseThrow().name());
        }
        assertEquals(1, store.tokenChecks.get(), "one store lookup for five requests");
        for (int i = 0; i < 3; i++) {
            assertTrue(tokens.authenticate("gwt_guess_" + i).isEmpty());
        }
        assertEquals(4, store.tokenChecks.get(), "wrong tokens are never cached");

        clock.now = clock.now.plus(TokenAuthenticator.CACHE_TTL).plusSeconds(1);
        assertTrue(tokens.authenticate(token).isPresent());
        assertEquals(5, store.tokenChecks.get(), "checked again once the lifetime is over");

        tokens.forget();
        assertTrue(tokens.authenticate(token).isPresent());
        assertEquals(6, store.tokenChecks.get(), "forget() empties the cache");
    }

    @Test
    void deletingAUserEndsItsBasicAndTokenAccessAtOnce() throws Exception {
        assertEquals(201, send("POST", "/api/users", "ada",
                "{\"name\":\"vic\",\"password\":\"pw-vic-long\",\"role\":\"viewer\"}").status());
        HttpRequest.Builder basicMe = HttpRequest.newBuilder(server.uri("/api/me"))
                .header("Authorization", basic("vic", "pw-vic-long"));
        assertEquals(200, execute(basicMe.build()).status());
        String token = users.createToken("vic", "script").token();
        HttpRequest bearerMe = HttpRequest.newBuilder(server.uri("/api/me"))
                .header("Authorization", "Bearer " + token).build();
        assertEquals(200, execute(bearerMe).status(), "now cached");

        assertEquals(204, send("DELETE", "/api/users/vic", "ada", null).status());
        assertEquals(401, execute(basicMe.build()).status(), "a deleted user's cached password no longer works");
        assertEquals(401, execute(bearerMe).status(), "nor its cached token");
        assertFalse(users.roles.containsKey("vic"));
    }
}
