package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import gateway.core.api.UserStore.Role;
import gateway.core.api.UserStore.User;

/** First-run setup, login sessions with CSRF, throttling, tokens and user administration. */
class AccountsApiTest extends ApiTestBase {

    /** A request with a session cookie (and optionally the CSRF header), no Basic credentials. */
    Response withSession(String method, String path, String cookie, String csrf, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Cookie", "other=1; " + cookie);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        return execute(b.build());
    }

    Response login(String user, String password) throws Exception {
        return send("POST", "/api/login", null, "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
    }

    static String cookieOf(Response r) {
        String setCookie = r.header("Set-Cookie");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    void restartWith(FakeCore.Users fresh) throws Exception {
        server.close();
        users = fresh;
        security = new SecurityFilter(users, Clock.fixed(NOW, ZoneOffset.UTC));
        servlet = new ApiServlet(manager, registry, users, security, "1.2.3.test", Clock.fixed(NOW, ZoneOffset.UTC));
        server = new JettyServer(security, servlet);
    }

    @Test
    void firstRunSetupCreatesTheAdminOnceWithoutAuthentication() throws Exception {
        restartWith(FakeCore.Users.empty());
        assertTrue(get("/api/setup", null).json().get("needed").asBoolean());
        Response shortPw = send("POST", "/api/setup", null, "{\"username\":\"root\",\"password\":\"short\"}");
        assertEquals(422, shortPw.status(), shortPw.body());
        Response created = send("POST", "/api/setup", null, "{\"username\":\"root\",\"password\":\"long enough\"}");
        assertEquals(201, created.status(), created.body());
        assertEquals("root", created.json().get("name").asText());
        assertEquals("admin", created.json().get("role").asText());
        assertFalse(created.body().contains("long enough"));
        assertFalse(get("/api/setup", null).json().get("needed").asBoolean());
        Response again = send("POST", "/api/setup", null, "{\"username\":\"eve\",\"password\":\"another one\"}");
        assertEquals(409, again.status());
        assertEquals(Role.ADMIN, users.roles.get("root"));
        assertNull(users.roles.get("eve"));
    }

    @Test
    void loginSetsAStrictHttpOnlyCookieAndMeReturnsTheCsrfToken() throws Exception {
        Response r = login("ada", "pw-ada");
        assertEquals(200, r.status(), r.body());
        String setCookie = r.header("Set-Cookie");
        assertTrue(setCookie.startsWith("gw_session="), setCookie);
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict")
                && setCookie.contains("Path=/"), setCookie);
        assertFalse(setCookie.contains("Secure"), "plain HTTP: a Secure cookie would never come back");
        String csrf = r.json().get("csrf_token").asText();
        assertEquals("admin", r.json().get("role").asText());
        Response me = withSession("GET", "/api/me", cookieOf(r), null, null);
        assertEquals(200, me.status(), me.body());
        assertEquals("ada", me.json().get("name").asText());
        assertEquals(csrf, me.json().get("csrf_token").asText());
        assertFalse(me.body().contains(cookieOf(r).substring("gw_session=".length())), "session id never in a body");
    }

    @Test
    void wrongPasswordIs401AndSetsNoCookie() throws Exception {
        Response r = login("ada", "wrong");
        assertEquals(401, r.status());
        assertNull(r.header("Set-Cookie"));
        assertEquals(401, login("nobody", "whatever").status());
    }

    @Test
    void stateChangingSessionRequestNeedsTheCsrfToken() throws Exception {
        Response r = login("ada", "pw-ada");
        String cookie = cookieOf(r);
        String csrf = r.json().get("csrf_token").asText();
        Response without = withSession("PUT", "/api/settings", cookie, null, "{\"write_enabled\":true}");
        assertEquals(403, without.status());
        assertTrue(without.json().get("type").asText().endsWith(":csrf"), without.body());
        assertEquals(403, withSession("PUT", "/api/settings", cookie, "forged", "{\"write_enabled\":true}").status());
        assertFalse(manager.writeEnabled());
        Response with = withSession("PUT", "/api/settings", cookie, csrf, "{\"write_enabled\":true}");
        assertEquals(200, with.status(), with.body());
        assertTrue(manager.writeEnabled());
        // reads need no token
        assertEquals(200, withSession("GET", "/api/settings", cookie, null, null).status());
        // Basic needs none either
        assertEquals(200, send("PUT", "/api/settings", "ada", "{\"write_enabled\":false}").status());
    }

    @Test
    void logoutEndsTheSession() throws Exception {
        Response r = login("alice", "pw-alice");
        String cookie = cookieOf(r);
        String csrf = r.json().get("csrf_token").asText();
        Response out = withSession("POST", "/api/logout", cookie, csrf, null);
        assertEquals(204, out.status());
        assertTrue(out.header("Set-Cookie").contains("Max-Age=0"));
        assertEquals(401, withSession("GET", "/api/me", cookie, null, null).status());
    }

    @Test
    void afterFiveFailuresTheUserWaitsFromThatAddressWithRetryAfter() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(401, login("ada", "guess-" + i).status());
        }
        Response blocked = login("ada", "pw-ada");
        assertEquals(429, blocked.status(), "a password never proved from here waits: " + blocked.body());
        assertEquals("1", blocked.header("Retry-After"), "the first delay is a second, doubling from there");
        // Basic guessing is held by the same pair
        assertEquals(429, get("/api/heatpumps", "ada").status());
        assertEquals(200, get("/api/heatpumps", "alice").status(), "another user from this address is not held");
    }

    @Test
    void theOwnerLogsInFromAnotherAddressDuringTheAttack() throws Exception {
        for (int i = 0; i < 12; i++) {
            login("ada", "guess-" + i);
        }
        assertEquals(429, login("ada", "pw-ada").status());
        String fromElsewhere = RawHttp.exchange("127.0.0.2", server.uri("/api/login"), "POST",
                "{\"username\":\"ada\",\"password\":\"pw-ada\"}");
        assertTrue(fromElsewhere.startsWith("HTTP/1.1 200"), fromElsewhere);
        assertTrue(fromElsewhere.contains("gw_session="), fromElsewhere);
    }

    @Test
    void aScriptWhosePasswordWorkedBeforeIsNotKeptOutByGuessesFromItsAddress() throws Exception {
        assertEquals(200, get("/api/heatpumps", "ada").status(), "the script's first call proves its password");
        for (int i = 0; i < 12; i++) {
            assertTrue(login("ada", "guess-" + i).status() >= 401);
        }
        assertEquals(429, login("ada", "guess-more").status(), "the guesser is held");
        security.authentication().forgetVerifiedCredentials(); // not merely the 60 s cache: the throttle lets it by
        assertEquals(200, get("/api/heatpumps", "ada").status(), "the script goes on");
        assertEquals(200, login("ada", "pw-ada").status(), "and the same password logs the owner in here");
        assertEquals(429, login("ada", "guess-again").status(), "its success did not reopen guessing");
    }

    @Test
    void basicFailuresCountTowardsTheLoginLimit() throws Exception {
        for (int i = 0; i < 5; i++) {
            HttpRequest req = HttpRequest.newBuilder(server.uri("/api/status"))
                    .header("Authorization", basic("ada", "nope" + i)).build();
            assertEquals(401, execute(req).status());
        }
        assertEquals(429, login("ada", "pw-ada").status());
    }

    @Test
    void fetchFromABrowserGetsNoBasicChallenge() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(server.uri("/api/me")).header("Sec-Fetch-Mode", "cors").build();
        Response r = execute(req);
        assertEquals(401, r.status());
        assertNull(r.header("WWW-Authenticate"), "a challenge would pop up the browser's password dialog");
        assertNotNull(get("/api/me", null).header("WWW-Authenticate"));
    }

    @Test
    void tokenIsShownOnceActsWithItsOwnersRoleAndCanBeRevoked() throws Exception {
        Response created = send("POST", "/api/tokens", "oscar", "{\"name\":\"backup script\"}");
        assertEquals(201, created.status(), created.body());
        String token = created.json().get("token").asText();
        String id = created.json().get("id").asText();
        Response list = get("/api/tokens", "oscar");
        assertEquals(1, list.json().size());
        assertFalse(list.body().contains(token), "token values are never listed");
        assertEquals("backup script", list.json().get(0).get("name").asText());

        HttpRequest me = HttpRequest.newBuilder(server.uri("/api/me")).header("Authorization", "Bearer " + token)
                .build();
        Response whoami = execute(me);
        assertEquals("oscar", whoami.json().get("name").asText());
        assertEquals("operator", whoami.json().get("role").asText());
        assertNull(whoami.json().get("csrf_token"));
        // a bearer write needs no CSRF token; operator may not administrate
        HttpRequest settings = HttpRequest.newBuilder(server.uri("/api/settings"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"write_enabled\":true}")).build();
        assertEquals(403, execute(settings).status());

        assertEquals(404, send("DELETE", "/api/tokens/" + id, "alice", null).status(), "not alice's token");
        assertEquals(204, send("DELETE", "/api/tokens/" + id, "oscar", null).status());
        assertEquals(401, execute(me).status());
    }

    @Test
    void adminManagesUsersButNotTheLastAdmin() throws Exception {
        Response created = send("POST", "/api/users", "ada", "{\"name\":\"vic\",\"password\":\"vic-password\","
                + "\"role\":\"viewer\"}");
        assertEquals(201, created.status(), created.body());
        assertFalse(created.body().contains("vic-password"));
        assertEquals(409, send("POST", "/api/users", "ada", "{\"name\":\"vic\",\"password\":\"vic-password\","
                + "\"role\":\"viewer\"}").status());
        assertEquals(422, send("POST", "/api/users", "ada", "{\"name\":\"bob\",\"password\":\"short\","
                + "\"role\":\"viewer\"}").status());
        assertEquals(422, send("POST", "/api/users", "ada", "{\"name\":\"bob\",\"password\":\"long enough\","
                + "\"role\":\"root\"}").status());
        Response list = get("/api/users", "ada");
        assertEquals(200, list.status());
        assertFalse(list.body().contains("pw-"), "no password or hash in the list: " + list.body());

        Response promoted = send("PUT", "/api/users/vic", "ada", "{\"role\":\"operator\"}");
        assertEquals("operator", promoted.json().get("role").asText());
        assertEquals(404, send("PUT", "/api/users/nobody", "ada", "{\"role\":\"operator\"}").status());
        assertEquals(409, send("PUT", "/api/users/ada", "ada", "{\"role\":\"viewer\"}").status(), "last admin");
        assertEquals(409, send("DELETE", "/api/users/ada", "ada", null).status(), "last admin");
        assertEquals(204, send("DELETE", "/api/users/vic", "ada", null).status());
        assertEquals(404, send("DELETE", "/api/users/vic", "ada", null).status());
        assertEquals(403, get("/api/users", "oscar").status());
        assertEquals(403, send("POST", "/api/users", "oscar", "{\"name\":\"x\",\"password\":\"xxxxxxxx\","
                + "\"role\":\"admin\"}").status());
    }

    @Test
    void roleChangeEndsTheUsersBrowserSessions() throws Exception {
        Response r = login("oscar", "pw-oscar");
        String cookie = cookieOf(r);
        assertEquals(200, send("PUT", "/api/users/oscar", "ada", "{\"role\":\"viewer\"}").status());
        assertEquals(401, withSession("GET", "/api/me", cookie, null, null).status());
    }

    @Test
    void everyEndpointButThePublicOnesNeedsAuthentication() throws Exception {
        for (Route route : servlet.routes()) {
            String path = route.path().replaceAll("\\{[^}]+}", "x");
            Response r = send(route.method(), path, null, null);
            if (route.isPublic()) {
                assertTrue(r.status() != 401, route.method() + " " + path);
            } else {
                assertEquals(401, r.status(), route.method() + " " + path);
            }
        }
    }

    @Test
    void sessionsExpireWhenIdleAndAfterTheirLifetime() {
        MutableClock clock = new MutableClock();
        SessionStore store = new SessionStore(clock, Duration.ofMinutes(30), Duration.ofHours(12));
        SessionStore.Session s = store.create(new User("ada", Role.ADMIN));
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertTrue(store.find(s.id).isPresent());
        clock.now = clock.now.plus(Duration.ofMinutes(31));
        assertTrue(store.find(s.id).isEmpty(), "idle for 31 minutes");

        SessionStore.Session busy = store.create(new User("ada", Role.ADMIN));
        for (int i = 0; i < 12 * 3; i++) {
            clock.now = clock.now.plus(Duration.ofMinutes(20));
            store.find(busy.id);
        }
        assertTrue(store.find(busy.id).isEmpty(), "12 h absolute lifetime, however active");
    }

    static final class MutableClock extends Clock {
        Instant now = NOW;

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
}
