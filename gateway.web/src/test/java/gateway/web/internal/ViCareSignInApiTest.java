package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.CloudSignIn;

/**
 * {@code /api/vicare/*} over real HTTP with a stand-in for the driver's sign-in service that checks PKCE itself
 * (the driver's own test runs the real one against the fake ViCare IAM): the flow, the errors, and that the refresh
 * token never appears in an answer while the device is stored with it.
 */
class ViCareSignInApiTest extends ApiTestBase {

    private static final String SECRET_REFRESH = "rt-very-secret-4711";
    private final FakeIam iam = new FakeIam();

    @BeforeEach
    void offerSignIn() {
        servlet.addCloudSignIn(iam);
    }

    @Test
    void signInListAndCreateWithoutTheTokenEverReachingTheBrowser() throws Exception {
        Response start = send("POST", "/api/vicare/authorize", "ada",
                "{\"client_id\": \"my-client\", \"redirect_uri\": \"http://localhost:4200/\"}");
        assertEquals(200, start.status(), start.body());
        String state = start.json().get("state").asText();
        Map<String, String> q = query(start.json().get("authorize_url").asText());
        assertEquals("S256", q.get("code_challenge_method"));
        assertEquals(43, q.get("code_challenge").length(), "base64url of a SHA-256 digest");
        assertEquals(state, q.get("state"));
        assertEquals("my-client", q.get("client_id"));

        String code = iam.approve(q.get("code_challenge"));
        Response token = send("POST", "/api/vicare/token", "ada",
                "{\"state\": \"" + state + "\", \"code\": \"" + code + "\"}");
        assertEquals(200, token.status(), token.body());
        assertFalse(token.body().contains(SECRET_REFRESH), token.body());
        String handle = token.json().get("handle").asText();
        assertEquals("handle:" + handle, token.json().get("refresh_token").asText());

        Response list = get("/api/vicare/installations?handle=" + handle, "ada");
        assertEquals(200, list.status(), list.body());
        assertFalse(list.body().contains(SECRET_REFRESH), list.body());
        assertEquals("123456", list.json().at("/devices/0/connection_options/installation_id").asText());
        assertEquals("handle:" + handle, list.json().at("/connection_options/refresh_token").asText());

        String id = createDevice("""
                {"manufacturer": "acme", "model": "aw10", "connection_config": {"host": "api",
                 "options": {"client_id": "my-client", "refresh_token": "handle:%s", "installation_id": "123456"}}}
                """.formatted(handle));
        assertEquals(SECRET_REFRESH, manager.heatpump(id).orElseThrow().connection().options().get("refresh_token"));
        Response shown = get("/api/heatpumps/" + id, "ada");
        assertFalse(shown.body().contains(SECRET_REFRESH), shown.body());
    }

    @Test
    void badStateWrongCodeAndUnknownHandleAre422WithTheFieldNamed() throws Exception {
        Response badState = send("POST", "/api/vicare/token", "ada", "{\"state\": \"nope\", \"code\": \"c\"}");
        assertEquals(422, badState.status(), badState.body());
        assertTrue(badState.json().get("errors").get(0).asText().startsWith("state:"), badState.body());

        Response start = send("POST", "/api/vicare/authorize", "ada",
                "{\"client_id\": \"my-client\", \"redirect_uri\": \"http://localhost:4200/\"}");
        iam.approve(query(start.json().get("authorize_url").asText()).get("code_challenge"));
        Response wrong = send("POST", "/api/vicare/token", "ada",
                "{\"state\": \"" + start.json().get("state").asText() + "\", \"code\": \"not-the-code\"}");
        assertEquals(422, wrong.status(), wrong.body());
        assertTrue(wrong.json().get("errors").get(0).asText().startsWith("code:"), wrong.body());
        // the state was used up by the failed exchange
        Response again = send("POST", "/api/vicare/token", "ada",
                "{\"state\": \"" + start.json().get("state").asText() + "\", \"code\": \"x\"}");
        assertEquals(422, again.status());

        Response noClient = send("POST", "/api/vicare/authorize", "ada", "{\"redirect_uri\": \"ftp://x\"}");
        assertEquals(422, noClient.status(), noClient.body());
        assertTrue(noClient.body().contains("client_id") && noClient.body().contains("redirect_uri"));

        assertEquals(422, get("/api/vicare/installations?handle=unknown", "ada").status());
        assertEquals(422, get("/api/vicare/installations", "ada").status());
        Response create = send("POST", "/api/heatpumps", "ada", """
                {"manufacturer": "acme", "model": "aw10", "connection_config": {"host": "api",
                 "options": {"client_id": "my-client", "refresh_token": "handle:forged"}}}
                """);
        assertEquals(422, create.status(), create.body());
        assertTrue(create.body().contains("connection_config.options.refresh_token"), create.body());
    }

    @Test
    void adminOnlyAnd503WithoutTheDriver() throws Exception {
        String body = "{\"client_id\": \"c\", \"redirect_uri\": \"http://localhost/\"}";
        assertEquals(403, send("POST", "/api/vicare/authorize", "oscar", body).status());
        assertEquals(401, send("POST", "/api/vicare/authorize", null, body).status());
        servlet.removeCloudSignIn(iam);
        assertEquals(503, send("POST", "/api/vicare/authorize", "ada", body).status());
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** An IAM in memory: a code per approved challenge, the exchange checks S256(verifier) == challenge. */
    static final class FakeIam implements CloudSignIn {
        private final Map<String, String> codes = new ConcurrentHashMap<>();

        String approve(String challenge) {
            String code = "code-" + codes.size();
            codes.put(code, challenge);
            return code;
        }

        @Override
        public String manufacturerId() {
            return "viessmann";
        }

        @Override
        public List<String> validate(Map<String, String> options, String redirectUri) {
            List<String> p = new java.util.ArrayList<>();
            if (!options.containsKey("client_id")) {
                p.add("client_id: required");
            }
            if (!redirectUri.startsWith("http")) {
                p.add("redirect_uri: must be an http(s) URL");
            }
            return p;
        }

        @Override
        public String authorizeUrl(Map<String, String> options, String redirectUri, String state, String challenge) {
            return "https://iam.example/authorize?client_id=" + options.get("client_id")
                    + "&code_challenge_method=S256&code_challenge=" + challenge + "&state=" + state;
        }

        @Override
        public String exchangeCode(Map<String, String> options, String redirectUri, String code, String verifier)
                throws Refused {
            String challenge = codes.remove(code);
            if (challenge == null || !challenge.equals(ViCareSignInResource.challenge(verifier))) {
                throw new Refused("invalid_grant", false);
            }
            return SECRET_REFRESH;
        }

        @Override
        public Devices devices(Map<String, String> options, String refreshToken) throws Refused {
            if (!SECRET_REFRESH.equals(refreshToken)) {
                throw new Refused("invalid_grant", false);
            }
            return new Devices(List.of(new Device("Home / 7736 / device 0", "E3_Vitocal_16", Map.of(
                    "installation_id", "123456", "gateway_serial", "7736", "device_id", "0"))), refreshToken);
        }
    }
}
