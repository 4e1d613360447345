package gateway.core.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.UserStore;

/**
 * Accounts in table {@code users}. Passwords are stored as {@code pbkdf2$<iterations>$<salt>$<hash>} (PBKDF2 with
 * HMAC-SHA256, base64), never in clear; 210 000 iterations is OWASP's 2023 floor for PBKDF2-HMAC-SHA256.
 */
@Component(service = UserStore.class)
public final class H2UserStore implements UserStore {

    /** Environment variable with the first admin's password (used only while there is no user at all). */
    public static final String ADMIN_PASSWORD_ENV = "GATEWAY_ADMIN_PASSWORD";
    static final String BOOTSTRAP_ADMIN = "admin";
    static final int ITERATIONS = 210_000;
    static final int MIN_PASSWORD_LENGTH = 8;

    private static final Logger LOG = LoggerFactory.getLogger(H2UserStore.class);
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;
    /** Hash of a random password, checked when the user is unknown so both paths cost the same. */
    private volatile String decoyHash;
    /** Open once the first-admin bootstrap (a slow hash) is done; requests wait for it rather than see no users. */
    private final CountDownLatch bootstrapped = new CountDownLatch(1);

    /** File in the data folder that receives the generated first password in demo mode. */
    static final String INITIAL_PASSWORD_FILE = "initial-admin-password";

    /**
     * The first-admin bootstrap hashes a password (~0.5 s on a cold JVM), so it runs beside the rest of the start-up
     * instead of delaying every component that needs users (the whole HTTP API).
     */
    @Activate
    public H2UserStore(@Reference Database database, BundleContext context) {
        this.database = database;
        boolean demo = "true".equalsIgnoreCase(context.getProperty("gateway.demo"));
        Path demoFile = database.settings().dataDir().resolve(INITIAL_PASSWORD_FILE);
        Thread t = new Thread(() -> {
            try {
                bootstrapAdmin(System.getenv(ADMIN_PASSWORD_ENV));
                if (demo && !anyUser()) {
                    createDemoAdmin(demoFile);
                }
            } catch (RuntimeException e) {
                LOG.warn("first-admin bootstrap failed: {}", e.toString());
            } finally {
                bootstrapped.countDown();
            }
        }, "gateway-users-bootstrap");
        t.setDaemon(true);
        t.start();
    }

    /** @param environment reads an environment variable (tests inject their own) */
    H2UserStore(Database database, Function<String, String> environment) {
        this.database = database;
        bootstrapAdmin(environment.apply(ADMIN_PASSWORD_ENV));
        bootstrapped.countDown();
    }

