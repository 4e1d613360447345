package gateway.web.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.CloudSignIn;
import gateway.core.api.UserStore.Role;

/**
 * {@code /vicare/*}: the console wizard's ViCare sign-in (OAuth2 authorization code with PKCE S256, the user's own
 * client id). The gateway makes state and verifier and keeps the verifier in memory for {@link #PENDING_FOR}; the
 * code is exchanged here and the refresh token stays in memory under a handle for {@link #HANDLE_FOR}. The browser
 * only ever sees the handle: it creates the device with {@code refresh_token: "handle:<id>"}, which
 * {@link #resolve} swaps for the token before the manager stores it (encrypted, as every secret option).
 * The vendor's endpoints are the driver's ({@link CloudSignIn}), so this class knows no ViCare URL.
 */
final class ViCareSignInResource {

    private static final Logger LOG = LoggerFactory.getLogger(ViCareSignInResource.class);
    static final String MANUFACTURER = "viessmann";
    static final String HANDLE_PREFIX = "handle:";
    static final Duration PENDING_FOR = Duration.ofMinutes(10);
    static final Duration HANDLE_FOR = Duration.ofMinutes(30);
    private static final int MAX_PENDING = 100;

    record ViCareAuthorizeInput(String clientId, String redirectUri, String tokenUrl, String authorizeUrl,
                          String apiBaseUrl) {
    }

    record ViCareAuthorizeView(String authorizeUrl, String state) {
    }

    record ViCareTokenInput(String state, String code) {
    }

    /** @param refreshToken the option value to create the device with: the handle, never the token */
    record ViCareHandleView(String handle, String refreshToken, Instant expiresAt) {
    }

    record ViCareDeviceChoice(String label, String model, Map<String, String> connectionOptions) {
    }

    record ViCareInstallationsView(String handle, Map<String, String> connectionOptions,
                                   List<ViCareDeviceChoice> devices) {
    }

    private record Pending(Map<String, String> options, String redirectUri, String verifier, Instant expiresAt) {
    }

    private record Held(Map<String, String> options, String refreshToken, Instant expiresAt) {
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Held> handles = new ConcurrentHashMap<>();
    final Map<String, CloudSignIn> signIns = new ConcurrentHashMap<>();

    ViCareSignInResource(Clock clock) {
        this.clock = clock;
    }

    void register(Router router) {
        router.add("POST", "/vicare/authorize", Role.ADMIN, "ViCare sign-in: start ({\"client_id\", "
                                + "\"redirect_uri\"}); answers the authorize URL (PKCE S256) and its state",
                        this::authorize)
                .add("POST", "/vicare/token", Role.ADMIN, "ViCare sign-in: exchange the returned code "
                        + "({\"state\", \"code\"}); the refresh token stays in the gateway under a handle", this::token)
                .add("GET", "/vicare/installations", Role.ADMIN, "ViCare sign-in: the account's installations, "
                        + "gateways and devices (?handle=) to choose from", this::installations);
    }

    private CloudSignIn signIn() {
        CloudSignIn s = signIns.get(MANUFACTURER);
        if (s == null) {
            throw ApiException.unavailable("vicare-unavailable", "ViCare sign-in unavailable",
                    "the Viessmann driver bundle (gateway.driver.viessmann) is not running");
        }
        return s;
    }

    private Object authorize(ApiRequest request) throws Exception {
        ViCareAuthorizeInput in = request.body(ViCareAuthorizeInput.class);
        CloudSignIn signIn = signIn();
        Map<String, String> options = new LinkedHashMap<>();
        put(options, "client_id", in.clientId());
        put(options, "token_url", in.tokenUrl());
        put(options, "authorize_url", in.authorizeUrl());
        put(options, "api_base_url", in.apiBaseUrl());
        String redirect = in.redirectUri() == null ? "" : in.redirectUri().trim();
        List<String> problems = signIn.validate(options, redirect);
        if (!problems.isEmpty()) {
            throw ApiException.invalid("the sign-in cannot start", problems);
        }
        Instant now = clock.instant();
        pending.values().removeIf(p -> p.expiresAt().isBefore(now));
        if (pending.size() >= MAX_PENDING) {
            throw ApiException.invalid("too many sign-ins in progress", List.of("state: finish or let the "
                    + "pending sign-ins expire (" + PENDING_FOR.toMinutes() + " minutes)"));
        }
        String state = randomToken(16);
        String verifier = randomToken(32); // 43 characters of base64url, RFC 7636 §4.1
        pending.put(state, new Pending(Map.copyOf(options), redirect, verifier, now.plus(PENDING_FOR)));
        return new ViCareAuthorizeView(signIn.authorizeUrl(options, redirect, state, challenge(verifier)), state);
    }

