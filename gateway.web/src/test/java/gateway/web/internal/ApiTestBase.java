package gateway.web.internal;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Starts the security filter and the API servlet on a real Jetty on loopback with fake core services. */
abstract class ApiTestBase {

    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    FakeCore.Registry registry;
    FakeCore.Manager manager;
    FakeCore.Users users;
    FakeCore.History history;
    FakeCore.Audit audit;
    SecurityFilter security;
    ApiServlet servlet;
    JettyServer server;
    final HttpClient client = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    record Response(int status, HttpHeaders headers, String body, JsonNode json) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        registry = new FakeCore.Registry();
        manager = new FakeCore.Manager(registry);
        users = new FakeCore.Users();
        history = new FakeCore.History();
        audit = new FakeCore.Audit();
        security = new SecurityFilter(users, Clock.fixed(NOW, ZoneOffset.UTC));
        servlet = new ApiServlet(manager, registry, users, security, "1.2.3.test", Clock.fixed(NOW, ZoneOffset.UTC));
        servlet.setHistory(history);
        servlet.setAudit(audit);
        server = new JettyServer(security, servlet);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    Response get(String path, String user) throws Exception {
        return send("GET", path, user, null, null);
    }

    Response send(String method, String path, String user, String body) throws Exception {
        return send(method, path, user, body, body == null ? null : "application/json");
    }

    Response send(String method, String path, String user, String body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (user != null) {
            b.header("Authorization", basic(user, "pw-" + user));
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return execute(b.build());
    }

    Response execute(HttpRequest request) throws Exception {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode node = r.body().isEmpty() ? null : json.readTree(r.body());
        return new Response(r.statusCode(), r.headers(), r.body(), node);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a device through the API as the admin and returns its id. */
    String createDevice(String body) throws Exception {
        Response r = send("POST", "/api/heatpumps", "ada", body);
        if (r.status() != 201) {
            throw new AssertionError("create failed: " + r.status() + " " + r.body());
        }
        return r.json().get("id").asText();
    }

    static final String CONTRACT_BODY = """
            {"name": "Basement", "manufacturer": "acme", "model": "aw10",
             "connection_config": {"host": "192.168.1.50", "port": 1502, "unit_id": 3},
             "device_config": {"circuits": ["A"], "zones": []},
             "poll_interval": 15, "enabled": false}
            """;

    static final String MINIMAL_BODY = """
            {"manufacturer": "acme", "model": "aw10", "connection_config": {"host": "10.0.0.7"}}
            """;
}
