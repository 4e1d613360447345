package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.UserStore.Role;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The security filter on its own, in front of a probe servlet on Jetty: refusals are answered by the filter (the
 * servlet never runs), only the API is guarded, and an admitted request carries its user to the servlet.
 */
class SecurityFilterTest {

    private final FakeCore.Users users = new FakeCore.Users();
    private final SecurityFilter filter = new SecurityFilter(users,
            Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC));
    private final AtomicInteger probeCalls = new AtomicInteger();
    private volatile Object seenUser;
    private final HttpClient client = HttpClient.newHttpClient();
    private JettyServer server;

    private final HttpServlet probe = new HttpServlet() {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) {
            probeCalls.incrementAndGet();
            seenUser = request.getAttribute(SecurityFilter.USER);
            response.setStatus(204);
        }
    };

    @BeforeEach
    void start() throws Exception {
        Router routes = new Router()
                .add("GET", "/open", null, "public", r -> "ok")
                .add("GET", "/things", Role.VIEWER, "viewer", r -> "ok")
                .add("POST", "/things", Role.OPERATOR, "operator", r -> "ok");
        filter.guard(routes);
        server = new JettyServer(filter, Map.of(ApiServlet.MOUNT + "/*", probe, "/metrics", probe));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> call(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusalsAreAnsweredByTheFilterBeforeTheServlet() throws Exception {
        HttpResponse<String> anonymous = call("GET", "/api/things", null);
        assertEquals(401, anonymous.statusCode());
        assertEquals("application/problem+json", anonymous.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(BasicAuthenticator.CHALLENGE, anonymous.headers().firstValue("WWW-Authenticate").orElseThrow());
        HttpResponse<String> viewerWrites = call("POST", "/api/things", ApiTestBase.basic("alice", "pw-alice"));
        assertEquals(403, viewerWrites.statusCode(), viewerWrites.body());
        assertEquals(0, probeCalls.get(), "the servlet never saw a refused request");
    }

    @Test
    void anAdmittedRequestCarriesItsUserAndTheSecurityHeaders() throws Exception {
        HttpResponse<String> r = call("POST", "/api/things", ApiTestBase.basic("oscar", "pw-oscar"));
        assertEquals(204, r.statusCode());
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("oscar", ((gateway.core.api.UserStore.User) seenUser).name());
    }

    @Test
    void publicRoutesAndUnknownPathsFollowTheTable() throws Exception {
        assertEquals(204, call("GET", "/api/open", null).statusCode());
        assertNull(seenUser, "a public route runs without a user");
        assertEquals(401, call("GET", "/api/secret-unknown", null).statusCode(),
                "an anonymous caller learns nothing about unknown paths");
        assertEquals(204, call("GET", "/api/secret-unknown", ApiTestBase.basic("alice", "pw-alice")).statusCode(),
                "known caller: the servlet answers the 404 itself");
    }

    @Test
    void servletsOutsideTheApiKeepTheirOwnRules() throws Exception {
        assertEquals(204, call("GET", "/metrics", null).statusCode());
        assertEquals(1, probeCalls.get());
    }

    @Test
    void withoutTheFilterTheApiFailsClosed() throws Exception {
        FakeCore.Registry registry = new FakeCore.Registry();
        ApiServlet api = new ApiServlet(new FakeCore.Manager(registry), registry, users, filter, "test",
                Clock.systemUTC());
        try (JettyServer unguarded = new JettyServer(null, Map.of(ApiServlet.MOUNT + "/*", api))) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(unguarded.uri("/api/heatpumps"))
                    .header("Authorization", ApiTestBase.basic("ada", "pw-ada")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode(), "credentials are checked only by the filter; no filter, no access");
            assertEquals(200, client.send(HttpRequest.newBuilder(unguarded.uri("/api/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "public routes stay public");
        }
    }
}
