package gateway.driver.viessmann.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import gateway.core.api.DeviceException;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceRateLimitedException;
import gateway.core.api.DeviceUnreachableException;

/**
 * The ViCare REST API for one device: OAuth2 refresh-token grant (public client, no secret), the device's feature
 * list, one feature, and commands. Every API call passes the account's {@link ViCareQuota} first; the token
 * endpoint (the IAM host) is not counted. Error bodies (fact sheet §6) become specific exceptions with messages a
 * user can act on. Neither the refresh token nor an access token is ever logged or put into a message.
 */
final class ViCareClient {

    private static final Logger LOG = LoggerFactory.getLogger(ViCareClient.class);
    static final ObjectMapper JSON = new ObjectMapper();
    /** PyViCare waits 31 s for a GET: the cloud relays to the device. */
    static final Duration MIN_REQUEST_TIMEOUT = Duration.ofSeconds(31);

    private final ViCareHttp http = new ViCareHttp();
    private final ViCareConnection connection;
    private final ViCareAccount account;
    private final Duration timeout;
    private long bytes;

    ViCareClient(ViCareConnection connection, ViCareAccount account, Duration timeout) {
        this.connection = connection;
        this.account = account;
        this.timeout = timeout.compareTo(MIN_REQUEST_TIMEOUT) < 0 ? MIN_REQUEST_TIMEOUT : timeout;
    }

    /** The device's last failure, across sessions; null after a success. */
    DeviceException lastFailure() {
        return account.lastFailure(devicePath());
    }

    void lastFailure(DeviceException failure) {
        account.lastFailure(devicePath(), failure);
    }

    /** Gives a booked quota slot back when the session ends, and ends a call in progress. */
    void release() {
        account.quota().release(this);
        http.abort();
    }

    /** Payload bytes received since the last call of this method. */
    long takeBytes() {
        long b = bytes;
        bytes = 0;
        return b;
    }

    String devicePath() {
        return "/features/installations/" + enc(connection.installationId()) + "/gateways/"
                + enc(connection.gatewaySerial()) + "/devices/" + enc(connection.deviceId()) + "/features";
    }

    /** {@code GET …/devices/{id}/features/}: every feature of the device, one call (a paced poll). */
    JsonNode features() throws DeviceException {
        return features(false);
    }

    /** @param forWrite the value read before a write: not paced, only bound by the windows */
    JsonNode features(boolean forWrite) throws DeviceException {
        return call("GET", devicePath() + "/", null, forWrite);
    }

    /** {@code GET …/features/{name}}: one feature, the read-back after a command (counted as part of the write). */
    JsonNode feature(String name) throws DeviceException {
        return call("GET", devicePath() + "/" + enc(name), null, true);
    }

    /** {@code POST …/features/{name}/commands/{command}} with the command's parameters. */
    JsonNode command(String feature, String command, ObjectNode params) throws DeviceException {
        return call("POST", devicePath() + "/" + enc(feature) + "/commands/" + enc(command), params, true);
    }

    /** {@code GET /equipment/installations?includeGateways=true}: installations, gateways, devices. */
    JsonNode installations() throws DeviceException {
        return call("GET", "/equipment/installations?includeGateways=true", null, false);
    }

    private JsonNode call(String method, String path, ObjectNode body, boolean write) throws DeviceException {
        String token = accessToken();
        ViCareHttp.Response response = send(method, path, body, token, write);
        if (expiredToken(response)) {
            // the access token ran out between our bookkeeping and the server's: refresh once and repeat
            account.forgetAccessToken(token);
            response = send(method, path, body, accessToken(), write);
        }
        return checked(response, method + " " + path);
    }

    private ViCareHttp.Response send(String method, String path, ObjectNode body, String token, boolean write)
            throws DeviceException {
        ViCareQuota.Denial denial = account.quota().acquire(this, write);
        if (denial != null) {
            throw new QuotaDenied("ViCare API quota: " + denial.reason() + "; next call allowed at "
                    + denial.retryAt(), denial.retryAt());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token);
        headers.put("Accept", body != null ? "application/vnd.siren+json" : "application/json");
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        return exchange(method, URI.create(connection.apiBaseUrl() + path), headers,
                body == null ? null : body.toString(), "ViCare API");
    }

