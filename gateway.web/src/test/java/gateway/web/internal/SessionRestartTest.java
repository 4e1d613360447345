package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.api.UserStore.Role;
import gateway.core.store.internal.Database;
import gateway.core.store.internal.H2UserStore;

/**
 * A console session survives a restart of the gateway: the API on a real Jetty with the real H2 user store, the
 * database closed and opened again, the API started anew, and the browser's cookie still works; only a hash of it is
 * on disk, and logout or an expiry during the downtime still ends it.
 */
class SessionRestartTest {

    @TempDir
    Path dir;

    final HttpClient client = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    final LoginThrottleTest.MovableClock clock = new LoginThrottleTest.MovableClock();

    /** One run of the gateway's web side on the H2 file in {@link #dir}. */
    final class Gateway implements AutoCloseable {
        final Database db = Database.open(dir);
        final H2UserStore users = new H2UserStore(db, bundleContext());
        final JettyServer server;

        Gateway() throws Exception {
            SecurityFilter security = new SecurityFilter(users, clock);
            FakeCore.Registry registry = new FakeCore.Registry();
            ApiServlet servlet = new ApiServlet(new FakeCore.Manager(registry), registry, users, security,
                    "1.2.3.test", clock);
            server = new JettyServer(security, servlet);
        }

        HttpResponse<String> send(String method, String path, String cookie, String csrf, String body)
                throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).method(method,
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (cookie != null) {
                b.header("Cookie", cookie);
            }
            if (csrf != null) {
                b.header(SecurityFilter.CSRF_HEADER, csrf);
            }
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() throws Exception {
            server.close();
            db.close();
        }
    }

    static BundleContext bundleContext() {
        return (BundleContext) Proxy.newProxyInstance(SessionRestartTest.class.getClassLoader(),
                new Class<?>[] { BundleContext.class }, (proxy, method, args) -> null);
    }

    record Login(String cookie, String csrf) {
    }

    Login login(Gateway g) throws Exception {
        HttpResponse<String> r = g.send("POST", "/api/login", null, null,
                "{\"username\":\"ada\",\"password\":\"correct horse battery\"}");
        assertEquals(200, r.statusCode(), r.body());
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return new Login(setCookie.substring(0, setCookie.indexOf(';')), json.readTree(r.body()).get("csrf_token")
                .asText());
    }

    @Test
    void aLoggedInBrowserStaysLoggedInAcrossARestart() throws Exception {
        Login login;
        try (Gateway g = new Gateway()) {
            g.users.create("ada", "correct horse battery".toCharArray(), Role.ADMIN);
            login = login(g);
            assertEquals(200, g.send("GET", "/api/me", login.cookie(), null, null).statusCode());
        }
        clock.advance(Duration.ofMinutes(5));
        try (Gateway g = new Gateway()) {
            HttpResponse<String> me = g.send("GET", "/api/me", login.cookie(), null, null);
            assertEquals(200, me.statusCode(), me.body());
            JsonNode body = json.readTree(me.body());
            assertEquals("ada", body.get("name").asText());
            assertEquals("admin", body.get("role").asText());
            assertEquals(login.csrf(), body.get("csrf_token").asText(), "the console's CSRF token still matches");
            assertEquals(200, g.send("PUT", "/api/settings", login.cookie(), login.csrf(),
                    "{\"write_enabled\":false}").statusCode(), "state-changing requests work with the old token");

            String cookieValue = login.cookie().substring((SessionStore.COOKIE + "=").length());
            List<String> stored = g.db.query("SELECT id_hash FROM console_sessions", rs -> rs.getString(1));
            assertEquals(List.of(VerifiedCredentials.sha256(cookieValue)), stored, "only the hash is on disk");
            assertFalse(stored.contains(cookieValue));

            assertEquals(204, g.send("POST", "/api/logout", login.cookie(), login.csrf(), null).statusCode());
            assertTrue(g.db.query("SELECT id_hash FROM console_sessions", rs -> rs.getString(1)).isEmpty());
        }
        try (Gateway g = new Gateway()) {
            assertEquals(401, g.send("GET", "/api/me", login.cookie(), null, null).statusCode(),
                    "logged out stays logged out after a restart");
        }
    }

    @Test
    void aSessionThatExpiredDuringTheDowntimeIsGone() throws Exception {
        Login login;
        try (Gateway g = new Gateway()) {
            g.users.create("ada", "correct horse battery".toCharArray(), Role.ADMIN);
            login = login(g);
        }
        clock.advance(Duration.ofMinutes(31)); // the idle timeout is 30 minutes
        try (Gateway g = new Gateway()) {
            assertEquals(401, g.send("GET", "/api/me", login.cookie(), null, null).statusCode());
            assertTrue(g.db.query("SELECT id_hash FROM console_sessions", rs -> rs.getString(1)).isEmpty(),
                    "expired sessions are removed at start");
        }
    }

    @Test
    void aDeletedUsersSessionsGoWithTheUser() throws Exception {
        Login login;
        try (Gateway g = new Gateway()) {
            g.users.create("ada", "correct horse battery".toCharArray(), Role.ADMIN);
            g.users.create("bob", "another long password".toCharArray(), Role.ADMIN);
            login = login(g);
            g.users.delete("ada");
        }
        try (Gateway g = new Gateway()) {
            assertEquals(401, g.send("GET", "/api/me", login.cookie(), null, null).statusCode());
        }
    }
}