    private Object token(ApiRequest request) throws Exception {
        ViCareTokenInput in = request.body(ViCareTokenInput.class);
        List<String> problems = new ArrayList<>();
        if (in.state() == null || in.state().isBlank()) {
            problems.add("state: required (as answered by /vicare/authorize)");
        }
        if (in.code() == null || in.code().isBlank()) {
            problems.add("code: required (the code parameter of the redirect URL)");
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid("the sign-in is incomplete", problems);
        }
        CloudSignIn signIn = signIn();
        Pending p = pending.remove(in.state().trim()); // one attempt per state: a new code needs a new sign-in
        if (p == null || p.expiresAt().isBefore(clock.instant())) {
            throw ApiException.invalid("unknown or expired sign-in", List.of("state: unknown or older than "
                    + PENDING_FOR.toMinutes() + " minutes; start the sign-in again"));
        }
        String refresh;
        try {
            refresh = signIn.exchangeCode(p.options(), p.redirectUri(), in.code().trim(), p.verifier());
        } catch (CloudSignIn.Refused e) {
            throw refused(e, "code");
        }
        Instant now = clock.instant();
        handles.values().removeIf(h -> h.expiresAt().isBefore(now));
        String handle = randomToken(16);
        Instant expires = now.plus(HANDLE_FOR);
        handles.put(handle, new Held(p.options(), refresh, expires));
        LOG.info("vicare sign-in completed by {} for client {}", request.user().name(), p.options().get("client_id"));
        return new ViCareHandleView(handle, HANDLE_PREFIX + handle, expires);
    }

    private Object installations(ApiRequest request) {
        String handle = request.query("handle");
        if (handle == null) {
            throw ApiException.invalid("which sign-in?", List.of("handle: required (as answered by /vicare/token)"));
        }
        handle = handle.startsWith(HANDLE_PREFIX) ? handle.substring(HANDLE_PREFIX.length()) : handle;
        Held held = held(handle);
        if (held == null) {
            throw ApiException.invalid("unknown or expired sign-in", List.of("handle: unknown or expired; sign in "
                    + "again"));
        }
        CloudSignIn.Devices devices;
        try {
            devices = signIn().devices(held.options(), held.refreshToken());
        } catch (CloudSignIn.Refused e) {
            throw refused(e, "handle");
        }
        if (!devices.refreshToken().equals(held.refreshToken())) {
            handles.put(handle, new Held(held.options(), devices.refreshToken(), held.expiresAt()));
        }
        Map<String, String> connection = new LinkedHashMap<>(held.options());
        connection.remove("authorize_url"); // a sign-in option, not a connection option
        connection.put("refresh_token", HANDLE_PREFIX + handle);
        return new ViCareInstallationsView(handle, connection, devices.devices().stream()
                .map(d -> new ViCareDeviceChoice(d.label(), d.model(), d.connectionOptions())).toList());
    }

    /**
     * The real refresh token for a {@code handle:<id>} option value, checked against the device's client id; null
     * (and a problem named after the field) when the handle is unknown, expired or for another client id.
     */
    String resolve(String value, String clientId, String field, List<String> problems) {
        Held held = held(value.substring(HANDLE_PREFIX.length()));
        if (held == null) {
            problems.add(field + ": the sign-in handle is unknown or expired (" + HANDLE_FOR.toMinutes()
                    + " minutes); sign in again");
            return null;
        }
        if (clientId != null && !clientId.trim().equals(held.options().get("client_id"))) {
            problems.add(field + ": the sign-in was made with another client_id");
            return null;
        }
        return held.refreshToken();
    }

    private Held held(String handle) {
        Held h = handles.get(handle);
        return h == null || h.expiresAt().isBefore(clock.instant()) ? null : h;
    }

    private static ApiException refused(CloudSignIn.Refused e, String field) {
        if (e.unreachable()) {
            return ApiException.unavailable("vicare-unreachable", "ViCare not reachable", e.getMessage());
        }
        return ApiException.invalid("ViCare refused the sign-in", List.of(field + ": " + e.getMessage()));
    }

    private static void put(Map<String, String> options, String key, String value) {
        if (value != null && !value.isBlank()) {
            options.put(key, value.trim());
        }
    }

    private String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
