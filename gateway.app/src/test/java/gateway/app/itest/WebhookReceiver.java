package gateway.app.itest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A real HTTP receiver for webhook notifications on a loopback port: it reads each request (HTTP/1.1, body by
 * Content-Length, as java.net.http sends a JSON POST), keeps it, and answers 200. {@link #stop()} closes the port, so
 * the gateway meets a refused connection as it would when a receiver is down; {@link #start()} opens the same port
 * again. Requests are kept across a stop and start.
 */
final class WebhookReceiver implements AutoCloseable {

    record Request(String method, String path, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            try {
                return ApiClient.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private int port;

    private WebhookReceiver() {
    }

    /** A receiver listening on a free port. */
    static WebhookReceiver open() throws IOException {
        WebhookReceiver r = new WebhookReceiver();
        r.start();
        return r;
    }

    int port() {
        return port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Listens (again) on the receiver's port; the first start picks a free one. */
    synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = s.getLocalPort();
        server = s;
        Thread accept = new Thread(() -> acceptLoop(s), "webhook-receiver-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    /** Closes the port: connections are refused until {@link #start()}. */
    synchronized void stop() {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closed already
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Thread t = new Thread(() -> serve(client), "webhook-request");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed by stop()
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(30_000);
            InputStream in = client.getInputStream();
            String requestLine = line(in);
            if (requestLine == null || requestLine.isEmpty()) {
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                }
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            String[] parts = requestLine.split(" ");
            requests.add(new Request(parts[0], parts.length > 1 ? parts[1] : "", headers,
                    new String(body, StandardCharsets.UTF_8)));
            OutputStream out = client.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException | RuntimeException e) {
            // a broken request is simply not recorded; the sender retries
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return c == -1 && b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    /** The requests with this JSON member value, e.g. one notification's key. */
    List<Request> withMember(String member, String value) {
        return requests.stream().filter(r -> value.equals(r.json().path(member).asText(null))).toList();
    }
}
