package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * The Felix Web Console in the real gateway.jar: behind the gateway's own accounts, admins only, and its built-in
 * admin:admin login does not work.
 */
@ExtendWith(BundleContextExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebConsoleEndToEndTest {

    private static final String ADMIN_PASSWORD = "e2e-Console-admin-5120";
    private static final String BUNDLES_PAGE = "/system/console/bundles";

    @InjectBundleContext
    BundleContext context;

    private GatewayProcess gateway;
    private ApiClient admin;

    @BeforeAll
    void startGateway() throws Exception {
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"),
                Files.createTempDirectory("gateway-console"), Map.of("GATEWAY_ADMIN_PASSWORD", ADMIN_PASSWORD));
        admin = new ApiClient(gateway.port, "admin", ADMIN_PASSWORD);
        for (String[] user : new String[][] {{"vera", "viewer"}, {"otto", "operator"}}) {
            ApiClient.Response r = admin.post("/api/users",
                    Map.of("name", user[0], "password", user[0] + "-password-1", "role", user[1]));
            assertEquals(201, r.status(), r.body());
        }
        // The console registers once its security provider is there, a moment after /api/health may answer.
        Await.until("web console registered", Duration.ofSeconds(30),
                () -> admin.get(BUNDLES_PAGE).status() != 404);
    }

    @AfterAll
    void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void withoutCredentialsTheConsoleAsksForThem() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port + BUNDLES_PAGE)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "),
                "a browser shows its login dialog");
        assertEquals(401, new ApiClient(gateway.port, null, null).get("/system/console/res/lib/jquery-3.7.1.js")
                .status(), "the console's own files are behind the login as well");
    }

    @Test
    void theConsolesDefaultAdminPasswordIsRefused() {
        int status = new ApiClient(gateway.port, "admin", "admin").get(BUNDLES_PAGE).status();
        assertTrue(status == 401 || status == 403, "admin:admin got " + status);
    }

    @Test
    void viewersAndOperatorsAreForbidden() {
        assertEquals(403, new ApiClient(gateway.port, "vera", "vera-password-1").get(BUNDLES_PAGE).status());
        assertEquals(403, new ApiClient(gateway.port, "otto", "otto-password-1").get(BUNDLES_PAGE).status());
    }

    @Test
    void anAdminSeesTheBundlesAndComponents() {
        ApiClient.Response page = admin.get(BUNDLES_PAGE);
        assertEquals(200, page.status(), page.body());
        assertTrue(page.contentType().startsWith("text/html"), page.contentType());
        ApiClient.Response json = admin.get(BUNDLES_PAGE + ".json");
        assertEquals(200, json.status());
        assertTrue(json.body().contains("\"gateway.web\""), "our bundles are listed: " + json.body());
        assertEquals(200, admin.get("/system/console/components").status(), "the DS plugin is there");
    }

    @Test
    void theGatewayLoginSessionOfAnAdminOpensTheConsoleToo() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + gateway.port;
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        String cookie = login.headers().firstValue("Set-Cookie").orElse(null);
        assertNotNull(cookie);
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + BUNDLES_PAGE))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
    }
}