    private void awaitBootstrap() {
        try {
            if (!bootstrapped.await(30, TimeUnit.SECONDS)) {
                LOG.warn("first-admin bootstrap still running after 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hash of a random password, made on first need: checking unknown users against it costs what a real check does. */
    private String decoyHash() {
        String d = decoyHash;
        if (d == null) {
            d = hash(randomPassword(24));
            decoyHash = d;
        }
        return d;
    }

    private static char[] randomPassword(int length) {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        char[] random = new char[length];
        for (int i = 0; i < random.length; i++) {
            random[i] = alphabet.charAt(RANDOM.nextInt(alphabet.length()));
        }
        return random;
    }

    /**
     * A new user trying the demo needs an account, but the gateway ships no default password: generate one and put
     * it in a file only the owner can read. The log names the file, never the password.
     */
    void createDemoAdmin(Path file) {
        char[] password = randomPassword(20);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, new String(password) + System.lineSeparator());
            create(BOOTSTRAP_ADMIN, password, Role.ADMIN);
            LOG.info("demo mode: created user '{}' (ADMIN); its password is in {}", BOOTSTRAP_ADMIN, file);
        } catch (IOException | UnsupportedOperationException | InvalidConfigurationException e) {
            LOG.warn("demo mode: could not create the first admin ({}); set {} instead", e.getMessage(),
                    ADMIN_PASSWORD_ENV);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private void bootstrapAdmin(String password) {
        if (password == null || password.isEmpty() || anyUser()) {
            return;
        }
        try {
            create(BOOTSTRAP_ADMIN, password.toCharArray(), Role.ADMIN);
            LOG.info("created user '{}' (ADMIN) from {}", BOOTSTRAP_ADMIN, ADMIN_PASSWORD_ENV);
        } catch (InvalidConfigurationException e) {
            LOG.warn("{} ignored: {}", ADMIN_PASSWORD_ENV, e.getMessage());
        }
    }

    @Override
    public Optional<User> authenticate(String name, char[] password) {
        if (password == null) {
            return Optional.empty();
        }
        awaitBootstrap();
        Optional<Stored> stored = name == null ? Optional.empty() : find(name);
        boolean ok = verify(password, stored.map(Stored::hash).orElseGet(this::decoyHash));
        return ok && stored.isPresent() ? Optional.of(stored.get().user()) : Optional.empty();
    }

    @Override
    public User create(String name, char[] password, Role role) throws InvalidConfigurationException {
        List<String> problems = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("user name must be 1-64 letters, digits or . _ @ -");
        }
        if (password == null || password.length < MIN_PASSWORD_LENGTH) {
            problems.add("password must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (role == null) {
            problems.add("role is required");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        String hash = hash(password);
        boolean inserted = database.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM users WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO users (name, password_hash, role, created_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, hash);
                ps.setString(3, role.name());
                ps.setObject(4, Database.toDb(Instant.now()));
                ps.executeUpdate();
            }
            return true;
        });
        if (!inserted) {
            throw new InvalidConfigurationException(List.of("user '" + name + "' exists already"), true);
        }
        return new User(name, role);
    }

    @Override
    public boolean hasUsers() {
        awaitBootstrap();
        return anyUser();
    }

    private boolean anyUser() {
        return database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM users FETCH FIRST 1 ROWS ONLY");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public List<User> users() {
        return database.read(c -> {
            List<User> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, role FROM users ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new User(rs.getString(1), Role.valueOf(rs.getString(2))));
                }
            }
            return out;
        });
    }

    private record Stored(User user, String hash) {
    }

    // --- browser sessions (migration 10): the web keeps them in memory and writes through, so a restart keeps them

    @Override
    public void saveSession(StoredSession session) {
        database.read(c -> {
            // INSERT ... SELECT: a session whose user was deleted meanwhile is simply not kept
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE console_sessions SET last_seen = ? WHERE id_hash = ?")) {
                update.setObject(1, Database.toDb(session.lastSeen()));
                update.setString(2, session.idHash());
                if (update.executeUpdate() > 0) {
                    return null;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO console_sessions (id_hash, user_name,"
                    + " csrf_token, created_at, last_seen) SELECT ?, name, ?, ?, ? FROM users WHERE name = ?")) {
                ps.setString(1, session.idHash());
                ps.setString(2, session.csrfToken());
                ps.setObject(3, Database.toDb(session.createdAt()));
                ps.setObject(4, Database.toDb(session.lastSeen()));
                ps.setString(5, session.user().name());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<StoredSession> sessions() {
        return database.query("SELECT s.id_hash, u.name, u.role, s.csrf_token, s.created_at, s.last_seen"
                + " FROM console_sessions s JOIN users u ON u.name = s.user_name", rs -> new StoredSession(
                rs.getString("id_hash"), new User(rs.getString("name"), Role.valueOf(rs.getString("role"))),
                rs.getString("csrf_token"), Database.instant(rs, "created_at"), Database.instant(rs, "last_seen")));
    }

    @Override
    public void deleteSessions(List<String> idHashes) {
        if (idHashes.isEmpty()) {
            return;
        }
        database.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM console_sessions WHERE id_hash = ?")) {
                for (String hash : idHashes) {
                    ps.setString(1, hash);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private Optional<Stored> find(String name) {
        return database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, role, password_hash FROM users WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Stored(new User(rs.getString(1), Role.valueOf(rs.getString(2))),
                                    rs.getString(3)))
                            : Optional.empty();
                }
            }
        });
    }

    static String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = pbkdf2(password, salt, ITERATIONS, HASH_BITS);
        Base64.Encoder b64 = Base64.getEncoder();
        return "pbkdf2$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** Constant-time check of {@code password} against a stored {@code pbkdf2$…} string. */
    static boolean verify(char[] password, String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        if (parts.length != 4 || !"pbkdf2".equals(parts[0])) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            byte[] actual = pbkdf2(password, salt, iterations, expected.length * 8);
            return MessageDigest.isEqual(expected, actual);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public Optional<User> user(String name) {
        return name == null ? Optional.empty() : find(name).map(Stored::user);
    }

    @Override
    public Optional<User> update(String name, Role role, char[] password) throws InvalidConfigurationException {
        if (password != null && password.length < MIN_PASSWORD_LENGTH) {
            throw new InvalidConfigurationException(
                    List.of("password must have at least " + MIN_PASSWORD_LENGTH + " characters"));
        }
        String hash = password == null ? null : hash(password);
        Object outcome = database.transaction(c -> {
            Role current;
            try (PreparedStatement ps = c.prepareStatement("SELECT role FROM users WHERE name = ? FOR UPDATE")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    current = Role.valueOf(rs.getString(1));
                }
            }
            Role next = role == null ? current : role;
            if (current == Role.ADMIN && next != Role.ADMIN && adminCount(c) <= 1) {
                return "last-admin";
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE users SET role = ?, password_hash = COALESCE(?, password_hash) WHERE name = ?")) {
                ps.setString(1, next.name());
                ps.setString(2, hash);
                ps.setString(3, name);
                ps.executeUpdate();
            }
            return new User(name, next);
        });
        if ("last-admin".equals(outcome)) {
            throw new InvalidConfigurationException(List.of("'" + name + "' is the last admin"), true);
        }
        return Optional.ofNullable((User) outcome);
    }

    @Override
    public boolean delete(String name) throws InvalidConfigurationException {
        Object outcome = database.transaction(c -> {
            Role current;
            try (PreparedStatement ps = c.prepareStatement("SELECT role FROM users WHERE name = ? FOR UPDATE")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Boolean.FALSE;
                    }
                    current = Role.valueOf(rs.getString(1));
                }
            }
            if (current == Role.ADMIN && adminCount(c) <= 1) {
                return "last-admin";
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE name = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return Boolean.TRUE;
        });
        if ("last-admin".equals(outcome)) {
            throw new InvalidConfigurationException(List.of("'" + name + "' is the last admin"), true);
        }
        return (Boolean) outcome;
    }

    private static int adminCount(java.sql.Connection c) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM users WHERE role = 'ADMIN'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public IssuedToken createToken(String owner, String name) throws InvalidConfigurationException {
        return createToken(owner, name, null);
    }

    @Override
    public IssuedToken createToken(String owner, String name, Instant expiresAt)
            throws InvalidConfigurationException {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidConfigurationException(List.of("name: 1 to 200 characters"));
        }
        Instant expires = expiresAt == null ? null : Database.millis(expiresAt);
        if (expires != null && !expires.isAfter(Instant.now())) {
            throw new InvalidConfigurationException(List.of("expires_at: must be in the future"));
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = "gwt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] idBytes = new byte[8];
        RANDOM.nextBytes(idBytes);
        String id = java.util.HexFormat.of().formatHex(idBytes);
        Instant now = Database.millis(Instant.now());
        boolean ok = database.transaction(c -> {
            if (find(c, owner).isEmpty()) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_tokens"
                    + " (id, name, owner, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, name.trim());
                ps.setString(3, owner);
                ps.setString(4, tokenHash(token));
                ps.setObject(5, Database.toDb(now));
                ps.setObject(6, expires == null ? null : Database.toDb(expires));
                ps.executeUpdate();
            }
            return true;
        });
        if (!ok) {
            throw new InvalidConfigurationException(List.of("no user '" + owner + "'"));
        }
        return new IssuedToken(new TokenInfo(id, name.trim(), owner, now, null, expires), token);
    }

    @Override
    public List<TokenInfo> tokens() {
        return database.read(c -> {
            List<TokenInfo> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, owner, created_at, last_used,"
                    + " expires_at FROM api_tokens ORDER BY created_at, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TokenInfo(rs.getString("id"), rs.getString("name"), rs.getString("owner"),
                            Database.instant(rs, "created_at"), Database.instant(rs, "last_used"),
                            Database.instant(rs, "expires_at")));
                }
            }
            return out;
        });
    }

    @Override
    public boolean revokeToken(String id) {
        return database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM api_tokens WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * Tokens carry 256 random bits, so a plain SHA-256 is enough to make a stolen table useless, and the lookup
     * stays an index hit instead of a slow hash per request.
     */
    @Override
    public Optional<User> authenticateToken(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        String hash = tokenHash(token);
        return database.read(c -> {
            Optional<User> user = Optional.empty();
            String id = null;
            // an expired token is refused like an unknown one; its row stays, so its owner still sees it listed
            try (PreparedStatement ps = c.prepareStatement("SELECT t.id, u.name, u.role FROM api_tokens t"
                    + " JOIN users u ON u.name = t.owner WHERE t.token_hash = ?"
                    + " AND (t.expires_at IS NULL OR t.expires_at > ?)")) {
                ps.setString(1, hash);
                ps.setObject(2, Database.toDb(Instant.now()));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getString(1);
                        user = Optional.of(new User(rs.getString(2), Role.valueOf(rs.getString(3))));
                    }
                }
            }
            if (id != null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE api_tokens SET last_used = ? WHERE id = ?")) {
                    ps.setObject(1, Database.toDb(Instant.now()));
                    ps.setString(2, id);
                    ps.executeUpdate();
                }
            }
            return user;
        });
    }

    static String tokenHash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static Optional<User> find(java.sql.Connection c, String name) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, role FROM users WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new User(rs.getString(1), Role.valueOf(rs.getString(2))))
                        : Optional.empty();
            }
        }
    }

    static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }
}