    private ViCareHttp.Response exchange(String method, URI uri, Map<String, String> headers, String body,
            String what) throws DeviceException {
        try {
            ViCareHttp.Response r = http.exchange(method, uri, headers, body, timeout);
            bytes += r.body().length();
            return r;
        } catch (IOException e) {
            throw new DeviceUnreachableException(what + " at " + uri.getHost() + " not reachable: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private static boolean expiredToken(ViCareHttp.Response r) {
        if (r.status() == 401) {
            return true;
        }
        JsonNode body = parse(r.body());
        return body != null && "EXPIRED TOKEN".equalsIgnoreCase(body.path("error").asText());
    }

    /** A valid access token, refreshed with the refresh-token grant when it is missing or about to expire. */
    private String accessToken() throws DeviceException {
        Instant now = Instant.now();
        String cached = account.accessToken(now.plusSeconds(30));
        if (cached != null) {
            return cached;
        }
        synchronized (account) {
            cached = account.accessToken(now.plusSeconds(30));
            if (cached != null) {
                return cached;
            }
            String form = "grant_type=refresh_token&client_id=" + form(connection.clientId())
                    + "&refresh_token=" + form(account.refreshToken(connection.refreshToken()));
            ViCareHttp.Response r = exchange("POST", URI.create(connection.tokenUrl()),
                    Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"), form,
                    "ViCare sign-in (token endpoint)");
            JsonNode body = parse(r.body());
            if (r.status() >= 500) {
                throw new DeviceUnreachableException("ViCare sign-in (token endpoint) answered HTTP " + r.status());
            }
            if (r.status() != 200 || body == null || !body.hasNonNull("access_token")) {
                String error = body == null ? "" : body.path("error").asText("");
                throw new ViCareSignInException("ViCare sign-in refused (HTTP " + r.status()
                        + (error.isEmpty() ? "" : ", " + error) + "): the refresh token is expired or revoked, or "
                        + "the client id does not match it; sign in again to get a new refresh token");
            }
            String access = body.get("access_token").asText();
            long expiresIn = body.path("expires_in").asLong(3600);
            account.accessToken(access, now.plusSeconds(expiresIn));
            String rotated = body.path("refresh_token").asText("");
            if (!rotated.isEmpty() && !rotated.equals(account.refreshToken(connection.refreshToken()))) {
                account.rotated(rotated);
                LOG.info("ViCare client {}: the token endpoint issued a new refresh token; used from now on",
                        connection.clientId());
            }
            return access;
        }
    }

    /** The body of a 2xx, or the exception its error body stands for. */
    private JsonNode checked(ViCareHttp.Response r, String what) throws DeviceException {
        int status = r.status();
        JsonNode body = parse(r.body());
        if (status >= 200 && status < 300) {
            return body == null ? JSON.createObjectNode() : body;
        }
        String errorType = body == null ? "" : body.path("errorType").asText("");
        JsonNode extended = body == null ? JSON.missingNode() : body.path("extendedPayload");
        String reason = extended.path("reason").asText("");
        String id = body == null ? "" : body.path("viErrorId").asText("");
        String ref = id.isEmpty() ? "" : " (viErrorId " + id + ")";
        if (status == 429 || "RATE_LIMIT_EXCEEDED".equals(errorType)) {
            long resetMillis = extended.path("limitReset").asLong(0);
            Instant reset = resetMillis > 0 ? Instant.ofEpochMilli(resetMillis) : Instant.now().plusSeconds(600);
            String name = extended.path("name").asText("rate limit");
            int limit = extended.path("requestCountLimit").asInt(0);
            String msg = "ViCare API rate limit exceeded (" + name + (limit > 0 ? ", " + limit + " calls" : "")
                    + "); no calls until " + reset;
            account.quota().blockUntil(reset, msg);
            throw new DeviceRateLimitedException(msg, reset);
        }
        if ("DEVICE_OFFLINE".equals(reason)) {
            throw new DeviceUnreachableException("the heat pump is offline for ViCare (DEVICE_OFFLINE): the cloud "
                    + "cannot reach it through its gateway" + ref);
        }
        if ("GATEWAY_OFFLINE".equals(reason)) {
            throw new DeviceUnreachableException("the ViCare gateway (Vitoconnect) " + connection.gatewaySerial()
                    + " is offline (GATEWAY_OFFLINE); power-cycling it usually helps" + ref);
        }
        if (status >= 500) {
            String detail = body == null ? "a non-JSON page" : errorType + (reason.isEmpty() ? "" : " " + reason);
            throw new DeviceUnreachableException("ViCare API server error HTTP " + status + " (" + detail + ")" + ref);
        }
        if (status == 401 || status == 403 && errorType.isEmpty()) {
            throw new ViCareSignInException("ViCare API refused the access token (HTTP " + status + ")");
        }
        if ("PACKAGE_NOT_PAID_FOR".equals(errorType)) {
            throw new DeviceProtocolException("this ViCare account's API package does not include this call "
                    + "(PACKAGE_NOT_PAID_FOR)" + ref, status);
        }
        String message = body == null ? "" : body.path("message").asText("");
        throw new DeviceProtocolException("ViCare API answered HTTP " + status + " to " + what.replaceAll("\\?.*", "")
                + (errorType.isEmpty() ? "" : ": " + errorType) + (reason.isEmpty() ? "" : " " + reason)
                + (message.isEmpty() ? "" : " – " + message) + ref, status);
    }

    static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(text);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null; // a 502 may be an HTML page (PyViCare guards the same)
        }
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The account's own pacing refused the call (nothing was sent). */
    static final class QuotaDenied extends DeviceRateLimitedException {
        private static final long serialVersionUID = 1L;

        QuotaDenied(String message, Instant retryAt) {
            super(message, retryAt);
        }
    }

    /** The refresh token or access token was refused: a person has to sign in again. */
    static final class ViCareSignInException extends DeviceUnreachableException {
        private static final long serialVersionUID = 1L;

        ViCareSignInException(String message) {
            super(message);
        }
    }
}
