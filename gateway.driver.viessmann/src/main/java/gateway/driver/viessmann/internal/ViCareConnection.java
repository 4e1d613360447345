package gateway.driver.viessmann.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import gateway.core.api.ConnectionConfig;

/**
 * The connection options of a ViCare device (contract names from issue #17). Host and port of the
 * {@link ConnectionConfig} are not used: the API is reached at {@code api_base_url}.
 */
record ViCareConnection(String clientId, String refreshToken, String installationId, String gatewaySerial,
                        String deviceId, String apiBaseUrl, String tokenUrl) {

    static final String CLIENT_ID = "client_id";
    static final String REFRESH_TOKEN = "refresh_token";
    static final String INSTALLATION_ID = "installation_id";
    static final String GATEWAY_SERIAL = "gateway_serial";
    static final String DEVICE_ID = "device_id";
    static final String API_BASE_URL = "api_base_url";
    static final String TOKEN_URL = "token_url";

    static final Set<String> OPTIONS = Set.of(CLIENT_ID, REFRESH_TOKEN, INSTALLATION_ID, GATEWAY_SERIAL, DEVICE_ID,
            API_BASE_URL, TOKEN_URL);

    /** Fact sheet §1. */
    static final String DEFAULT_API_BASE_URL = "https://api.viessmann-climatesolutions.com/iot/v2";
    static final String DEFAULT_TOKEN_URL = "https://iam.viessmann-climatesolutions.com/idp/v3/token";
    static final String AUTHORIZE_URL = "https://iam.viessmann-climatesolutions.com/idp/v3/authorize";
    /** The heat pump is device 0 on its gateway in every dump (fact sheet §2). */
    static final String DEFAULT_DEVICE_ID = "0";

    static ViCareConnection of(ConnectionConfig c) {
        Map<String, String> o = c.options();
        String base = o.getOrDefault(API_BASE_URL, "").trim();
        String token = o.getOrDefault(TOKEN_URL, "").trim();
        String device = o.getOrDefault(DEVICE_ID, "").trim();
        return new ViCareConnection(o.getOrDefault(CLIENT_ID, "").trim(), o.getOrDefault(REFRESH_TOKEN, "").trim(),
                o.getOrDefault(INSTALLATION_ID, "").trim(), o.getOrDefault(GATEWAY_SERIAL, "").trim(),
                device.isEmpty() ? DEFAULT_DEVICE_ID : device,
                stripSlash(base.isEmpty() ? DEFAULT_API_BASE_URL : base), token.isEmpty() ? DEFAULT_TOKEN_URL : token);
    }

    /** What is missing or malformed, each naming its option. */
    List<String> problems() {
        List<String> out = new ArrayList<>();
        required(out, CLIENT_ID, clientId, "the client id of your app in the Viessmann developer portal");
        required(out, REFRESH_TOKEN, refreshToken, "from the ViCare sign-in");
        required(out, INSTALLATION_ID, installationId, "the installation's id in ViCare");
        required(out, GATEWAY_SERIAL, gatewaySerial, "the serial of the Vitoconnect/TCU gateway");
        url(out, API_BASE_URL, apiBaseUrl);
        url(out, TOKEN_URL, tokenUrl);
        return out;
    }

    private static void required(List<String> out, String key, String value, String what) {
        if (value.isEmpty()) {
            out.add("connection option " + key + " is required (" + what + ")");
        }
    }

    private static void url(List<String> out, String key, String value) {
        try {
            URI u = new URI(value);
            if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
                out.add("connection option " + key + " must be an http(s) URL, not '" + value + "'");
            }
        } catch (URISyntaxException e) {
            out.add("connection option " + key + " is not a URL: " + e.getReason());
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Never the refresh token: records print their components. */
    @Override
    public String toString() {
        return "ViCareConnection[client " + clientId + ", installation " + installationId + ", gateway "
                + gatewaySerial + ", device " + deviceId + ", " + apiBaseUrl + "]";
    }
}
