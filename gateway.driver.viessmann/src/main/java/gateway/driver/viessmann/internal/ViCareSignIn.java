package gateway.driver.viessmann.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.CloudSignIn;

/**
 * The console wizard's ViCare sign-in: the IAM authorize URL (scope {@code IoT User offline_access}, PKCE S256), the
 * authorization-code grant, and the installations list ({@code /equipment/installations?includeGateways=true}) as
 * the devices to choose from. Not paced by {@link ViCareQuota}: a person runs it once, and it costs one API call.
 */
@Component(service = CloudSignIn.class, property = CloudSignIn.MANUFACTURER_PROPERTY + "="
        + ViCareDriver.MANUFACTURER_ID)
public final class ViCareSignIn implements CloudSignIn {

    static final String AUTHORIZE_URL_OPTION = "authorize_url";
    static final String SCOPE = "IoT User offline_access";
    private static final Duration TIMEOUT = Duration.ofSeconds(31);

    @Override
    public String manufacturerId() {
        return ViCareDriver.MANUFACTURER_ID;
    }

    @Override
    public List<String> validate(Map<String, String> options, String redirectUri) {
        List<String> problems = new ArrayList<>();
        if (options.getOrDefault(ViCareConnection.CLIENT_ID, "").isBlank()) {
            problems.add("client_id: required (the client id of your app in the Viessmann developer portal)");
        }
        url(problems, "redirect_uri", redirectUri);
        for (String key : List.of(ViCareConnection.TOKEN_URL, AUTHORIZE_URL_OPTION, ViCareConnection.API_BASE_URL)) {
            String v = options.getOrDefault(key, "");
            if (!v.isBlank()) {
                url(problems, key, v);
            }
        }
        return problems;
    }

    private static void url(List<String> problems, String field, String value) {
        try {
            URI u = new URI(value == null ? "" : value.trim());
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                problems.add(field + ": must be an http(s) URL");
            }
        } catch (URISyntaxException e) {
            problems.add(field + ": not a URL (" + e.getReason() + ")");
        }
    }

    @Override
    public String authorizeUrl(Map<String, String> options, String redirectUri, String state, String challenge) {
        return authorizeEndpoint(options) + "?client_id=" + enc(options.get(ViCareConnection.CLIENT_ID).trim())
                + "&redirect_uri=" + enc(redirectUri.trim()) + "&scope=" + enc(SCOPE) + "&response_type=code"
                + "&code_challenge_method=S256&code_challenge=" + enc(challenge) + "&state=" + enc(state);
    }

    /**
     * The authorize endpoint: its own option, else the token URL's sibling (Viessmann's IAM serves
     * {@code …/idp/v3/authorize} next to {@code …/idp/v3/token}, and so does a test's fake or a proxy that mirrors
     * it), else Viessmann's.
     */
    static String authorizeEndpoint(Map<String, String> options) {
        String own = options.getOrDefault(AUTHORIZE_URL_OPTION, "").trim();
        if (!own.isEmpty()) {
            return own;
        }
        String token = options.getOrDefault(ViCareConnection.TOKEN_URL, "").trim().replaceAll("/+$", "");
        if (token.endsWith("/token")) {
            return token.substring(0, token.length() - "/token".length()) + "/authorize";
        }
        return ViCareConnection.AUTHORIZE_URL;
    }

    @Override
    public String exchangeCode(Map<String, String> options, String redirectUri, String code, String verifier)
            throws Refused {
        JsonNode body = token(options, "grant_type=authorization_code&client_id="
                + enc(options.get(ViCareConnection.CLIENT_ID).trim()) + "&redirect_uri=" + enc(redirectUri.trim())
                + "&code=" + enc(code) + "&code_verifier=" + enc(verifier),
                "the code is wrong, expired or already used, or the redirect URI differs from the one signed in with");
        String refresh = body.path("refresh_token").asText("");
        if (refresh.isEmpty()) {
            throw new Refused("ViCare sign-in gave no refresh token: the client needs the scope offline_access",
                    false);
        }
        return refresh;
    }

    @Override
    public Devices devices(Map<String, String> options, String refreshToken) throws Refused {
        JsonNode token = token(options, "grant_type=refresh_token&client_id="
                + enc(options.get(ViCareConnection.CLIENT_ID).trim()) + "&refresh_token=" + enc(refreshToken),
                "the refresh token is expired or revoked; sign in again");
        String base = option(options, ViCareConnection.API_BASE_URL, ViCareConnection.DEFAULT_API_BASE_URL)
                .replaceAll("/+$", "");
        ViCareHttp.Response r = send("GET", URI.create(base + "/equipment/installations?includeGateways=true"),
                Map.of("Accept", "application/json", "Authorization", "Bearer " + token.path("access_token").asText()),
                null, "ViCare API");
        JsonNode body = ViCareClient.parse(r.body());
        if (r.status() != 200 || body == null) {
            throw new Refused("ViCare API answered HTTP " + r.status() + " to the installations list"
                    + (body == null ? "" : ": " + body.path("errorType").asText("")), r.status() >= 500);
        }
        List<Device> out = new ArrayList<>();
        for (JsonNode inst : body.path("data")) {
            for (JsonNode gw : inst.path("gateways")) {
                for (JsonNode dev : gw.path("devices")) {
                    Map<String, String> o = new LinkedHashMap<>();
                    o.put(ViCareConnection.INSTALLATION_ID, inst.path("id").asText());
                    o.put(ViCareConnection.GATEWAY_SERIAL, gw.path("serial").asText());
                    o.put(ViCareConnection.DEVICE_ID, dev.path("id").asText());
                    String label = inst.path("description").asText("installation " + inst.path("id").asText())
                            + " / " + gw.path("serial").asText() + " / device " + dev.path("id").asText()
                            + " (" + dev.path("modelId").asText("?") + ")";
                    out.add(new Device(label, dev.path("modelId").asText(""), o));
                }
            }
        }
        String rotated = token.path("refresh_token").asText("");
        return new Devices(out, rotated.isEmpty() ? refreshToken : rotated);
    }

    private JsonNode token(Map<String, String> options, String form, String refusedHint) throws Refused {
        ViCareHttp.Response r = send("POST",
                URI.create(option(options, ViCareConnection.TOKEN_URL, ViCareConnection.DEFAULT_TOKEN_URL)),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"), form,
                "ViCare sign-in (token endpoint)");
        JsonNode body = ViCareClient.parse(r.body());
        if (r.status() >= 500) {
            throw new Refused("ViCare sign-in (token endpoint) answered HTTP " + r.status(), true);
        }
        if (r.status() != 200 || body == null || !body.hasNonNull("access_token")) {
            String error = body == null ? "" : body.path("error").asText("");
            throw new Refused("ViCare sign-in refused (HTTP " + r.status() + (error.isEmpty() ? "" : ", " + error)
                    + "): " + refusedHint, false);
        }
        return body;
    }

    private static ViCareHttp.Response send(String method, URI uri, Map<String, String> headers, String body,
            String what) throws Refused {
        try {
            return new ViCareHttp().exchange(method, uri, headers, body, TIMEOUT);
        } catch (IOException e) {
            throw new Refused(what + " at " + uri.getHost() + " not reachable: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), true);
        }
    }

    private static String option(Map<String, String> options, String key, String fallback) {
        String v = options.getOrDefault(key, "").trim();
        return v.isEmpty() ? fallback : v;
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
