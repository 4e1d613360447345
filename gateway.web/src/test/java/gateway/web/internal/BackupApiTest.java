package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.BackupService;

/**
 * {@code /api/backup/*} over real HTTP: admin only, the JSON shapes, download as a zip, upload as multipart or a raw
 * zip, and a refused backup as 422 naming the field. The backup service is a stand-in here; the real one (zips of a
 * real H2 file) is tested in gateway.core.store and end to end in gateway.app.
 */
class BackupApiTest extends ApiTestBase {

    private static final String BOUNDARY = "----gatewayBackupBoundary";

    @TempDir
    Path dir;

    FakeBackups backups;

    /** Keeps "backups" as files; a restore accepts only bytes that start with our marker. */
    final class FakeBackups implements BackupService {
        final TreeMap<String, Backup> made = new TreeMap<>();
        final List<String> restored = new ArrayList<>();
        char[] lastPassphrase;
        boolean lastSecrets;

        @Override
        public Backup create(char[] passphrase) {
            String name = "gateway-backup-20261127-120000-00" + made.size() + ".zip";
            try {
                Files.write(dir.resolve(name), ("GWBACKUP " + name).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Backup b = new Backup(name, 9 + name.length(), NOW, "0.2.0", 9,
                    passphrase == null ? "omitted" : "encrypted", false);
            made.put(name, b);
            return b;
        }

        @Override
        public List<Backup> list() {
            return new ArrayList<>(made.descendingMap().values());
        }

        @Override
        public Optional<Path> file(String name) {
            return made.containsKey(name) ? Optional.of(dir.resolve(name)) : Optional.empty();
        }

        @Override
        public boolean delete(String name) {
            return made.remove(name) != null;
        }

        @Override
        public RestoreResult restore(String name, char[] passphrase, boolean restoreSecrets) {
            if (!made.containsKey(name)) {
                throw new UnknownBackupException(name);
            }
            return restored(name, passphrase, restoreSecrets);
        }

        @Override
        public RestoreResult restore(InputStream zip, char[] passphrase, boolean restoreSecrets) {
            try {
                byte[] bytes = zip.readAllBytes();
                if (!new String(bytes, StandardCharsets.UTF_8).startsWith("GWBACKUP")) {
                    throw new InvalidBackupException("backup", "not a gateway backup");
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (restoreSecrets && passphrase == null) {
                throw new InvalidBackupException("passphrase", "restoring secrets needs the backup's passphrase");
            }
            return restored("upload", passphrase, restoreSecrets);
        }

        private RestoreResult restored(String name, char[] passphrase, boolean secrets) {
            restored.add(name);
            lastPassphrase = passphrase;
            lastSecrets = secrets;
            return new RestoreResult(name, NOW, 7, 9, secrets, 2, 1);
        }
    }

    @BeforeEach
    void withBackups() {
        backups = new FakeBackups();
        servlet.setBackupService(backups);
    }

    @Test
    void onlyAnAdminSeesOrTouchesBackups() throws Exception {
        backups.create(null);
        for (String user : List.of("alice", "oscar")) {
            assertEquals(403, get("/api/backup/list", user).status(), user);
            assertEquals(403, send("POST", "/api/backup/create", user, null).status(), user);
            assertEquals(403, get("/api/backup/download/" + backups.made.firstKey(), user).status(), user);
            assertEquals(403, send("DELETE", "/api/backup/delete/" + backups.made.firstKey(), user, null).status());
            assertEquals(403, send("POST", "/api/backup/restore", user, "{\"name\":\"x\"}").status(), user);
        }
        assertEquals(401, get("/api/backup/list", null).status());
        assertEquals(1, backups.made.size());
        assertTrue(backups.restored.isEmpty());
    }

    @Test
    void createListDownloadDelete() throws Exception {
        Response created = send("POST", "/api/backup/create", "ada", "{\"passphrase\": \"s3cret words\"}");
        assertEquals(201, created.status(), created.body());
        String name = created.json().get("name").asText();
        assertEquals("/api/backup/download/" + name, created.header("Location"));
        assertEquals("encrypted", created.json().get("secrets").asText());
        assertEquals(9, created.json().get("schema_version").asInt());
        assertEquals("2026-11-27T12:00:00Z", created.json().get("created_at").asText());
        assertTrue(!created.body().contains("s3cret words"), "the passphrase is never echoed");

        Response plain = send("POST", "/api/backup/create", "ada", null);
        assertEquals(201, plain.status(), plain.body());
        assertEquals("omitted", plain.json().get("secrets").asText());

        Response list = get("/api/backup/list", "ada");
        assertEquals(200, list.status());
        assertEquals(List.of(plain.json().get("name").asText(), name),
                List.of(list.json().get(0).get("name").asText(), list.json().get(1).get("name").asText()));

        HttpResponse<byte[]> download = client.send(HttpRequest.newBuilder(server.uri("/api/backup/download/" + name))
                .header("Authorization", basic("ada", "pw-ada")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertEquals("application/zip", download.headers().firstValue("Content-Type").orElse(""));
        assertEquals("attachment; filename=\"" + name + "\"",
                download.headers().firstValue("Content-Disposition").orElse(""));
        assertArrayEquals(("GWBACKUP " + name).getBytes(StandardCharsets.UTF_8), download.body());

        assertEquals(404, get("/api/backup/download/gateway-backup-nope.zip", "ada").status());
        assertEquals(204, send("DELETE", "/api/backup/delete/" + name, "ada", null).status());
        assertEquals(404, send("DELETE", "/api/backup/delete/" + name, "ada", null).status());
        assertEquals(1, get("/api/backup/list", "ada").json().size());
    }

    @Test
    void restoreByNameTakesSecretsOnlyWhenAsked() throws Exception {
        String name = backups.create(null).name();
        Response r = send("POST", "/api/backup/restore", "ada", "{\"name\": \"" + name + "\"}");
        assertEquals(200, r.status(), r.body());
        assertEquals(7, r.json().get("backup_schema_version").asInt());
        assertEquals(9, r.json().get("schema_version").asInt());
        assertEquals(false, backups.lastSecrets, "restore_secrets is false by default");

        r = send("POST", "/api/backup/restore", "ada",
                "{\"name\": \"" + name + "\", \"passphrase\": \"pw\", \"restore_secrets\": true}");
        assertEquals(200, r.status(), r.body());
        assertEquals(true, backups.lastSecrets);
        assertArrayEquals("pw".toCharArray(), backups.lastPassphrase);

        Response unknown = send("POST", "/api/backup/restore", "ada", "{\"name\": \"gateway-backup-x.zip\"}");
        assertEquals(404, unknown.status(), unknown.body());
        Response noName = send("POST", "/api/backup/restore", "ada", "{}");
        assertEquals(422, noName.status(), noName.body());
        Response unknownField = send("POST", "/api/backup/restore", "ada", "{\"nam\": \"x\"}");
        assertEquals(400, unknownField.status(), unknownField.body());
    }

    @Test
    void restoreOfAnUploadedZipAsMultipartOrRawBody() throws Exception {
        byte[] zip = "GWBACKUP uploaded".getBytes(StandardCharsets.UTF_8);
        Response r = upload(multipart(zip, "secret pass", "true"));
        assertEquals(200, r.status(), r.body());
        assertEquals("upload", r.json().get("name").asText());
        assertEquals(true, backups.lastSecrets);
        assertArrayEquals("secret pass".toCharArray(), backups.lastPassphrase);

        r = upload(multipart(zip, null, null));
        assertEquals(200, r.status(), r.body());
        assertEquals(false, backups.lastSecrets);
        assertNull(backups.lastPassphrase);

        r = execute(HttpRequest.newBuilder(server.uri("/api/backup/restore"))
                .header("Authorization", basic("ada", "pw-ada")).header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zip)).build());
        assertEquals(200, r.status(), r.body());
    }

    @Test
    void aRefusedBackupIs422NamingTheField() throws Exception {
        Response foreign = upload(multipart("PK not ours".getBytes(StandardCharsets.UTF_8), null, null));
        assertEquals(422, foreign.status(), foreign.body());
        assertEquals("application/problem+json", foreign.contentType());
        assertEquals("backup", foreign.json().get("field").asText());
        assertTrue(foreign.json().get("detail").asText().contains("not a gateway backup"), foreign.body());

        Response noPass = upload(multipart("GWBACKUP x".getBytes(StandardCharsets.UTF_8), null, "true"));
        assertEquals(422, noPass.status(), noPass.body());
        assertEquals("passphrase", noPass.json().get("field").asText());

        Response badFlag = upload(multipart("GWBACKUP x".getBytes(StandardCharsets.UTF_8), null, "maybe"));
        assertEquals(422, badFlag.status(), badFlag.body());

        Response noField = execute(HttpRequest.newBuilder(server.uri("/api/backup/restore"))
                .header("Authorization", basic("ada", "pw-ada"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofString("--" + BOUNDARY + "\r\nContent-Disposition: form-data;"
                        + " name=\"other\"\r\n\r\nx\r\n--" + BOUNDARY + "--\r\n")).build());
        assertEquals(422, noField.status(), noField.body());
        assertTrue(backups.restored.isEmpty());
    }

    @Test
    void withoutTheBackupServiceTheRoutesAnswer503() throws Exception {
        servlet.unsetBackupService(backups);
        assertEquals(503, get("/api/backup/list", "ada").status());
        assertEquals(503, send("POST", "/api/backup/create", "ada", null).status());
    }

    private Response upload(byte[] body) throws Exception {
        return execute(HttpRequest.newBuilder(server.uri("/api/backup/restore"))
                .header("Authorization", basic("ada", "pw-ada"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static byte[] multipart(byte[] zip, String passphrase, String restoreSecrets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"backup\";"
                + " filename=\"backup.zip\"\r\nContent-Type: application/zip\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(zip);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        for (String[] field : Arrays.asList(new String[] {"passphrase", passphrase},
                new String[] {"restore_secrets", restoreSecrets})) {
            if (field[1] != null) {
                out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field[0]
                        + "\"\r\n\r\n" + field[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

}
