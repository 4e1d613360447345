package gateway.driver.viessmann.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One blocking HTTP/1.1 exchange with the ViCare cloud (or the simulator) over {@link HttpURLConnection}.
 * <p>
 * Not {@code java.net.http.HttpClient}: building one loads ~1,500 classes, initialises TLS and starts a selector
 * thread (~0.2 s of CPU and several MB, measured for #14) even when the endpoint is plain HTTP, as the demo's
 * simulator is. A poll is one call at a time per device anyway. Idle connections are kept alive by the JDK's shared
 * cache. A body is sent in fixed-length streaming mode, which also stops the JDK from silently sending a POST (a
 * command) a second time when a kept-alive connection turns out to be closed.
 */
final class ViCareHttp {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** A device's full feature list is ~100 KB; anything near this is not a ViCare answer. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    /** Status and body (UTF-8, empty when there was none) of an answer. */
    record Response(int status, String body) {
    }

    /** The connection of the exchange in progress, so that {@link #abort()} can end it from another thread. */
    private volatile HttpURLConnection inFlight;

    /**
     * @param body sent as is with the given headers' content type, or null for none
     * @param timeout for connecting (at most {@link #CONNECT_TIMEOUT}) and for each read of the answer
     */
    Response exchange(String method, URI uri, Map<String, String> headers, String body, Duration timeout)
            throws IOException {
        URLConnection plain = uri.toURL().openConnection();
        if (!(plain instanceof HttpURLConnection c)) {
            throw new IOException("not an HTTP URL: " + uri.getScheme());
        }
        c.setRequestMethod(method);
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setConnectTimeout(millis(timeout.compareTo(CONNECT_TIMEOUT) < 0 ? timeout : CONNECT_TIMEOUT));
        c.setReadTimeout(millis(timeout));
        headers.forEach(c::setRequestProperty);
        inFlight = c;
        try {
            if (body != null) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            if (in == null) {
                return new Response(status, "");
            }
            try (in) {
                byte[] answer = in.readNBytes(MAX_BODY_BYTES + 1);
                if (answer.length > MAX_BODY_BYTES) {
                    c.disconnect();
                    throw new IOException("answer larger than " + MAX_BODY_BYTES / (1024 * 1024) + " MB");
                }
                return new Response(status, new String(answer, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            c.disconnect(); // a half-read connection must not go back to the keep-alive cache
            throw e;
        } finally {
            inFlight = null;
        }
    }

    /** Ends the exchange in progress, if any: its caller gets an IOException instead of waiting for the timeout. */
    void abort() {
        HttpURLConnection c = inFlight;
        if (c != null) {
            c.disconnect();
        }
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }
}
