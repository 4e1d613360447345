package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The console's backup page in a real headless Chromium against gateway.jar: an admin makes a backup with a
 * passphrase, sees it listed with a download link, and restores an uploaded zip (with its secrets) after confirming;
 * a viewer is offered no backup page at all.
 */
@ExtendWith(BundleContextExtension.class)
class BackupConsoleTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ADMIN_PASSWORD = "console-Backup-pass-9182";
    private static final String VIEWER_PASSWORD = "console-Viewer-pass-2231";

    @InjectBundleContext
    BundleContext context;

    @Test
    void anAdminMakesAndRestoresABackupInTheConsoleAndAViewerSeesNoBackupPage() throws Exception {
        Path data = Files.createTempDirectory("gateway-backup-console");
        try (GatewayProcess gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data,
                Map.of("GATEWAY_ADMIN_PASSWORD", ADMIN_PASSWORD));
             HeadlessChromium browser = HeadlessChromium.start()) {
            ApiClient admin = new ApiClient(gateway.port, "admin", ADMIN_PASSWORD);
            Await.until("IDM driver installed from deploy/", WAIT,
                    () -> admin.get("/api/manufacturers").body().contains("\"navigator_2_0\""));
            assertEquals(201, admin.post("/api/users", Map.of("name", "vic", "password", VIEWER_PASSWORD, "role",
                    "viewer")).status());
            String base = "http://127.0.0.1:" + gateway.port;
            browser.viewport(1280, 900, false);
            signIn(browser, base, "admin", ADMIN_PASSWORD);

            browser.navigate(base + "/console/#/backups");
            browser.waitFor("#backup-create-form", WAIT);
            browser.waitFor("#no-backups", WAIT);
            browser.type("#backup-passphrase", "console passphrase");
            browser.click("#backup-create");
            browser.waitFor("#backup-list tr[data-backup]", WAIT);
            JsonNode list = admin.get("/api/backup/list").json();
            assertEquals(1, list.size());
            String name = list.get(0).get("name").asText();
            assertEquals("encrypted", list.get(0).get("secrets").asText());
            assertEquals("/api/backup/download/" + name, browser.eval("document.querySelector("
                    + "'#backup-list tr[data-backup] a').getAttribute('href')").asText());

            // a device added after the backup is gone once the uploaded backup is restored
            byte[] zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                            + "/api/backup/download/" + name)).header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            Path file = data.resolve("uploaded-backup.zip");
            Files.write(file, zip);
            assertEquals(201, admin.post("/api/heatpumps", Map.of("name", "After the backup", "manufacturer", "idm",
                    "model", "navigator_2_0", "connection_config", Map.of("host", "127.0.0.1", "port", 1502),
                    "device_config", Map.of("circuits", List.of("A"), "zones", List.of()), "enabled", false))
                    .status());
            browser.setFile("#backup-file", file);
            browser.type("#restore-passphrase", "console passphrase");
            browser.click("#restore-secrets");
            browser.click("#backup-restore-upload");
            String question = browser.waitFor("dialog.confirm .confirm-text", WAIT);
            assertTrue(question.contains("uploaded-backup.zip"), question);
            browser.click("dialog.confirm .confirm-ok");
            Await.until("the restored state has no device", WAIT,
                    () -> "[]".equals(admin.get("/api/heatpumps").body()));
            assertEquals(List.of(), browser.problems, "JavaScript exceptions or console errors");

            browser.navigate(base + "/console/");
            signIn(browser, base, "vic", VIEWER_PASSWORD);
            assertFalse(browser.exists("[data-nav=backups]"), "no backup page for a viewer");
            browser.navigate(base + "/console/#/backups");
            // the console tells a viewer the page needs the admin role (#16) instead of drawing it
            browser.waitFor("#needs-role", WAIT);
            assertFalse(browser.exists("#backup-create-form"), "a viewer gets no backup page");
        }
    }

    private static void signIn(HeadlessChromium browser, String base, String user, String password) {
        browser.signIn(base + "/console/", user, password, "#device-list", WAIT);
    }
}
