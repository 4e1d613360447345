package gateway.core.notification.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback standing in for a push service: records every request and answers with the
 * status (and body) the test sets. {@link #stop()} and {@link #start(int)} on the same port simulate an outage.
 */
final class Receiver implements AutoCloseable {

    record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(body);
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(200);
    volatile String answer = "{\"ok\":true}";
    private HttpServer server;
    private int port;

    static Receiver start() throws IOException {
        Receiver r = new Receiver();
        r.start(0);
        return r;
    }

    void start(int wantedPort) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body));
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            int code = status.get();
            if (code == 204) {
                exchange.sendResponseHeaders(204, -1);
            } else {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(code, out.length);
                exchange.getResponseBody().write(out);
            }
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }
}
