package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.UserStore;
import gateway.core.api.UserStore.Role;
import gateway.core.api.UserStore.User;

class H2UserStoreTest {

    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = Database.open(dir);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private H2UserStore store(Map<String, String> env) {
        return new H2UserStore(db, env::get);
    }

    @Test
    void pbkdf2MatchesTheRfc7914TestVector() {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64 (first 16 bytes checked)
        byte[] dk = H2UserStore.pbkdf2("passwd".toCharArray(), "salt".getBytes(StandardCharsets.US_ASCII), 1, 512);
        assertEquals("55ac046e56e3089fec1691c22544b605", HexFormat.of().formatHex(dk, 0, 16));
    }

    @Test
    void storesOnlyASaltedPbkdf2HashInTheDocumentedFormat() throws Exception {
        H2UserStore users = store(Map.of());
        users.create("alice", "correct horse".toCharArray(), Role.OPERATOR);
        users.create("bob", "correct horse".toCharArray(), Role.VIEWER);
        List<Map<String, Object>> rows = db.rows("SELECT name, password_hash FROM users ORDER BY name");
        String alice = rows.get(0).get("PASSWORD_HASH").toString();
        String bob = rows.get(1).get("PASSWORD_HASH").toString();
        String[] parts = alice.split("\\$");
        assertEquals(4, parts.length);
        assertEquals("pbkdf2", parts[0]);
        assertTrue(Integer.parseInt(parts[1]) >= 210_000);
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        assertEquals(16, salt.length);
        assertArrayEquals(H2UserStore.pbkdf2("correct horse".toCharArray(), salt, Integer.parseInt(parts[1]), 256),
                Base64.getDecoder().decode(parts[3]));
        assertFalse(alice.contains("correct"));
        assertNotEquals(alice, bob, "same password, different salt");
    }

    @Test
    void authenticatesOnlyTheRightPasswordOfAKnownUser() throws Exception {
        H2UserStore users = store(Map.of());
        assertFalse(users.hasUsers());
        users.create("alice", "correct horse".toCharArray(), Role.OPERATOR);
        assertTrue(users.hasUsers());
        assertEquals(Optional.of(new User("alice", Role.OPERATOR)),
                users.authenticate("alice", "correct horse".toCharArray()));
        assertEquals(Optional.empty(), users.authenticate("alice", "correct horsE".toCharArray()));
        assertEquals(Optional.empty(), users.authenticate("mallory", "correct horse".toCharArray()));
        assertEquals(Optional.empty(), users.authenticate("alice", null));
        assertEquals(List.of(new User("alice", Role.OPERATOR)), users.users());
    }

    @Test
    void rejectsDuplicatesShortPasswordsAndOddNames() throws Exception {
        H2UserStore users = store(Map.of());
        users.create("alice", "12345678".toCharArray(), Role.ADMIN);
        InvalidConfigurationException dup = assertThrows(InvalidConfigurationException.class,
                () -> users.create("alice", "abcdefgh".toCharArray(), Role.VIEWER));
        assertTrue(dup.conflict());
        assertThrows(InvalidConfigurationException.class,
                () -> users.create("bob", "1234567".toCharArray(), Role.VIEWER));
        assertThrows(InvalidConfigurationException.class,
                () -> users.create("a b", "12345678".toCharArray(), Role.VIEWER));
        assertEquals(Optional.of(new User("alice", Role.ADMIN)), users.authenticate("alice", "12345678".toCharArray()));
    }

    @Test
    void environmentPasswordCreatesTheFirstAdminOnlyOnce() {
        store(Map.of(H2UserStore.ADMIN_PASSWORD_ENV, "first-secret"));
        H2UserStore again = store(Map.of(H2UserStore.ADMIN_PASSWORD_ENV, "changed-secret"));
        assertEquals(List.of(new User("admin", Role.ADMIN)), again.users());
        assertTrue(again.authenticate("admin", "first-secret".toCharArray()).isPresent());
        assertFalse(again.authenticate("admin", "changed-secret".toCharArray()).isPresent());
    }

    @Test
    void noAdminWithoutOrWithEmptyEnvironmentPassword() {
        assertFalse(store(Map.of()).hasUsers());
        assertFalse(store(Map.of(H2UserStore.ADMIN_PASSWORD_ENV, "")).hasUsers());
    }

    @Test
    void malformedStoredHashNeverMatches() {
        assertFalse(H2UserStore.verify("x".toCharArray(), "sha1$abc"));
        assertFalse(H2UserStore.verify("x".toCharArray(), "pbkdf2$notanumber$AAAA$AAAA"));
        assertTrue(Arrays.asList(H2UserStore.hash("x".toCharArray()).split("\\$")).size() == 4);
    }

    @Test
    void demoAdminPasswordGoesToAnOwnerOnlyFileAndWorks() throws Exception {
        H2UserStore users = store(Map.of());
        Path file = dir.resolve(H2UserStore.INITIAL_PASSWORD_FILE);
        users.createDemoAdmin(file);

        String password = java.nio.file.Files.readString(file).trim();
        assertTrue(password.length() >= 16, "a long random password");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(file)));
        assertEquals(Optional.of(new User("admin", Role.ADMIN)), users.authenticate("admin", password.toCharArray()));
        assertEquals(Optional.empty(), users.authenticate("admin", "admin".toCharArray()), "no default password");
    }

    @Test
    void anExpiredTokenNoLongerAuthenticatesButStaysListed() throws Exception {
        H2UserStore users = store(Map.of());
        users.create("alice", "correct horse".toCharArray(), Role.OPERATOR);
        java.time.Instant inAnHour = java.time.Instant.now().plusSeconds(3600);
        UserStore.IssuedToken expiring = users.createToken("alice", "ci", inAnHour);
        UserStore.IssuedToken forever = users.createToken("alice", "cron");
        assertEquals(Optional.of(new User("alice", Role.OPERATOR)), users.authenticateToken(expiring.token()));
        assertEquals(Database.millis(inAnHour), users.tokens().get(0).expiresAt());
        assertEquals(null, users.tokens().get(1).expiresAt());

        db.read(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_tokens SET expires_at = ? WHERE id = ?")) {
                ps.setObject(1, Database.toDb(java.time.Instant.now().minusSeconds(1)));
                ps.setString(2, expiring.info().id());
                ps.executeUpdate();
            }
            return null;
        });
        assertEquals(Optional.empty(), users.authenticateToken(expiring.token()));
        assertEquals(Optional.of(new User("alice", Role.OPERATOR)), users.authenticateToken(forever.token()));
        assertEquals(2, users.tokens().size(), "the owner still sees the expired token and can revoke it");
    }

    @Test
    void aTokenCannotBeCreatedAlreadyExpired() throws Exception {
        H2UserStore users = store(Map.of());
        users.create("alice", "correct horse".toCharArray(), Role.OPERATOR);
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> users.createToken("alice", "ci", java.time.Instant.now().minusSeconds(60)));
        assertTrue(e.problems().get(0).startsWith("expires_at"), e.problems().toString());
        assertTrue(users.tokens().isEmpty());
    }
}
