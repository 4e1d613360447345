package gateway.core.notification.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.api.NotificationDeliveryException;

/**
 * A JSON POST to a push service, and the rule for which failures a retry can help: no answer, a timeout, 408, 425,
 * 429 and 5xx are worth retrying; any other 4xx means the request or the credentials are wrong and will stay wrong.
 * Error messages name the service and the status, never the URL (Telegram's and Discord's carry their token).
 */
final class JsonPost {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** Of a service's error answer, this much goes into the outbox's last error. */
    static final int MAX_ANSWER = 300;

    /**
     * One client for every channel of every kind, made at the first notification: each HttpClient keeps a selector
     * thread, and six channel kinds made six of them at start-up on gateways that notify nobody.
     */
    private static final class SharedClient {
        static final HttpClient INSTANCE = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The serialized body, so a signature can be computed over exactly the bytes sent. */
    static byte[] body(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An ordered JSON object without null members. */
    static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                out.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return out;
    }

    /**
     * Posts and returns the answer's body when the status is 2xx.
     *
     * @param service what to call it in errors ("ntfy", "Telegram"...)
     * @param secrets values to scrub from any error text, in case a library echoes the URL
     */
    String post(String service, URI uri, byte[] body, Map<String, String> headers, List<String> secrets)
            throws NotificationDeliveryException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "heatpump-gateway")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = SharedClient.INSTANCE.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new NotificationDeliveryException(service + ": no answer within " + TIMEOUT.toSeconds() + " s",
                    true);
        } catch (IOException e) {
            throw new NotificationDeliveryException(scrub(service + ": " + describe(e), secrets), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotificationDeliveryException(service + ": interrupted", true);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        String answer = response.body() == null ? "" : response.body().strip();
        if (answer.length() > MAX_ANSWER) {
            answer = answer.substring(0, MAX_ANSWER) + "...";
        }
        throw new NotificationDeliveryException(scrub(service + " answered HTTP " + status
                + (answer.isEmpty() ? "" : ": " + answer), secrets), retryable(status));
    }

    static boolean retryable(int status) {
        return status == 408 || status == 425 || status == 429 || status >= 500 || status < 200;
    }

    static String describe(Throwable e) {
        String text = e.getMessage();
        String kind = e instanceof java.net.ConnectException ? "connection refused or unreachable"
                : e.getClass().getSimpleName();
        return text == null || text.isBlank() ? kind : kind + " (" + text + ")";
    }

    static String scrub(String text, List<String> secrets) {
        String out = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                out = out.replace(secret, "********");
            }
        }
        return out;
    }
}
