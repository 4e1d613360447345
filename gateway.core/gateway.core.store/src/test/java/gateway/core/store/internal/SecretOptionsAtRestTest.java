package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.Heatpump;

/** Secret connection options (an OAuth refresh token) are encrypted in the database file with a key file beside it. */
class SecretOptionsAtRestTest {

    private static final String TOKEN = "rt-6f1c0b7e-very-secret-refresh-token";

    @TempDir
    Path dir;

    private static Heatpump vicare(String id) {
        Instant t = Instant.parse("2026-12-06T08:00:00Z");
        return new Heatpump(id, "Vitocal", "viessmann", "vicare",
                new ConnectionConfig("api.viessmann-climatesolutions.com", 443, 1, 3000, Map.of("client_id", "c1",
                        "refresh_token", TOKEN, "token_url", "https://iam.example/token")),
                DeviceConfig.empty(), 120, true, t, t);
    }

    private String storedConnection(Database db) {
        return (String) db.rows("SELECT connection_config FROM heatpumps").get(0).get("CONNECTION_CONFIG");
    }

    @Test
    void secretOptionsAreSealedInTheFileAndReadBackPlain() throws Exception {
        try (Database db = Database.open(dir)) {
            H2HeatpumpStore store = new H2HeatpumpStore(db);
            store.insert(vicare("hp-00000001"));
            String stored = storedConnection(db);
            assertFalse(stored.contains(TOKEN), stored);
            assertTrue(stored.contains("\"refresh_token\":\"enc:v1:"), stored);
            assertTrue(stored.contains("\"client_id\":\"c1\""), "other options stay readable: " + stored);
            assertTrue(stored.contains("https://iam.example/token"), "a URL is no secret: " + stored);
        }
        Path key = dir.resolve(SecretCipher.KEY_FILE);
        assertTrue(Files.exists(key));
        if (key.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        }
        try (Database db = Database.open(dir)) {
            H2HeatpumpStore store = new H2HeatpumpStore(db);
            assertEquals(TOKEN, store.find("hp-00000001").orElseThrow().connection().options().get("refresh_token"),
                    "the same key file opens it after a restart");
        }
        byte[] file = Files.readAllBytes(dir.resolve(Database.FILE_NAME + ".mv.db"));
        assertFalse(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains(TOKEN),
                "not in the database file");
    }

    @Test
    void plainSecretsWrittenBeforeAreSealedAtStartAndADatabaseWithoutItsKeySaysSo() throws Exception {
        try (Database db = Database.open(dir)) {
            // as an older gateway wrote it
            db.read(c -> {
                H2HeatpumpStore.insert(c, vicare("hp-00000002"));
                return null;
            });
            assertTrue(storedConnection(db).contains(TOKEN));
            H2HeatpumpStore store = new H2HeatpumpStore(db);
            assertFalse(storedConnection(db).contains(TOKEN), "sealed when the store starts");
            assertEquals(TOKEN, store.find("hp-00000002").orElseThrow().connection().options().get("refresh_token"));
        }
        Files.delete(dir.resolve(SecretCipher.KEY_FILE));
        try (Database db = Database.open(dir)) {
            H2HeatpumpStore store = new H2HeatpumpStore(db);
            StoreException e = assertThrows(StoreException.class, () -> store.find("hp-00000002"));
            assertTrue(e.getMessage().contains(SecretCipher.KEY_FILE), e.getMessage());
        }
    }
}
