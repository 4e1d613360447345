package gateway.driver.viessmann.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small HTTP/1.1 server on loopback for the simulator: one thread per connection, keep-alive, Content-Length
 * bodies. Written here because {@code com.sun.net.httpserver} is not exported by the OSGi framework, and the
 * simulator runs inside the gateway for the demo.
 */
final class MiniHttpServer implements AutoCloseable {

    record Request(String method, String path, String query, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** @param headers further response headers (e.g. {@code Location} of a redirect) */
    record Response(int status, String contentType, String body, Map<String, String> headers) {
        Response(int status, String contentType, String body) {
            this(status, contentType, body, Map.of());
        }
    }

    @FunctionalInterface
    interface Handler {
        Response handle(Request request);
    }

    private final ServerSocket server;
    private final Handler handler;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    MiniHttpServer(int port, Handler handler, String name) throws IOException {
        this.server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        this.handler = handler;
        this.acceptor = new Thread(this::accept, name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                clients.add(s);
                Thread t = new Thread(() -> serve(s), acceptor.getName() + "-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            while (!closed) {
                String requestLine = line(in);
                if (requestLine == null) {
                    return;
                }
                if (requestLine.isEmpty()) {
                    continue;
                }
                String[] parts = requestLine.split(" ");
                Map<String, String> headers = new TreeMap<>();
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    int colon = h.indexOf(':');
                    if (colon > 0) {
                        headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                    }
                }
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                byte[] body = in.readNBytes(length);
                String target = parts.length > 1 ? parts[1] : "/";
                int q = target.indexOf('?');
                Request req = new Request(parts[0], q < 0 ? target : target.substring(0, q),
                        q < 0 ? "" : target.substring(q + 1), headers, new String(body, StandardCharsets.UTF_8));
                Response r;
                try {
                    r = handler.handle(req);
                } catch (RuntimeException e) {
                    r = new Response(500, "application/json", "{\"statusCode\":500,\"errorType\":\"INTERNAL_ERROR\","
                            + "\"message\":\"Internal server error\"}");
                }
                if (r == null) {
                    return; // drop the connection without an answer
                }
                byte[] payload = r.body().getBytes(StandardCharsets.UTF_8);
                StringBuilder extra = new StringBuilder();
                r.headers().forEach((k, v) -> extra.append(k).append(": ").append(v).append("\r\n"));
                String head = "HTTP/1.1 " + r.status() + " " + reason(r.status()) + "\r\nContent-Type: "
                        + r.contentType() + "\r\nContent-Length: " + payload.length + "\r\n" + extra + "\r\n";
                // one write: head and body in separate segments meet delayed ACKs (40 ms per exchange)
                byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
                byte[] all = new byte[headBytes.length + payload.length];
                System.arraycopy(headBytes, 0, all, 0, headBytes.length);
                System.arraycopy(payload, 0, all, headBytes.length, payload.length);
                out.write(all);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // client went away
        } finally {
            clients.remove(s);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 302 -> "Found";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            default -> "Status";
        };
    }

    /** Drops every open connection now. */
    void disconnectClients() {
        for (Socket s : clients) {
            try {
                s.close();
            } catch (IOException e) {
                // already gone
            }
        }
        clients.clear();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        disconnectClients();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean isSocketClosed(Exception e) {
        return e instanceof SocketException;
    }
}
