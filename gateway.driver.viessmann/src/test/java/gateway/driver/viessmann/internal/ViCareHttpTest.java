package gateway.driver.viessmann.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cloud transport against a raw HTTP/1.1 server that can misbehave in the ways a real network does. */
class ViCareHttpTest {

    /** What the server does with one request on a connection; returns false to close the connection. */
    @FunctionalInterface
    interface Handler {
        boolean handle(String request, String body, OutputStream out) throws IOException;
    }

    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** Holds a handler that plays a peer which never answers, until the test ends. */
    private final CountDownLatch testOver = new CountDownLatch(1);
    private ServerSocket server;

    @AfterEach
    void stop() throws IOException {
        testOver.countDown();
        if (server != null) {
            server.close();
        }
    }

    private URI serve(Handler handler) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread c = new Thread(() -> connection(s, handler), "vicare-http-test-conn");
                    c.setDaemon(true);
                    c.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "vicare-http-test-accept");
        t.setDaemon(true);
        t.start();
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private void connection(Socket s, Handler handler) {
        try (s) {
            InputStream in = s.getInputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                int length = 0;
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                requests.add(head.substring(0, head.indexOf("\r\n")));
                if (!handler.handle(head, body, s.getOutputStream())) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            String s = b.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        return null;
    }

    private static void answer(OutputStream out, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\nKeep-Alive: timeout=30\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    @Test
    void sendsMethodHeadersAndBodyAndReadsStatusAndBodyAlsoOfAnError() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        URI base = serve((head, body, out) -> {
            seen.add(head + body);
            answer(out, head.startsWith("POST") ? 200 : 429, head.startsWith("POST") ? "{\"ok\":true}"
                    : "{\"errorType\":\"RATE_LIMIT_EXCEEDED\"}");
            return true;
        });
        ViCareHttp http = new ViCareHttp();
        ViCareHttp.Response ok = http.exchange("POST", base.resolve("/features/x/commands/set"),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer t"), "{\"temperature\":45}",
                Duration.ofSeconds(5));
        assertEquals(200, ok.status());
        assertEquals("{\"ok\":true}", ok.body());
        assertTrue(seen.get(0).startsWith("POST /features/x/commands/set HTTP/1.1"), seen.get(0));
        assertTrue(seen.get(0).contains("Authorization: Bearer t"), seen.get(0));
        assertTrue(seen.get(0).endsWith("{\"temperature\":45}"), seen.get(0));

        ViCareHttp.Response limited = http.exchange("GET", base.resolve("/features"), Map.of(), null,
                Duration.ofSeconds(5));
        assertEquals(429, limited.status());
        assertEquals("{\"errorType\":\"RATE_LIMIT_EXCEEDED\"}", limited.body(), "the error body is read too");
    }

    @Test
    void aCommandIsNeverSentTwiceWhenAKeptAliveConnectionTurnsOutClosed() throws Exception {
        // The first request leaves a kept-alive connection; the server takes the command on it and drops the
        // connection without an answer. A retry would repeat a write the pump may already have done.
        URI base = serve((head, body, out) -> {
            if (head.startsWith("POST")) {
                return false;
            }
            answer(out, 200, "{}");
            return true;
        });
        ViCareHttp http = new ViCareHttp();
        assertEquals(200, http.exchange("GET", base.resolve("/features"), Map.of(), null, Duration.ofSeconds(5))
                .status());
        assertThrows(IOException.class, () -> http.exchange("POST", base.resolve("/features/x/commands/set"),
                Map.of("Content-Type", "application/json"), "{}", Duration.ofSeconds(5)));
        assertEquals(List.of("GET /features HTTP/1.1", "POST /features/x/commands/set HTTP/1.1"), requests);
    }

    @Test
    void abortEndsAnExchangeThatWaitsForAnAnswer() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        URI base = serve((head, body, out) -> {
            received.countDown();
            try {
                testOver.await(60, TimeUnit.SECONDS); // a cloud that relays to a device that does not answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        });
        ViCareHttp http = new ViCareHttp();
        CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
            try {
                return http.exchange("GET", base.resolve("/features"), Map.of(), null, Duration.ofSeconds(60));
            } catch (IOException e) {
                return e;
            }
        });
        assertTrue(received.await(20, TimeUnit.SECONDS), "the request reached the server");
        http.abort();
        Object outcome = call.get(20, TimeUnit.SECONDS); // not the 60 s read timeout
        assertTrue(outcome instanceof IOException, "aborted: " + outcome);
    }

    @Test
    void anAnswerOfSeveralMegabytesBeyondTheLimitIsRefused() throws Exception {
        URI base = serve((head, body, out) -> {
            int size = ViCareHttp.MAX_BODY_BYTES + 1024;
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            for (int sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, size - sent));
            }
            out.flush();
            return false;
        });
        IOException e = assertThrows(IOException.class, () -> new ViCareHttp().exchange("GET",
                base.resolve("/features"), Map.of(), null, Duration.ofSeconds(20)));
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    }
}
