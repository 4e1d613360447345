package gateway.driver.viessmann.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.CloudSignIn;

/** The wizard's sign-in against the fake IAM and API: PKCE S256 checked by the fake, the installations listed. */
class ViCareSignInTest {

    /** RFC 7636 appendix B: the verifier and its S256 challenge. */
    private static final String RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static final String REDIRECT = "http://localhost:4200/";

    private ViCareSimulator sim;
    private final ViCareSignIn signIn = new ViCareSignIn();
    private Map<String, String> options;

    @BeforeEach
    void start() throws Exception {
        sim = ViCareSimulator.start(0, Clock.systemUTC());
        Map<String, String> all = sim.connectionOptions();
        options = new HashMap<>();
        options.put("client_id", all.get("client_id"));
        options.put("token_url", all.get("token_url"));
        options.put("api_base_url", all.get("api_base_url"));
        // no authorize_url: the sign-in derives it from the token URL, as the wizard leaves it to
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void theFakeChecksTheRfc7636Example() {
        assertEquals(RFC_CHALLENGE, ViCareSimulator.s256(RFC_VERIFIER));
    }

    @Test
    void signsInWithPkceAndListsTheAccountsDevices() throws Exception {
        String code = codeFromAuthorizePage(RFC_CHALLENGE, "st-1");
        String refresh = signIn.exchangeCode(options, REDIRECT, code, RFC_VERIFIER);
        assertEquals(ViCareSimulator.REFRESH_TOKEN, refresh);

        CloudSignIn.Devices devices = signIn.devices(options, refresh);
        assertEquals(1, devices.devices().size());
        CloudSignIn.Device d = devices.devices().get(0);
        assertEquals(Map.of("installation_id", ViCareSimulator.INSTALLATION_ID, "gateway_serial",
                ViCareSimulator.GATEWAY_SERIAL, "device_id", "0"), d.connectionOptions());
        assertEquals("E3_Vitocal_16", d.model());
        assertEquals(ViCareSimulator.REFRESH_TOKEN, devices.refreshToken());
    }

    @Test
    void aWrongVerifierOrAReusedCodeIsRefused() throws Exception {
        String code = codeFromAuthorizePage(RFC_CHALLENGE, "st-2");
        CloudSignIn.Refused wrong = assertThrows(CloudSignIn.Refused.class,
                () -> signIn.exchangeCode(options, REDIRECT, code, RFC_VERIFIER + "x"));
        assertTrue(wrong.getMessage().contains("invalid_grant"), wrong.getMessage());
        assertFalse(wrong.unreachable());
        // the code was spent by the failed attempt, as an IAM does
        assertThrows(CloudSignIn.Refused.class, () -> signIn.exchangeCode(options, REDIRECT, code, RFC_VERIFIER));
    }

    @Test
    void aRevokedRefreshTokenIsRefusedOnListing() {
        CloudSignIn.Refused e = assertThrows(CloudSignIn.Refused.class, () -> signIn.devices(options, "not-mine"));
        assertFalse(e.getMessage().contains("not-mine"), "the token must not appear in the message");
    }

    @Test
    void theAuthorizeUrlCarriesPkceAndScope() {
        String url = signIn.authorizeUrl(Map.of("client_id", "abc"), REDIRECT, "s t", RFC_CHALLENGE);
        assertTrue(url.startsWith("https://iam.viessmann-climatesolutions.com/idp/v3/authorize?client_id=abc"), url);
        assertTrue(url.contains("&code_challenge_method=S256&code_challenge=" + RFC_CHALLENGE), url);
        assertTrue(url.contains("&scope=IoT%20User%20offline_access"), url);
        assertTrue(url.contains("&redirect_uri=http%3A%2F%2Flocalhost%3A4200%2F"), url);
        assertEquals(List.of("client_id: required (the client id of your app in the Viessmann developer portal)",
                "redirect_uri: must be an http(s) URL"), signIn.validate(Map.of(), "nope"));
    }

    @Test
    void theAuthorizeUrlIsItsOwnOptionElseTheTokenUrlsSiblingElseViessmanns() {
        assertEquals("https://proxy.example/iam/authorize", ViCareSignIn.authorizeEndpoint(Map.of(
                "authorize_url", "https://proxy.example/iam/authorize", "token_url", "https://x.example/token")));
        assertEquals("http://127.0.0.1:9/idp/v3/authorize", ViCareSignIn.authorizeEndpoint(Map.of(
                "token_url", "http://127.0.0.1:9/idp/v3/token/")));
        assertEquals("https://iam.viessmann-climatesolutions.com/idp/v3/authorize",
                ViCareSignIn.authorizeEndpoint(Map.of("token_url", "https://odd.example/oauth")));
        assertEquals("https://iam.viessmann-climatesolutions.com/idp/v3/authorize",
                ViCareSignIn.authorizeEndpoint(Map.of()));
    }

    /** What the browser does: open the authorize URL, sign in, land at the redirect URI with code and state. */
    private String codeFromAuthorizePage(String challenge, String state) throws Exception {
        String url = signIn.authorizeUrl(options, REDIRECT, state, challenge);
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, page.statusCode(), "the IAM redirects back as a browser expects: " + page.body());
        String landing = page.headers().firstValue("Location").orElseThrow();
        assertTrue(landing.startsWith(REDIRECT + "?code="), landing);
        assertTrue(landing.endsWith("&state=" + state), landing);
        return landing.replaceAll(".*code=([^&]*).*", "$1");
    }
}
