package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import gateway.core.api.UserStore.TokenInfo;

/** {@code PUT /api/users/me/password} and tokens with an expiry (issue 16). */
class PasswordChangeApiTest extends ApiTestBase {

    static final String PATH = "/api/users/me/password";

    static String change(String current, String next) {
        return "{\"current_password\":\"" + current + "\",\"new_password\":\"" + next + "\"}";
    }

    record Login(String cookie, String csrf) {
    }

    Login login(String user, String password) throws Exception {
        Response r = send("POST", "/api/login", null,
                "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
        assertEquals(200, r.status(), r.body());
        String setCookie = r.header("Set-Cookie");
        return new Login(setCookie.substring(0, setCookie.indexOf(';')), r.json().get("csrf_token").asText());
    }

    Response withSession(String method, String path, Login login, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Cookie", login.cookie()).header("X-CSRF-Token", login.csrf());
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return execute(b.build());
    }

    Response withBasic(String method, String path, String user, String password, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Authorization", basic(user, password));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return execute(b.build());
    }

    Response withBearer(String path, String token) throws Exception {
        return execute(HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + token).build());
    }

    @Test
    void ownPasswordChangeAnswers204EndsTheOtherSessionsAndKeepsThisOneAndTheTokens() throws Exception {
        Login here = login("alice", "pw-alice");
        Login elsewhere = login("alice", "pw-alice");
        String token = send("POST", "/api/tokens", "alice", "{\"name\":\"script\"}").json().get("token").asText();
        assertEquals(200, withBasic("GET", "/api/me", "alice", "pw-alice", null).status(), "Basic cached");

        Response r = withSession("PUT", PATH, here, change("pw-alice", "a new secret"));

        assertEquals(204, r.status(), r.body());
        assertEquals("a new secret", users.passwords.get("alice"), "stored before the answer");
        assertEquals(401, withBasic("GET", "/api/me", "alice", "pw-alice", null).status(), "old password refused");
        assertEquals(200, withBasic("GET", "/api/me", "alice", "a new secret", null).status());
        assertEquals(200, withSession("GET", "/api/me", here, null).status(), "the changing browser stays in");
        assertEquals(401, withSession("GET", "/api/me", elsewhere, null).status(), "another browser is out");
        assertEquals(200, withBearer("/api/me", token).status(), "tokens are revoked one by one, not here");
    }

    @Test
    void aViewerMayChangeTheirOwnPasswordByBasicAuth() throws Exception {
        Response r = withBasic("PUT", PATH, "colin", "pw:colin", change("pw:colin", "colins new pw"));
        assertEquals(204, r.status(), r.body());
        assertEquals("colins new pw", users.passwords.get("colin"));
        assertEquals("pw-alice", users.passwords.get("alice"), "nobody else's");
    }

    @Test
    void wrongCurrentPasswordIs422NamingTheFieldAndChangesNothing() throws Exception {
        Response r = send("PUT", PATH, "alice", change("not-my-password", "a new secret"));
        assertEquals(422, r.status(), r.body());
        assertEquals("current_password", r.json().get("field").asText());
        assertEquals("pw-alice", users.passwords.get("alice"));
        Response missing = send("PUT", PATH, "alice", "{\"new_password\":\"a new secret\"}");
        assertEquals(422, missing.status(), missing.body());
        assertEquals("current_password", missing.json().get("field").asText());
    }

    @Test
    void weakOrTooLongNewPasswordIs422NamingNewPassword() throws Exception {
        for (String weak : new String[] {"short", "pw-alice", "alice", "aaaaaaaaaaaa", "x".repeat(1025)}) {
            Response r = send("PUT", PATH, "alice", change("pw-alice", weak));
            assertEquals(422, r.status(), weak.length() + " chars: " + r.body());
            assertEquals("new_password", r.json().get("field").asText(), r.body());
            assertFalse(r.body().contains("pw-alice"), "no password echoed");
        }
        assertEquals("pw-alice", users.passwords.get("alice"));
        assertEquals(204, send("PUT", PATH, "alice", change("pw-alice", "xy1".repeat(341) + "z")).status(),
                "1024 characters is the documented maximum");
    }

    @Test
    void malformedJsonIs400() throws Exception {
        for (String body : new String[] {"{\"current_password\":", "[]", "\"text\"",
                "{\"current_password\":\"pw-alice\",\"new_password\":\"a new secret\",\"role\":\"admin\"}"}) {
            Response r = send("PUT", PATH, "alice", body);
            assertEquals(400, r.status(), body + " -> " + r.body());
        }
        assertEquals(400, send("PUT", PATH, "alice", null).status(), "no body");
        assertEquals("pw-alice", users.passwords.get("alice"));
    }

    @Test
    void unauthenticatedIs401AndASessionWithoutCsrfIs403() throws Exception {
        assertEquals(401, send("PUT", PATH, null, change("pw-alice", "a new secret")).status());
        assertEquals(401, withBasic("PUT", PATH, "alice", "wrong", change("pw-alice", "a new secret")).status());
        Login login = login("alice", "pw-alice");
        Response noCsrf = execute(HttpRequest.newBuilder(server.uri(PATH))
                .PUT(HttpRequest.BodyPublishers.ofString(change("pw-alice", "a new secret")))
                .header("Content-Type", "application/json").header("Cookie", login.cookie()).build());
        assertEquals(403, noCsrf.status(), noCsrf.body());
        assertEquals("pw-alice", users.passwords.get("alice"));
    }

    @Test
    void repeatedWrongCurrentPasswordsAreThrottledLikeLogins() throws Exception {
        int status = 0;
        for (int i = 0; i < 20 && status != 429; i++) {
            status = send("PUT", PATH, "alice", change("guess-" + i, "a new secret")).status();
        }
        assertEquals(429, status, "guessing the current password is slowed down");
    }

    @Test
    void aTokenCarriesItsExpiryAndOneInThePastIsRefused() throws Exception {
        Instant later = Instant.now().plusSeconds(86_400).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Response created = send("POST", "/api/tokens", "oscar",
                "{\"name\":\"ci\",\"expires_at\":\"" + later + "\"}");
        assertEquals(201, created.status(), created.body());
        assertEquals(later.toString(), created.json().get("expires_at").asText());
        assertEquals(later.toString(), get("/api/tokens", "oscar").json().get(0).get("expires_at").asText());

        Response past = send("POST", "/api/tokens", "oscar",
                "{\"name\":\"ci\",\"expires_at\":\"2020-01-01T00:00:00Z\"}");
        assertEquals(422, past.status(), past.body());
        assertEquals("expires_at", past.json().get("field").asText());
        Response never = send("POST", "/api/tokens", "oscar", "{\"name\":\"cron\"}");
        assertEquals(201, never.status());
        assertTrue(never.json().get("expires_at").isNull());
        assertEquals(2, users.tokens.size());
    }

    @Test
    void anExpiredTokenGets401() throws Exception {
        Response created = send("POST", "/api/tokens", "oscar",
                "{\"name\":\"ci\",\"expires_at\":\"" + Instant.now().plusSeconds(3600) + "\"}");
        String id = created.json().get("id").asText();
        TokenInfo t = users.tokens.get(id);
        users.tokens.put(id, new TokenInfo(t.id(), t.name(), t.owner(), t.createdAt(), null,
                Instant.now().minusSeconds(1)));
        assertEquals(401, withBearer("/api/me", created.json().get("token").asText()).status());
        assertNull(users.tokens.get(id).lastUsed());
    }
}
