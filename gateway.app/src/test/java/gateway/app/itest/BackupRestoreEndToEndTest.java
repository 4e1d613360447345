package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 14, "backup → wipe → restore → every API answer identical", through the real gateway.jar: a gateway is
 * filled through the API (devices, dashboards, jobs, alerts, users, a token, a notification channel with a secret),
 * backed up with a passphrase and stopped; a second gateway on a fresh data folder refuses a corrupt zip without a
 * change, restores the uploaded backup, and then answers every GET exactly as the first did, also after a restart.
 */
@ExtendWith(BundleContextExtension.class)
class BackupRestoreEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ADMIN_PASSWORD = "backup-Admin-pass-5521";
    private static final String PASSPHRASE = "backup passphrase for e2e";
    private static final String BOUNDARY = "----gatewayBackupE2E";

    @InjectBundleContext
    BundleContext context;

    private static final java.time.Instant WINDOW_END = java.time.Instant.now()
            .truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofDays(1));

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void backupWipeRestoreAndEveryAnswerIsIdentical() throws Exception {
        String jar = context.getProperty("gateway.itest.jar");
        Path first = Files.createTempDirectory("gateway-backup-a");
        Map<String, Answer> before;
        byte[] zip;
        String backupName;
        try (GatewayProcess a = GatewayProcess.start(jar, first, Map.of("GATEWAY_ADMIN_PASSWORD", ADMIN_PASSWORD))) {
            ApiClient admin = new ApiClient(a.port, "admin", ADMIN_PASSWORD);
            awaitDrivers(admin);
            fill(admin);
        }
        // compared after a restart: a device's timestamps are served with nanoseconds until the gateway restarts
        // and reads them back from the database (milliseconds), which is not what this test is about
        try (GatewayProcess a = GatewayProcess.start(jar, first, Map.of())) {
            ApiClient admin = new ApiClient(a.port, "admin", ADMIN_PASSWORD);
            awaitDrivers(admin);
            before = answers(admin);

            long started = System.nanoTime();
            ApiClient.Response made = admin.post("/api/backup/create", Map.of("passphrase", PASSPHRASE));
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(201, made.status(), made.body());
            backupName = made.json().get("name").asText();
            assertEquals("encrypted", made.json().get("secrets").asText());
            Path file = first.resolve("backups").resolve(backupName);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            HttpResponse<byte[]> download = http.send(request(a.port, "/api/backup/download/" + backupName).GET()
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, download.statusCode());
            zip = download.body();
            assertEquals(Files.size(file), zip.length);
            assertFalse(new String(zip, StandardCharsets.ISO_8859_1).contains("hook-secret-e2e"));
            System.out.println("backup " + backupName + ": " + zip.length + " bytes in " + millis + " ms");
            ApiClient.Response list = admin.get("/api/backup/list");
            assertEquals(backupName, list.json().get(0).get("name").asText());
        }

        // a fresh data folder: as after losing the disk
        Path second = Files.createTempDirectory("gateway-backup-b");
        try (GatewayProcess b = GatewayProcess.start(jar, second, Map.of("GATEWAY_ADMIN_PASSWORD", ADMIN_PASSWORD))) {
            ApiClient admin = new ApiClient(b.port, "admin", ADMIN_PASSWORD);
            awaitDrivers(admin);
            Map<String, Answer> empty = answers(admin);
            assertFalse(empty.equals(before), "the fresh gateway differs before the restore");

            byte[] corrupt = zip.clone();
            corrupt[corrupt.length / 2] ^= 0x5A;
            HttpResponse<String> refused = upload(b.port, corrupt, PASSPHRASE, true);
            assertEquals(422, refused.statusCode(), refused.body());
            assertEquals(empty, answers(admin), "a refused backup changes nothing");

            HttpResponse<String> restored = upload(b.port, zip, PASSPHRASE, true);
            assertEquals(200, restored.statusCode(), restored.body());
            JsonNode result = ApiClient.JSON.readTree(restored.body());
            assertTrue(result.get("secrets_restored").asBoolean(), restored.body());
            awaitEqual(before, admin, "every answer equal to the backed-up gateway's");
            assertFalse(databaseHolds(second, "hook-secret-e2e"), "the restored secret is encrypted at rest");
        }
        // the restored state is the gateway's own now: it survives a restart
        try (GatewayProcess b = GatewayProcess.start(jar, second, Map.of())) {
            ApiClient admin = new ApiClient(b.port, "admin", ADMIN_PASSWORD);
            awaitEqual(before, admin, "every answer equal after a restart");
            assertChannelSignsWith(admin, "hook-secret-e2e");
        }
    }

    /**
     * The API masks secrets and the database holds them encrypted, so the proof that the channel's secret came back
     * is its signature: pointed at a receiver (the secret kept by sending the mask), its test message is signed with
     * HMAC-SHA256 of the body under that secret.
     */
    private static void assertChannelSignsWith(ApiClient admin, String secret) throws Exception {
        String id = null;
        for (JsonNode c : admin.get("/api/notifications/channels").json()) {
            if (c.path("name").asText().equals("Ops hook")) {
                id = c.path("id").asText();
            }
        }
        assertTrue(id != null, "the restored channel is listed");
        try (WebhookReceiver receiver = WebhookReceiver.open()) {
            ApiClient.Response put = admin.put("/api/notifications/channels/" + id, Map.of("type", "webhook", "name",
                    "Ops hook", "enabled", true, "settings", Map.of("url", receiver.url("/hook"), "secret", "********")));
            assertEquals(200, put.status(), put.body());
            ApiClient.Response test = admin.post("/api/notifications/channels/" + id + "/test", Map.of());
            assertEquals(200, test.status(), test.body());
            assertTrue(test.json().path("delivered").asBoolean(), test.body());
            WebhookReceiver.Request got = receiver.requests.get(0);
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = "sha256=" + java.util.HexFormat.of().formatHex(
                    mac.doFinal(got.body().getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, got.header("X-Gateway-Signature"), "signed with the restored secret");
        }
    }

    /** Polls until the answers equal {@code expected}; on timeout the assertion shows the difference. */
    private static void awaitEqual(Map<String, Answer> expected, ApiClient admin, String what) {
        try {
            Await.until(what, WAIT, () -> expected.equals(answers(admin)));
        } catch (AssertionError | RuntimeException e) {
            assertEquals(expected, answers(admin), what);
        }
    }

    /** All four bundled drivers are installed (they come from deploy/ a moment after HTTP is up). */
    private static void awaitDrivers(ApiClient admin) {
        Await.until("the bundled drivers installed from deploy/", WAIT, () -> {
            String body = admin.get("/api/manufacturers").body();
            return List.of("navigator_2_0", "s2125", "altherma_4", "luxtronik_2_1").stream()
                    .allMatch(m -> body.contains("\"" + m + "\""));
        });
    }

    /** Whether the gateway's database file holds {@code text} in clear. */
    private static boolean databaseHolds(Path data, String text) {
        try (var files = Files.walk(data)) {
            return files.filter(p -> p.getFileName().toString().equals("gateway.mv.db")).findFirst()
                    .map(p -> {
                        try {
                            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(text);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).orElseThrow(() -> new AssertionError("no database in " + data));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void fill(ApiClient admin) {
        List<String> devices = new ArrayList<>();
        for (String name : List.of("Cellar IDM", "Garage IDM")) {
            // disabled: nothing polls, so the answers do not move while they are compared
            ApiClient.Response r = admin.post("/api/heatpumps", Map.of("name", name, "manufacturer", "idm", "model",
                    "navigator_2_0", "connection_config", Map.of("host", "127.0.0.1", "port", 1502, "unit_id",
                            devices.size() + 1),
                    "device_config", Map.of("circuits", List.of("A"), "zones", List.of()), "poll_interval", 10,
                    "enabled", false));
            assertEquals(201, r.status(), r.body());
            devices.add(r.json().get("id").asText());
        }
        created(admin.post("/api/dashboards", Map.of("name", "Overview", "heatpump_id", devices.get(0), "config",
                Map.of("widgets", List.of(Map.of("sensor", "temp_outside"))), "position", 1)));
        created(admin.post("/api/jobs", Map.of("heatpump_id", devices.get(0), "sensor", "temp_water_target",
                "value", 48, "time", "06:30", "days", List.of("mon", "wed", "fri"), "enabled", false)));
        ApiClient.Response channel = admin.post("/api/notifications/channels", Map.of("type", "webhook", "name",
                "Ops hook", "settings", Map.of("url", "http://127.0.0.1:9/hook", "secret", "hook-secret-e2e")));
        created(channel);
        created(admin.post("/api/alerts", Map.of("heatpump_id", devices.get(1), "name", "Frost", "type", "threshold",
                "sensor", "temp_outside", "condition", "<", "threshold", -15, "channels",
                List.of(channel.json().get("id").asText()))));
        created(admin.post("/api/users", Map.of("name", "olga", "password", "olga-Operator-pass-1", "role",
                "operator")));
        created(admin.post("/api/users", Map.of("name", "vik", "password", "vik-Viewer-pass-12", "role", "viewer")));
        created(admin.post("/api/tokens", Map.of("name", "script")));
    }

    private static void created(ApiClient.Response r) {
        assertTrue(r.status() == 201 || r.status() == 200, r.status() + " " + r.body());
    }

    /**
     * An answer's status and JSON body; JSON objects compare without regard to member order (the channel API serves
     * settings from an immutable map, whose order differs from one JVM to the next).
     */
    record Answer(int status, JsonNode body) {
        static Answer of(ApiClient.Response r) {
            JsonNode body;
            try {
                body = ApiClient.JSON.readTree(r.body());
            } catch (IOException e) {
                body = ApiClient.JSON.getNodeFactory().textNode(r.body());
            }
            return new Answer(r.status(), body);
        }
    }

    /** Every GET answer that describes stored state, by path (lists and each item). */
    private static Map<String, Answer> answers(ApiClient admin) {
        Map<String, Answer> out = new LinkedHashMap<>();
        for (String list : List.of("/api/heatpumps", "/api/dashboards", "/api/jobs", "/api/alerts",
                "/api/notifications/channels")) {
            ApiClient.Response r = admin.get(list);
            out.put(list, Answer.of(r));
            if (r.status() == 200) {
                for (JsonNode item : r.json()) {
                    String path = list + "/" + item.path("id").asText();
                    ApiClient.Response one = admin.get(path);
                    out.put(path, Answer.of(one));
                }
            }
        }
        // a fixed window: by default these answer the last 7 days up to now, and say so
        String window = "?from=" + WINDOW_END.minus(Duration.ofDays(7)) + "&to=" + WINDOW_END;
        for (String path : List.of("/api/users", "/api/tokens", "/api/settings", "/api/audit",
                "/api/alerts/events" + window, "/api/anomalies" + window, "/api/notifications/outbox",
                "/api/manufacturers")) {
            ApiClient.Response r = admin.get(path);
            out.put(path, Answer.of(r));
        }
        return out;
    }

    private HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> upload(int port, byte[] zip, String passphrase, boolean secrets) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"backup\";"
                + " filename=\"backup.zip\"\r\nContent-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(zip);
        body.writeBytes(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"passphrase\"\r\n\r\n"
                + passphrase + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"restore_secrets\""
                + "\r\n\r\n" + secrets + "\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(request(port, "/api/backup/restore")
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
