package gateway.core.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.SensorReading;
import gateway.core.testing.FakeManager;

/**
 * A multi-tenant Grafana Mimir or Cortex takes the tenant from {@code X-Scope-OrgID}: the push and the history
 * source send the configured {@code tenant} with every request, and nothing without one. (Neither engine is on this
 * machine; a real HTTP server records what arrives.)
 */
class TenantHeaderTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<Headers> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            received.add(exchange.getRequestHeaders());
            exchange.getRequestBody().readAllBytes();
            byte[] body = exchange.getRequestURI().getPath().contains("query_range")
                    ? "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"
                            .getBytes(StandardCharsets.UTF_8)
                    : new byte[0];
            exchange.sendResponseHeaders(body.length == 0 ? 204 : 200, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static SeriesCatalog catalog() {
        FakeManager fake = new FakeManager();
        fake.add("hp-1", "Cellar", "idm", "navigator_2_0", PrometheusMetricsTest.IDM_LIKE);
        return new SeriesCatalog(fake.manager(), false, Map.of("gateway_id", "gw-1"));
    }

    private void pushOne(String tenant) {
        MetricsPusher.Settings s = new MetricsPusher.Settings(url(), "remote_write", "", "", "", false, 100, 20_000,
                false, 1 << 24, 2000, 50, 200, tenant);
        MetricsPusher pusher = new MetricsPusher(catalog(), s, dir.resolve("spool-" + tenant), false);
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        pusher.snapshot(new DeviceSnapshot("hp-1", "idm", "navigator_2_0", t,
                Map.of("temp_outdoor", SensorReading.good("temp_outdoor", 4.5, null, t))));
        pusher.cycle();
        assertEquals("ok", pusher.status().state(), pusher.status().toString());
    }

    @Test
    void thePushSendsTheTenantAndNoneWithoutOne() {
        pushOne("berlin");
        assertEquals(1, received.size());
        assertEquals("berlin", received.get(0).getFirst("X-Scope-OrgID"));
        pushOne("");
        assertEquals(2, received.size());
        assertNull(received.get(1).getFirst("X-Scope-OrgID"));
    }

    @Test
    void theHistorySourceQueriesAsTheTenant() {
        FakeManager fake = new FakeManager();
        fake.add("hp-1", "Cellar", "idm", "navigator_2_0", PrometheusMetricsTest.IDM_LIKE);
        PrometheusHistoryStore history = new PrometheusHistoryStore(URI.create(url()), fake.manager(),
                new SeriesCatalog(fake.manager(), false, Map.of("gateway_id", "gw-1")), "berlin");
        Instant to = Instant.now();
        history.query("hp-1", "temp_outdoor", to.minusSeconds(3600), to, 10);
        assertFalse(received.isEmpty(), "the history source asked the query API");
        received.forEach(h -> assertEquals("berlin", h.getFirst("X-Scope-OrgID")));
    }
}
