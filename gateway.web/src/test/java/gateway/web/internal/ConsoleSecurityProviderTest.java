package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.UserStore.User;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The Felix Web Console's guard: the gateway's accounts, admins only, no cross-site changes. */
class ConsoleSecurityProviderTest {

    private FakeCore.Users users;
    private Authentication authentication;
    private ConsoleSecurityProvider provider;

    /** What the provider answered when it refused. */
    private static final class Answer {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
    }

    @BeforeEach
    void setUp() {
        users = new FakeCore.Users();
        authentication = new SecurityFilter(users, Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"),
                ZoneOffset.UTC)).authentication();
        provider = new ConsoleSecurityProvider(authentication);
    }

    private static HttpServletRequest request(String method, Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getHeader" -> headers.get((String) args[0]);
                    case "getRemoteAddr" -> "127.0.0.1";
                    case "getRequestURI" -> "/system/console/bundles";
                    case "isSecure" -> false;
                    default -> throw new UnsupportedOperationException("request." + m.getName());
                });
    }

    private static HttpServletResponse response(Answer answer) {
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                answer.body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "setStatus" -> answer.status = (Integer) args[0];
                        case "setHeader", "addHeader" -> answer.headers.put((String) args[0], (String) args[1]);
                        case "setContentType", "setContentLength" -> { }
                        case "getOutputStream" -> {
                            return out;
                        }
                        default -> throw new UnsupportedOperationException("response." + m.getName());
                    }
                    return null;
                });
    }

    private static ClassLoader getClassLoader() {
        return ConsoleSecurityProviderTest.class.getClassLoader();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void noCredentialsGet401WithABasicChallenge() {
        Answer a = new Answer();
        assertNull(provider.authenticate(request("GET", Map.of()), response(a)));
        assertEquals(401, a.status);
        assertTrue(a.headers.get("WWW-Authenticate").startsWith("Basic "), a.headers.toString());
    }

    @Test
    void theConsolesDefaultAdminPasswordIsJustAWrongPassword() {
        Answer a = new Answer();
        assertNull(provider.authenticate(request("GET", Map.of("Authorization", basic("admin", "admin"))),
                response(a)));
        assertEquals(401, a.status);
    }

    @Test
    void viewersAndOperatorsGet403() {
        for (String name : new String[] {"alice", "oscar"}) {
            Answer a = new Answer();
            assertNull(provider.authenticate(request("GET", Map.of("Authorization", basic(name, "pw-" + name))),
                    response(a)), name);
            assertEquals(403, a.status, name);
            assertTrue(a.body.toString(StandardCharsets.UTF_8).contains("admin"), a.body.toString());
        }
    }

    @Test
    void anAdminGetsInAndMayUseEveryPage() {
        Answer a = new Answer();
        Object user = provider.authenticate(request("GET", Map.of("Authorization", basic("ada", "pw-ada"))),
                response(a));
        assertNotNull(user);
        assertEquals(200, a.status, "nothing written for an admin");
        assertEquals("ada", ((User) user).name());
        assertTrue(provider.authorize(user, "any-console-role"));
    }

    @Test
    void aGatewaySessionCookieOfAnAdminGetsIn() {
        SessionStore.Session session = authentication.sessions.create(new User("ada", gateway.core.api.UserStore.Role.ADMIN));
        Answer a = new Answer();
        Object user = provider.authenticate(request("GET", Map.of("Cookie", SessionStore.COOKIE + "=" + session.id)),
                response(a));
        assertNotNull(user);
    }

    @Test
    void aChangeFromAnotherSiteIsRefusedEvenForAnAdmin() {
        String ada = basic("ada", "pw-ada");
        Answer fetchMetadata = new Answer();
        assertNull(provider.authenticate(request("POST", Map.of("Authorization", ada, "Sec-Fetch-Site", "cross-site",
                "Host", "127.0.0.1:8080")), response(fetchMetadata)));
        assertEquals(403, fetchMetadata.status);

        Answer origin = new Answer();
        assertNull(provider.authenticate(request("POST", Map.of("Authorization", ada, "Origin", "http://evil.example",
                "Host", "127.0.0.1:8080")), response(origin)));
        assertEquals(403, origin.status);

        Answer sameOrigin = new Answer();
        assertNotNull(provider.authenticate(request("POST", Map.of("Authorization", ada,
                "Origin", "http://127.0.0.1:8080", "Host", "127.0.0.1:8080")), response(sameOrigin)));
        Answer script = new Answer();
        assertNotNull(provider.authenticate(request("POST", Map.of("Authorization", ada)), response(script)),
                "no browser headers: a script, nothing to forge");
    }

    @Test
    void failedPasswordsCountTowardsTheApisLoginThrottle() {
        Answer a = null;
        for (int i = 0; i < 6; i++) {
            a = new Answer();
            provider.authenticate(request("GET", Map.of("Authorization", basic("ada", "wrong-" + i))), response(a));
        }
        // five failures are free; the sixth check waits
        assertEquals(429, a.status);
        assertNotNull(a.headers.get("Retry-After"));
    }
}
