package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpSimulator;

/**
 * The console wizard's ViCare sign-in in a real headless Chromium, against gateway.jar and the driver's fake ViCare
 * API: the client id and the fake's token and API URLs typed in (the authorize URL left to follow the token URL),
 * the browser sent to the fake IAM, redirected back (302) to the console's callback page, the code exchanged by the
 * gateway (PKCE verifier checked by the fake), the account's device chosen, tested and saved; the device then polls
 * and shows the fake API's values. The refresh token is in no answer the gateway gives, nor in the page or a backup.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViCareWizardBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ADMIN_PASSWORD = "console-ViCare-pass-4471";
    private static final String BSN = "gateway.driver.viessmann";
    /** heating.dhw.temperature.main (fact sheet §4) and heating.sensors.temperature.outside. */
    private static final String DHW_TARGET = "dhw_target_temperature";
    private static final String OUTDOOR = "outdoor_temperature";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    private final List<Bundle> installed = new ArrayList<>();
    private HeatpumpSimulator.Running sim;
    private GatewayProcess gateway;
    private HeadlessChromium browser;
    private ApiClient admin;
    private String base;

    @BeforeAll
    void start() throws Exception {
        if (DriverBundles.installed(context, BSN).isEmpty()) {
            installed.add(DriverBundles.start(context, BSN));
        }
        HeatpumpSimulator vicare = Await.value("viessmann/vicare simulator", WAIT, () -> simulators.getServices()
                .stream().filter(s -> s.manufacturerId().equals("viessmann") && s.modelId().equals("vicare"))
                .findFirst().orElse(null));
        sim = vicare.start(0, DeviceConfig.empty());
        Path data = Files.createTempDirectory("gateway-vicare-wizard");
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data,
                Map.of("GATEWAY_ADMIN_PASSWORD", ADMIN_PASSWORD));
        admin = new ApiClient(gateway.port, "admin", ADMIN_PASSWORD);
        base = "http://127.0.0.1:" + gateway.port;
        Await.until("Viessmann installed from deploy/", WAIT,
                () -> admin.get("/api/manufacturers").body().contains("\"vicare\""));
        browser = HeadlessChromium.start();
        browser.viewport(1280, 900, false);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (sim != null) {
            sim.close();
        }
        for (Bundle b : installed) {
            DriverBundles.uninstall(b);
        }
    }

    @Test
    void theWizardSignsInAtTheFakeViCareAndTheChosenDevicePollsItsValues() throws Exception {
        Map<String, String> fake = sim.connectionOptions();
        String token = fake.get("refresh_token");
        signIn();
        browser.navigate(base + "/console/#/add");
        browser.click("[data-choice=viessmann]");
        browser.click("[data-choice=vicare]");
        browser.waitFor("#wizard .markdown", WAIT);
        browser.click("#wizard-next");

        browser.waitFor("#vicare-client-id", WAIT);
        assertEquals(base + "/console/vicare-callback.html",
                browser.eval("document.querySelector('#vicare-redirect-uri').value").asText(),
                "the console's own callback page is the default redirect URI");
        assertEquals("https://iam.viessmann-climatesolutions.com/idp/v3/token",
                browser.eval("document.querySelector('#vicare-token-url').placeholder").asText(),
                "empty means Viessmann's");
        browser.type("#vicare-client-id", fake.get("client_id"));
        browser.type("#vicare-token-url", fake.get("token_url"));
        browser.type("#vicare-api-base-url", fake.get("api_base_url"));
        browser.type("#conn-name", "Vitocal in the browser");
        long callsBefore = apiCalls();
        browser.click("#vicare-sign-in");

        // to the fake IAM, 302 back to the callback page, back to the wizard, which fetches the devices by itself
        browser.waitFor("#vicare-signed-in", WAIT);
        assertTrue(browser.url().endsWith("/console/#/add"), "back in the wizard: " + browser.url());
        assertTrue(apiCalls() > callsBefore, "the installations list came from the fake API");
        String choice = browser.text("#vicare-device option");
        assertTrue(choice.contains("7736172146035226") && choice.contains("device 0"), choice);
        assertEquals("Vitocal in the browser", browser.eval("document.querySelector('#conn-name').value").asText(),
                "what was typed before leaving for Viessmann is kept");
        browser.click("#wizard-next");
        browser.click("#run-test");
        String ok = browser.waitFor("#test-ok", WAIT);
        assertTrue(ok.startsWith("Connected"), ok);
        browser.click("#wizard-next");
        browser.click("#wizard-next");
        browser.waitUntil("the new device's page", "location.hash.startsWith('#/device/')", WAIT);
        String id = browser.eval("decodeURIComponent(location.hash.split('/')[2])").asText();

        // the device polls the fake API with the token the gateway took over from the sign-in
        Await.until("ViCare values read", WAIT, () -> "good".equals(value(id, DHW_TARGET).path("quality").asText()));
        assertEquals(sim.value(DHW_TARGET), value(id, DHW_TARGET).path("value").asDouble(), 1e-9);
        assertEquals(sim.value(OUTDOOR), value(id, OUTDOOR).path("value").asDouble(), 1e-9);
        String shown = browser.waitFor("#device-values tr[data-sensor=" + OUTDOOR + "] td.value", WAIT);
        assertTrue(shown.contains(String.valueOf(sim.value(OUTDOOR)).replace(".0", "")), "on screen: " + shown);
        assertEquals("online", admin.get("/api/heatpumps/" + id).json().path("status").path("state").asText());
        JsonNode options = admin.get("/api/heatpumps/" + id).json().path("connection_config").path("options");
        assertEquals("***", options.path("refresh_token").asText(), options.toString());
        assertEquals(fake.get("token_url"), options.path("token_url").asText());
        assertEquals(fake.get("api_base_url"), options.path("api_base_url").asText());
        assertEquals(fake.get("installation_id"), options.path("installation_id").asText());
        assertFalse(options.has("authorize_url"), "a sign-in option, not a connection option: " + options);

        // nowhere the gateway answers, nor in the page the browser holds
        for (String path : List.of("/api/heatpumps/" + id, "/api/heatpumps", "/api/data/" + id, "/api/data/all",
                "/api/export/" + id + "?sensors=" + OUTDOOR + "," + DHW_TARGET + "&format=json",
                "/api/export/" + id + "?sensors=" + OUTDOOR + "&format=csv", "/api/audit", "/api/status",
                "/api/backup/list")) {
            ApiClient.Response r = admin.get(path);
            assertEquals(200, r.status(), path + ": " + r.body());
            assertFalse(r.body().contains(token), path + " carries the refresh token");
        }
        assertFalse(browser.eval("document.documentElement.outerHTML + JSON.stringify(sessionStorage)"
                + " + JSON.stringify(localStorage)").asText().contains(token), "the browser never held it");
        ApiClient.Response made = admin.post("/api/backup/create", Map.of());
        assertEquals(201, made.status(), made.body());
        assertTrue(backupEntries(made.json().path("name").asText()) > 0, "the backup has files to look into");
        assertEquals(List.of(), browser.problems, "JavaScript exceptions or console errors");
    }

    /** Every file of the backup zip, decompressed, searched for the token; answers how many files there were. */
    private int backupEntries(String name) throws Exception {
        byte[] zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/backup/download/"
                        + name)).header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        String token = sim.connectionOptions().get("refresh_token");
        int files = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                files++;
                String content = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertFalse(content.contains(token), e.getName() + " in the backup carries the refresh token");
            }
        }
        return files;
    }

    private long apiCalls() {
        return sim.requestCount();
    }

    private JsonNode value(String id, String sensor) {
        return admin.get("/api/data/" + id).json().path("values").path(sensor);
    }

    private void signIn() {
        browser.signIn(base + "/console/", "admin", ADMIN_PASSWORD, "#device-list", WAIT);
    }
}
