package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

import com.fasterxml.jackson.databind.JsonNode;

/** Bundles deployed through the API of the real gateway.jar: install, refuse, survive a restart. */
@ExtendWith(BundleContextExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BundleDeploymentEndToEndTest {

    private static final String PASSWORD = "bundle-e2e-pass-1234";

    @InjectBundleContext
    BundleContext context;

    private GatewayProcess gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"),
                Files.createTempDirectory("gateway-bundles"), Map.of("GATEWAY_ADMIN_PASSWORD", PASSWORD));
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    record Reply(int status, JsonNode json, String body) {
    }

    private Reply send(String method, String path, byte[] body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port + path))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? null : ApiClient.JSON.readTree(r.body()), r.body());
    }

    /**
     * Announces an upload of {@code length} bytes and reads the status line without sending the body: the server
     * must refuse from the declared length alone. (Sending 21 MiB with a stock client races the server's early
     * answer and close: the client may see the reset before the 413.)
     */
    private String statusOfAnnouncedUpload(String path, long length) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port)) {
            socket.setSoTimeout(30_000);
            String auth = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Basic " + auth + "\r\nContent-Type: application/java-archive\r\n"
                    + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return status == null ? "(connection closed)" : status.substring(0, Math.min(12, status.length()));
        }
    }

    private static byte[] bundle(String bsn, String importPackage) throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", "1.0.0");
        if (importPackage != null) {
            a.putValue("Import-Package", importPackage);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, m)) {
            // a manifest is all a bundle needs
        }
        return out.toByteArray();
    }

    private JsonNode find(String bsn) throws Exception {
        for (JsonNode b : send("GET", "/api/bundles", null, null).json()) {
            if (b.get("symbolic_name").asText().equals(bsn)) {
                return b;
            }
        }
        return null;
    }

    private JsonNode findQuietly(String bsn) {
        try {
            return find(bsn);
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void bundlesAreInstalledRefusedAndKeptAcrossARestart() throws Exception {
        // a driver: remove the seeded copy, then upload the same jar through the API
        JsonNode seeded = Await.value("nibe driver listed", java.time.Duration.ofSeconds(30),
                () -> findQuietly("gateway.driver.nibe"));
        assertEquals(204, send("DELETE", "/api/bundles/" + seeded.get("id").asText(), null, null).status());
        Path nibeJar;
        try (Stream<Path> files = Files.list(Path.of(context.getProperty("gateway.itest.bundled")))) {
            nibeJar = files.filter(p -> p.getFileName().toString().contains("nibe")).findFirst().orElseThrow();
        }
        Reply installed = send("POST", "/api/bundles", Files.readAllBytes(nibeJar), "application/java-archive");
        assertEquals(201, installed.status(), installed.body());
        assertEquals("active", installed.json().get("state").asText());
        assertTrue(installed.json().get("provides").toString().contains("nibe/"), installed.body());

        Reply notAJar = send("POST", "/api/bundles", "hello".getBytes(StandardCharsets.UTF_8),
                "application/octet-stream");
        assertEquals(400, notAJar.status(), notAJar.body());

        Reply unresolved = send("POST", "/api/bundles", bundle("itest.unresolvable", "no.such.pkg"),
                "application/java-archive");
        assertEquals(409, unresolved.status(), unresolved.body());
        assertTrue(unresolved.json().get("detail").asText().contains("no.such.pkg"), unresolved.body());
        assertEquals(null, find("itest.unresolvable"), "nothing half-installed stays");

        assertEquals("HTTP/1.1 413", statusOfAnnouncedUpload("/api/bundles", 21 * 1024 * 1024));

        JsonNode core = find("gateway.core.manager");
        assertEquals(409, send("POST", "/api/bundles/" + core.get("id").asText() + "/stop", null, null).status());
        assertEquals(409, send("DELETE", "/api/bundles/0", null, null).status());

        Reply plain = send("POST", "/api/bundles", bundle("itest.plain", null), "application/java-archive");
        assertEquals(201, plain.status(), plain.body());
        String plainId = plain.json().get("id").asText();
        assertEquals("resolved", send("POST", "/api/bundles/" + plainId + "/stop", null, null).json()
                .get("state").asText());
        assertEquals("active", send("POST", "/api/bundles/" + plainId + "/start", null, null).json()
                .get("state").asText());

        // multipart/form-data is parsed by the container (the API servlet's whiteboard multipart properties)
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--itestBoundary\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"m.jar\"\r\n"
                + "Content-Type: application/java-archive\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        form.writeBytes(bundle("itest.multipart", null));
        form.writeBytes("\r\n--itestBoundary--\r\n".getBytes(StandardCharsets.US_ASCII));
        Reply multipart = send("POST", "/api/bundles", form.toByteArray(),
                "multipart/form-data; boundary=itestBoundary");
        assertEquals(201, multipart.status(), multipart.body());
        assertEquals("itest.multipart", multipart.json().get("symbolic_name").asText());

        // a driver from deploy/ an admin stops stays stopped at the next launch, until started again
        JsonNode daikin = Await.value("daikin driver listed", java.time.Duration.ofSeconds(30),
                () -> findQuietly("gateway.driver.daikin"));
        assertEquals("resolved", send("POST", "/api/bundles/" + daikin.get("id").asText() + "/stop", null, null)
                .json().get("state").asText());

        Path data = gateway.data;
        gateway.close();
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data, Map.of());
        JsonNode luxtronik = Await.value("luxtronik driver active after restart", java.time.Duration.ofSeconds(30),
                () -> {
                    JsonNode b = findQuietly("gateway.driver.luxtronik");
                    return b != null && "active".equals(b.get("state").asText()) ? b : null;
                });
        assertNotNull(luxtronik);
        JsonNode daikinAfter = find("gateway.driver.daikin");
        assertTrue(List.of("installed", "resolved").contains(daikinAfter.get("state").asText()),
                "stopped by an admin, it stays stopped: " + daikinAfter);
        assertEquals("active", send("POST", "/api/bundles/" + daikinAfter.get("id").asText() + "/start", null, null)
                .json().get("state").asText());
        JsonNode after = Await.value("plain bundle back after restart", java.time.Duration.ofSeconds(30),
                () -> findQuietly("itest.plain"));
        assertEquals("active", after.get("state").asText());
        JsonNode nibe = Await.value("nibe back after restart", java.time.Duration.ofSeconds(30),
                () -> findQuietly("gateway.driver.nibe"));
        assertTrue(nibe.get("location").asText().startsWith("gateway-api:"), nibe.toString());
        assertFalse(nibe.get("provides").isEmpty(), nibe.toString());
    }
}
