package gateway.core.store.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.h2.jdbcx.JdbcDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import gateway.core.api.BackupService.Backup;
import gateway.core.api.BackupService.InvalidBackupException;
import gateway.core.api.BackupService.RestoreResult;
import gateway.core.api.BackupService.UnknownBackupException;

/**
 * Makes and restores backup zips; the OSGi side (which database, how services restart, ConfigAdmin) comes in through
 * {@link Environment}, so the same code runs on a real H2 file in plain tests.
 *
 * <p>A backup zip holds {@code manifest.json} (format, gateway and schema version, time, SHA-256 and size of every
 * other entry), {@code database.sql} (H2's SCRIPT of a private copy made by the online {@code BACKUP TO}, with
 * notification channel secrets taken out), {@code configurations.json} (our ConfigAdmin configurations, typed, secrets
 * taken out), {@code deploy/*} (bundles and .cfg files, secrets taken out), {@code models/**} (anomaly models), and
 * {@code secrets.enc} only when a passphrase was given.
 *
 * <p>Why SCRIPT of a copy rather than the H2 file itself: BACKUP TO is H2's transactionally consistent online copy,
 * but the file may still carry scrubbed secrets in free pages and is tied to H2's file format; the script of the
 * copy holds only live rows, is independent of the H2 version, and restores into a brand-new file.
 */
final class BackupEngine {

    private static final Logger LOG = LoggerFactory.getLogger(BackupEngine.class);

    static final String FORMAT = "heatpump-gateway-backup";
    static final int FORMAT_VERSION = 1;
    static final String MANIFEST = "manifest.json";
    static final String DATABASE = "database.sql";
    static final String CONFIGURATIONS = "configurations.json";
    static final String SECRETS = "secrets.enc";
    static final String DEPLOY = "deploy/";
    static final String MODELS = "models/";
    static final String FOLDER = "backups";
    static final Pattern NAME = Pattern.compile("gateway-backup-\\d{8}-\\d{6}-\\d{3}(-auto)?\\.zip");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);
    /** Configuration keys (ConfigAdmin and .cfg files) whose values are secrets. */
    static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|secret|token|passphrase|api_?key|credential|private_?key).*");
    /** Keys that name folders of this machine: a restore keeps the current value. */
    static final Set<String> LOCAL_KEYS = Set.of("dataFolder", "model_folder");
    /** Upper bound for one uploaded or stored zip's unpacked content (zip bombs). */
    static final long MAX_UNPACKED_BYTES = 8L * 1024 * 1024 * 1024;

    /** The parts of the running gateway that are not plain files. */
    interface Environment {
        /** The open database; throws when it is not running. */
        Database database();

        /** Stops the database and everything that uses it (so nothing writes while the state is replaced). */
        void stopServices();

        /** Starts them again on the (replaced) state. */
        void startServices();

        /** Our configurations by pid (those not managed by a .cfg file in deploy/), values as ConfigAdmin has them. */
        Map<String, Map<String, Object>> configurations();

        /** Makes our configurations exactly these. */
        void replaceConfigurations(Map<String, Map<String, Object>> configurations);

        /** The secret settings of a notification channel type; null when the type is not installed (all are). */
        Set<String> secretChannelSettings(String type);
    }

    private final Path dataDir;
    private final Path backupDir;
    private final Path deployDir;
    private final Path modelDir;
    private final String gatewayVersion;
    private final Clock clock;
    private final int kdfIterations;
    private final Environment env;
    private final ObjectMapper mapper = new ObjectMapper();
    private Instant lastStamp = Instant.EPOCH;

    BackupEngine(Path dataDir, Path deployDir, Path modelDir, String gatewayVersion, Clock clock, int kdfIterations,
                 Environment env) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.backupDir = this.dataDir.resolve(FOLDER);
        this.deployDir = deployDir.toAbsolutePath().normalize();
        this.modelDir = modelDir.toAbsolutePath().normalize();
        this.gatewayVersion = gatewayVersion;
        this.clock = clock;
        this.kdfIterations = kdfIterations;
        this.env = env;
    }

    Path backupDir() {
        return backupDir;
    }

    // ---------------------------------------------------------------- create

    synchronized Backup create(char[] passphrase, boolean scheduled) {
        boolean encrypt = passphrase != null && passphrase.length > 0;
        Database db = env.database();
        Path staging = null;
        try {
            ownerOnlyFolder(backupDir);
            staging = Files.createTempDirectory(backupDir, ".staging-");
            Instant createdAt = uniqueStamp();
            ObjectNode secrets = emptySecrets();
            Map<String, Path> entries = new LinkedHashMap<>();

            Path sql = staging.resolve(DATABASE);
            int schemaVersion = dumpDatabase(db, staging, sql, obj(secrets, "channels"), obj(secrets, "devices"));
            entries.put(DATABASE, sql);

            Map<String, Map<String, Object>> configs = env.configurations();
            ObjectNode configJson = mapper.createObjectNode();
            for (Map.Entry<String, Map<String, Object>> c : new TreeMap<>(configs).entrySet()) {
                ObjectNode props = configJson.putObject(c.getKey());
                for (Map.Entry<String, Object> p : new TreeMap<>(c.getValue()).entrySet()) {
                    JsonNode typed = TypedValues.toJson(p.getValue());
                    if (typed == null) {
                        continue;
                    }
                    if (SECRET_KEY.matcher(p.getKey()).matches()) {
                        obj(obj(secrets, "configurations"), c.getKey()).set(p.getKey(), typed);
                    } else {
                        props.set(p.getKey(), typed);
                    }
                }
            }
            Path configFile = staging.resolve(CONFIGURATIONS);
            Files.write(configFile, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(configJson));
            entries.put(CONFIGURATIONS, configFile);

            for (Path f : regularFiles(deployDir, false)) {
                String entry = DEPLOY + f.getFileName();
                if (isConfigFile(f)) {
                    Path scrubbed = staging.resolve("deploy-" + f.getFileName());
                    Files.writeString(scrubbed, takeSecretLines(Files.readString(f, StandardCharsets.ISO_8859_1),
                            obj(obj(secrets, "files"), entry)), StandardCharsets.ISO_8859_1);
                    entries.put(entry, scrubbed);
                } else {
                    entries.put(entry, f);
                }
            }
            for (Path f : regularFiles(modelDir, true)) {
                entries.put(MODELS + modelDir.relativize(f).toString().replace('\\', '/'), f);
            }
            boolean hasSecrets = secrets.get("channels").size() + secrets.get("devices").size()
                    + secrets.get("configurations").size()
                    + secrets.get("files").size() > 0;
            if (encrypt) {
                Path sealed = staging.resolve(SECRETS);
                Files.write(sealed, SecretBox.seal(mapper.writeValueAsBytes(secrets), passphrase, kdfIterations));
                entries.put(SECRETS, sealed);
            }

            String name = "gateway-backup-" + STAMP.format(createdAt) + (scheduled ? "-auto" : "") + ".zip";
            ObjectNode manifest = mapper.createObjectNode();
            manifest.put("format", FORMAT);
            manifest.put("format_version", FORMAT_VERSION);
            manifest.put("gateway_version", gatewayVersion);
            manifest.put("schema_version", schemaVersion);
            manifest.put("created_at", createdAt.toString());
            manifest.put("secrets", encrypt ? "encrypted" : "omitted");
            manifest.put("secrets_found", hasSecrets);
            manifest.put("scheduled", scheduled);
            ObjectNode files = manifest.putObject("files");
            for (Map.Entry<String, Path> e : entries.entrySet()) {
                files.putObject(e.getKey()).put("sha256", sha256(e.getValue())).put("size", Files.size(e.getValue()));
            }
            Path zip = staging.resolve(name);
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
                out.putNextEntry(new ZipEntry(MANIFEST));
                out.write(mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
                out.closeEntry();
                for (Map.Entry<String, Path> e : entries.entrySet()) {
                    out.putNextEntry(new ZipEntry(e.getKey()));
                    Files.copy(e.getValue(), out);
                    out.closeEntry();
                }
            }
            ownerOnlyFile(zip);
            Path target = backupDir.resolve(name);
            move(zip, target);
            LOG.info("backup created: {} ({} bytes, schema {}, secrets {})", name, Files.size(target), schemaVersion,
                    encrypt ? "encrypted" : "omitted");
            return describe(target).orElseThrow();
        } catch (IOException e) {
            throw new StoreException("cannot write backup: " + e, e);
        } finally {
            deleteTree(staging);
        }
    }

    /** Backup times are file names: two backups in the same millisecond get distinct ones. */
    private Instant uniqueStamp() {
        Instant now = Instant.ofEpochMilli(clock.millis());
        if (!now.isAfter(lastStamp)) {
            now = lastStamp.plusMillis(1);
        }
        lastStamp = now;
        return now;
    }

    /**
     * H2's online BACKUP TO (consistent while writes go on) into the staging folder, then, on that private copy, the
     * channel secrets taken out and SCRIPT written. Returns the copy's schema version.
     */
    private int dumpDatabase(Database db, Path staging, Path sql, ObjectNode channelSecrets, ObjectNode deviceSecrets)
            throws IOException {
        Path h2Zip = staging.resolve("h2-backup.zip");
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("BACKUP TO ?")) {
                ps.setString(1, h2Zip.toString());
                ps.execute();
            }
            return null;
        });
        Path copy = staging.resolve("copy");
        Files.createDirectories(copy);
        boolean found = false;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(h2Zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().endsWith(".mv.db")) {
                    Files.copy(in, copy.resolve(Database.FILE_NAME + ".mv.db"));
                    found = true;
                }
            }
        }
        Files.delete(h2Zip);
        if (!found) {
            throw new IOException("H2's BACKUP TO wrote no database file");
        }
        try (Connection c = openRaw(copy.resolve(Database.FILE_NAME)); Statement st = c.createStatement()) {
            int schema = SchemaMigrations.currentVersion(c);
            takeChannelSecrets(c, channelSecrets);
            takeDeviceSecrets(c, deviceSecrets, true);
            st.execute("SCRIPT TO '" + sql.toString().replace("'", "''") + "' CHARSET 'UTF-8'");
            st.execute("SHUTDOWN");
            return schema;
        } catch (SQLException e) {
            throw new IOException("cannot write the database script: " + e.getMessage(), e);
        }
    }

    /**
     * A channel setting a backup carries only under its passphrase: what the installed kind declares secret (all of
     * an uninstalled kind's), what the store seals ({@link ChannelSecrets}), and whatever is sealed with this
     * folder's key, which never goes into a backup (a sealed value would not open where the backup is restored).
     */
    private static boolean isChannelSecret(String type, String setting, String value, Set<String> declared) {
        return declared == null || declared.contains(setting) || SecretCipher.sealed(value)
                || ChannelSecrets.isSecret(type, setting, Set.of());
    }

    /** A stored value in clear: a backup carries secrets plain under its passphrase, never under secrets.key. */
    private String plain(String value) {
        return SecretCipher.sealed(value) ? cipher().open(value) : value;
    }

    /** The data folder's cipher; only asked for when there is something to seal or open (it creates the key). */
    private SecretCipher cipher() {
        return SecretCipher.forDataFolder(dataDir);
    }

    /** Moves the channels' secret settings from the copy into {@code out} (channel id → setting → value, plain). */
    private void takeChannelSecrets(Connection c, ObjectNode out) throws SQLException {
        if (!hasTable(c, "notification_channels")) {
            return; // a schema before channels
        }
        Map<String, ObjectNode> changed = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, type, settings FROM notification_channels")) {
            while (rs.next()) {
                ObjectNode settings = parseObject(rs.getString(3));
                String type = rs.getString(2);
                Set<String> secret = env.secretChannelSettings(type);
                ObjectNode taken = mapper.createObjectNode();
                for (Iterator<String> it = settings.fieldNames(); it.hasNext(); ) {
                    String key = it.next();
                    String value = settings.get(key).asText();
                    if (isChannelSecret(type, key, value, secret)) {
                        taken.put(key, plain(value));
                        it.remove();
                    }
                }
                if (!taken.isEmpty()) {
                    out.set(rs.getString(1), taken);
                    changed.put(rs.getString(1), settings);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE notification_channels SET settings = ? WHERE id = ?")) {
            for (Map.Entry<String, ObjectNode> e : changed.entrySet()) {
                ps.setString(1, e.getValue().toString());
                ps.setString(2, e.getKey());
                ps.executeUpdate();
            }
        }
    }

    /**
     * Device connection options whose key names a secret (a controller's password): into {@code out} (device id →
     * option → value), and out of the copy when {@code remove}.
     */
    private void takeDeviceSecrets(Connection c, ObjectNode out, boolean remove) throws SQLException {
        Map<String, String> changed = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, connection_config FROM heatpumps")) {
            while (rs.next()) {
                ObjectNode config = parseObject(rs.getString(2));
                if (!(config.get("options") instanceof ObjectNode options)) {
                    continue;
                }
                ObjectNode taken = mapper.createObjectNode();
                for (Iterator<String> it = options.fieldNames(); it.hasNext(); ) {
                    String key = it.next();
                    if (SECRET_KEY.matcher(key).matches() && !key.toLowerCase(Locale.ROOT).endsWith("_url")) {
                        // an endpoint such as token_url is not a secret; a secret is sealed with this data folder's key (secrets.key, never in a backup): a backup carries the
                        // plain value under its passphrase, and the store seals it again with the key of the folder
                        // it is restored into
                        String value = options.get(key).asText();
                        taken.put(key, plain(value));
                        if (remove) {
                            it.remove();
                        }
                    }
                }
                if (!taken.isEmpty()) {
                    out.set(rs.getString(1), taken);
                    changed.put(rs.getString(1), config.toString());
                }
            }
        }
        if (remove) {
            updateConnections(c, changed);
        }
    }

    /** Puts device secrets back: only for devices that exist and only options they lack. */
    private void putDeviceSecrets(Connection c, JsonNode secrets) throws SQLException {
        if (secrets == null || secrets.isEmpty()) {
            return;
        }
        Map<String, String> changed = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, connection_config FROM heatpumps")) {
            while (rs.next()) {
                JsonNode mine = secrets.get(rs.getString(1));
                if (mine == null) {
                    continue;
                }
                ObjectNode config = parseObject(rs.getString(2));
                ObjectNode options = obj(config, "options");
                mine.fields().forEachRemaining(f -> {
                    if (!options.has(f.getKey())) {
                        options.set(f.getKey(), f.getValue());
                    }
                });
                // in key order, as DeviceJson writes them
                ObjectNode sorted = mapper.createObjectNode();
                new java.util.TreeSet<>(iterable(options.fieldNames())).forEach(k -> sorted.set(k, options.get(k)));
                config.set("options", sorted);
                changed.put(rs.getString(1), config.toString());
            }
        }
        updateConnections(c, changed);
    }

    private static void updateConnections(Connection c, Map<String, String> changed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE heatpumps SET connection_config = ? WHERE id = ?")) {
            for (Map.Entry<String, String> e : changed.entrySet()) {
                ps.setString(1, e.getValue());
                ps.setString(2, e.getKey());
                ps.executeUpdate();
            }
        }
    }

    /** Puts channel secrets back into a database; only for channels that exist and only settings they lack. */
    private void putChannelSecrets(Connection c, JsonNode secrets) throws SQLException {
        if (secrets == null || secrets.isEmpty()) {
            return;
        }
        Map<String, ObjectNode> changed = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, settings FROM notification_channels")) {
            while (rs.next()) {
                JsonNode mine = secrets.get(rs.getString(1));
                if (mine == null) {
                    continue;
                }
                ObjectNode settings = parseObject(rs.getString(2));
                mine.fields().forEachRemaining(f -> {
                    if (!settings.has(f.getKey())) {
                        // sealed with the key of the folder restored into, as the store would seal it
                        settings.put(f.getKey(), cipher().seal(f.getValue().asText()));
                    }
                });
                // in key order, as H2NotificationChannelStore writes them
                ObjectNode sorted = mapper.createObjectNode();
                new java.util.TreeSet<>(iterable(settings.fieldNames())).forEach(k -> sorted.set(k, settings.get(k)));
                changed.put(rs.getString(1), sorted);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE notification_channels SET settings = ? WHERE id = ?")) {
            for (Map.Entry<String, ObjectNode> e : changed.entrySet()) {
                ps.setString(1, e.getValue().toString());
                ps.setString(2, e.getKey());
                ps.executeUpdate();
            }
        }
    }

    private static <T> java.util.List<T> iterable(Iterator<T> it) {
        java.util.List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static boolean hasTable(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ?")) {
            ps.setString(1, table.toUpperCase(java.util.Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }

    private ObjectNode parseObject(String json) {
        try {
            JsonNode n = json == null ? null : mapper.readTree(json);
            return n instanceof ObjectNode o ? o : mapper.createObjectNode();
        } catch (JsonProcessingException e) {
            return mapper.createObjectNode();
        }
    }

    /** The secrets of the running gateway, in a backup's shape: what a restore without the backup's secrets keeps. */
    private ObjectNode currentSecrets() throws IOException {
        ObjectNode secrets = emptySecrets();
        Database db = env.database();
        db.read(c -> {
            // a read-only pass over the live table: the same split as for a backup, nothing written
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, type, settings FROM notification_channels")) {
                while (rs.next()) {
                    ObjectNode settings = parseObject(rs.getString(3));
                    String type = rs.getString(2);
                    Set<String> secret = env.secretChannelSettings(type);
                    ObjectNode taken = mapper.createObjectNode();
                    settings.fields().forEachRemaining(f -> {
                        if (isChannelSecret(type, f.getKey(), f.getValue().asText(), secret)) {
                            taken.put(f.getKey(), plain(f.getValue().asText()));
                        }
                    });
                    if (!taken.isEmpty()) {
                        obj(secrets, "channels").set(rs.getString(1), taken);
                    }
                }
            }
            takeDeviceSecrets(c, obj(secrets, "devices"), false);
            return null;
        });
        for (Map.Entry<String, Map<String, Object>> c : env.configurations().entrySet()) {
            for (Map.Entry<String, Object> p : c.getValue().entrySet()) {
                JsonNode typed = TypedValues.toJson(p.getValue());
                if (typed != null && SECRET_KEY.matcher(p.getKey()).matches()) {
                    obj(obj(secrets, "configurations"), c.getKey()).set(p.getKey(), typed);
                }
            }
        }
        for (Path f : regularFiles(deployDir, false)) {
            if (isConfigFile(f)) {
                takeSecretLines(Files.readString(f, StandardCharsets.ISO_8859_1),
                        obj(obj(secrets, "files"), DEPLOY + f.getFileName()));
            }
        }
        return secrets;
    }

    private static ObjectNode obj(ObjectNode parent, String name) {
        JsonNode n = parent.get(name);
        return n instanceof ObjectNode o ? o : parent.putObject(name);
    }

    private ObjectNode emptySecrets() {
        ObjectNode secrets = mapper.createObjectNode();
        secrets.putObject("channels");
        secrets.putObject("devices");
        secrets.putObject("configurations");
        secrets.putObject("files");
        return secrets;
    }

    private static final Pattern PROPERTY_LINE = Pattern.compile("^\\s*([^#!=:\\s]+)\\s*[=:\\s]\\s*(.*)$");

    /** Removes the lines of a .cfg/.config file whose key is a secret; their raw values go into {@code out}. */
    static String takeSecretLines(String text, ObjectNode out) {
        StringBuilder kept = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            Matcher m = PROPERTY_LINE.matcher(line);
            if (m.matches() && SECRET_KEY.matcher(m.group(1)).matches()) {
                out.put(m.group(1), m.group(2).replaceAll("\r$", ""));
                continue;
            }
            kept.append(line).append('\n');
        }
        return kept.length() > 0 ? kept.substring(0, kept.length() - 1) : "";
    }

    /** Appends {@code key=value} for each secret the file's text lacks. */
    static String putSecretLines(String text, JsonNode secrets) {
        if (secrets == null || secrets.isEmpty()) {
            return text;
        }
        Set<String> present = new java.util.HashSet<>();
        for (String line : text.split("\n")) {
            Matcher m = PROPERTY_LINE.matcher(line);
            if (m.matches()) {
                present.add(m.group(1));
            }
        }
        StringBuilder out = new StringBuilder(text);
        if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
            out.append('\n');
        }
        secrets.fields().forEachRemaining(f -> {
            if (!present.contains(f.getKey())) {
                out.append(f.getKey()).append('=').append(f.getValue().asText()).append('\n');
            }
        });
        return out.toString();
    }

    private static boolean isConfigFile(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(".cfg") || n.endsWith(".config");
    }

    // ---------------------------------------------------------------- list, file, delete, retention

    synchronized List<Backup> list() {
        List<Backup> out = new ArrayList<>();
        if (!Files.isDirectory(backupDir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(backupDir)) {
            for (Path f : files) {
                if (NAME.matcher(f.getFileName().toString()).matches()) {
                    describe(f).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot list backups: " + e, e);
        }
        out.sort(Comparator.comparing(Backup::name).reversed());
        return out;
    }

    Optional<Path> file(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Path f = backupDir.resolve(name);
        return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
    }

    synchronized boolean delete(String name) {
        Optional<Path> f = file(name);
        if (f.isEmpty()) {
            return false;
        }
        try {
            boolean deleted = Files.deleteIfExists(f.get());
            if (deleted) {
                LOG.info("backup deleted: {}", name);
            }
            return deleted;
        } catch (IOException e) {
            throw new StoreException("cannot delete backup " + name + ": " + e, e);
        }
    }

    /**
     * The schedule's step: a new scheduled backup when the newest is {@code interval} old (or there is none), then
     * only the newest {@code keep} scheduled backups are kept. Backups a user made are never pruned.
     *
     * @return the backup made, if one was due
     */
    synchronized Optional<Backup> runSchedule(Duration interval, int keep, char[] passphrase) {
        if (interval.isZero() || interval.isNegative()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<Backup> newest = list().stream().filter(Backup::scheduled).findFirst();
        Backup made = null;
        if (newest.isEmpty() || !now.isBefore(newest.get().createdAt().plus(interval))) {
            made = create(passphrase, true);
        }
        prune(keep);
        return Optional.ofNullable(made);
    }

    synchronized void prune(int keep) {
        List<Backup> scheduled = list().stream().filter(Backup::scheduled).toList();
        for (Backup b : scheduled.subList(Math.min(Math.max(keep, 1), scheduled.size()), scheduled.size())) {
            delete(b.name());
        }
    }

    /** A backup file's listing entry from its manifest; empty when the file is not a readable backup. */
    private Optional<Backup> describe(Path zip) {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry e = z.getEntry(MANIFEST);
            if (e == null) {
                return Optional.empty();
            }
            JsonNode m;
            try (InputStream in = z.getInputStream(e)) {
                m = mapper.readTree(in.readNBytes(1 << 20));
            }
            return Optional.of(new Backup(zip.getFileName().toString(), Files.size(zip),
                    Instant.parse(m.path("created_at").asText()), m.path("gateway_version").asText(),
                    m.path("schema_version").asInt(), m.path("secrets").asText(), m.path("scheduled").asBoolean()));
        } catch (IOException | RuntimeException ex) {
            LOG.warn("{} is not a readable backup: {}", zip.getFileName(), ex.toString());
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- restore

    synchronized RestoreResult restore(String name, char[] passphrase, boolean restoreSecrets) {
        Path zip = file(name).orElseThrow(() -> new UnknownBackupException(name));
        return restoreFile(zip, name, passphrase, restoreSecrets);
    }

    synchronized RestoreResult restore(InputStream upload, char[] passphrase, boolean restoreSecrets) {
        Path staging = null;
        try {
            ownerOnlyFolder(backupDir);
            staging = Files.createTempDirectory(backupDir, ".upload-");
            Path zip = staging.resolve("upload.zip");
            Files.copy(upload, zip);
            return restoreFile(zip, "upload", passphrase, restoreSecrets);
        } catch (IOException e) {
            throw new InvalidBackupException("backup", "cannot read the uploaded backup: " + e.getMessage(), e);
        } finally {
            deleteTree(staging);
        }
    }

    private RestoreResult restoreFile(Path zip, String name, char[] passphrase, boolean restoreSecrets) {
        Path staging = null;
        try {
            ownerOnlyFolder(backupDir);
            staging = Files.createTempDirectory(backupDir, ".restore-");
            Path content = staging.resolve("content");
            JsonNode manifest = extractAndVerify(zip, content);
            int backupSchema = manifest.path("schema_version").asInt();

            ObjectNode secrets;
            if (restoreSecrets) {
                if (passphrase == null || passphrase.length == 0) {
                    throw new InvalidBackupException("passphrase", "restoring secrets needs the backup's passphrase");
                }
                if (!Files.exists(content.resolve(SECRETS))) {
                    throw new InvalidBackupException("restore_secrets",
                            "this backup was made without secrets (no passphrase was given)");
                }
                try {
                    JsonNode n = mapper.readTree(SecretBox.open(Files.readAllBytes(content.resolve(SECRETS)),
                            passphrase));
                    secrets = n instanceof ObjectNode o ? o : emptySecrets();
                } catch (SecretBox.WrongPassphraseException e) {
                    throw new InvalidBackupException("passphrase", e.getMessage());
                }
            } else {
                secrets = currentSecrets();
            }

            // the database: the script into a brand-new file, migrated to this gateway's schema, secrets put back
            Path newDb = staging.resolve("db");
            Files.createDirectories(newDb);
            // migrating a backup of an older schema may seal secrets it still holds in clear (step 13): with the key
            // of this folder, where the file goes, not a new one of the staging folder (deleted with it below)
            cipher();
            Files.copy(dataDir.resolve(SecretCipher.KEY_FILE), newDb.resolve(SecretCipher.KEY_FILE));
            try (Connection c = openRaw(newDb.resolve(Database.FILE_NAME)); Statement st = c.createStatement()) {
                st.execute("RUNSCRIPT FROM '" + content.resolve(DATABASE).toString().replace("'", "''")
                        + "' CHARSET 'UTF-8'");
                st.execute("SHUTDOWN");
            } catch (SQLException e) {
                throw new InvalidBackupException("backup", "the backup's database does not load: " + e.getMessage(),
                        e);
            }
            int schemaVersion;
            try (Database restored = Database.open(newDb)) {
                schemaVersion = restored.schemaVersion();
                restored.read(c -> {
                    putChannelSecrets(c, secrets.get("channels"));
                    putDeviceSecrets(c, secrets.get("devices"));
                    return null;
                });
            } catch (StoreException e) {
                throw new InvalidBackupException("backup", "the backup's database does not open: " + e.getMessage(),
                        e);
            }

            Map<String, Map<String, Object>> configurations = restoredConfigurations(content, secrets);
            Map<String, Path> deployFiles = prepareDeployFiles(content, staging, secrets.get("files"));
            Path models = content.resolve("models");

            // the point of no return: everything above could fail without a change
            env.stopServices();
            try {
                move(newDb.resolve(Database.FILE_NAME + ".mv.db"), dataDir.resolve(Database.FILE_NAME + ".mv.db"));
                replaceFolder(deployDir, deployFiles);
                Map<String, Path> modelFiles = new LinkedHashMap<>();
                for (Path f : regularFiles(models, true)) {
                    modelFiles.put(models.relativize(f).toString(), f);
                }
                replaceFolder(modelDir, modelFiles);
                env.replaceConfigurations(configurations);
            } finally {
                env.startServices();
            }
            LOG.info("backup restored: {} (schema {} → {}, secrets {})", name, backupSchema, schemaVersion,
                    restoreSecrets ? "from the backup" : "kept");
            return new RestoreResult(name, Instant.parse(manifest.path("created_at").asText()), backupSchema,
                    schemaVersion, restoreSecrets, deployFiles.size() + modelFiles(models),
                    configurations.size());
        } catch (IOException e) {
            throw new StoreException("restore failed: " + e, e);
        } finally {
            deleteTree(staging);
        }
    }

    private static int modelFiles(Path models) throws IOException {
        return regularFiles(models, true).size();
    }

    /**
     * Unpacks the zip into {@code into} and checks it against its manifest: our format, a schema this gateway
     * can migrate from, every listed entry present with its SHA-256 and size, nothing unlisted, no path outside.
     */
    private JsonNode extractAndVerify(Path zip, Path into) throws IOException {
        Files.createDirectories(into);
        Map<String, String> sums = new TreeMap<>();
        long total = 0;
        JsonNode manifest = null;
        List<String> unexpected = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            boolean any = false;
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                any = true;
                String entry = e.getName();
                if (e.isDirectory()) {
                    continue;
                }
                if (!knownEntry(entry)) {
                    unexpected.add(entry); // judged after the loop: a foreign zip is "not a backup", not "odd entry"
                    continue;
                }
                Path target = safeTarget(into, entry);
                if (sums.containsKey(entry)) {
                    throw new InvalidBackupException("backup", "the zip holds '" + entry + "' twice");
                }
                Files.createDirectories(target.getParent());
                MessageDigest digest = sha256();
                long written;
                try (OutputStream out = Files.newOutputStream(target)) {
                    written = copyLimited(new DigestInputStream(in, digest), out, MAX_UNPACKED_BYTES - total);
                }
                total += written;
                sums.put(entry, HexFormat.of().formatHex(digest.digest()));
                if (entry.equals(MANIFEST)) {
                    try {
                        manifest = mapper.readTree(target.toFile());
                    } catch (JsonProcessingException ex) {
                        throw new InvalidBackupException("backup", "the manifest is not valid JSON");
                    }
                }
            }
            if (!any) {
                throw new InvalidBackupException("backup", "not a zip file (or an empty one)");
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new InvalidBackupException("backup", "not a valid zip file: " + e.getMessage(), e);
        }
        if (manifest == null || !FORMAT.equals(manifest.path("format").asText())) {
            throw new InvalidBackupException("backup", "not a gateway backup (no " + MANIFEST + " of format " + FORMAT
                    + ")");
        }
        if (!unexpected.isEmpty()) {
            throw new InvalidBackupException("backup", "unexpected entry '" + unexpected.get(0) + "' in the backup");
        }
        if (manifest.path("format_version").asInt() != FORMAT_VERSION) {
            throw new InvalidBackupException("backup", "backup format version "
                    + manifest.path("format_version").asText() + " is not supported (this gateway reads "
                    + FORMAT_VERSION + ")");
        }
        int latest = SchemaMigrations.ALL.get(SchemaMigrations.ALL.size() - 1).version();
        JsonNode schema = manifest.get("schema_version");
        if (schema == null || !schema.canConvertToInt() || schema.asInt() < 1) {
            throw new InvalidBackupException("backup", "the manifest has no schema version");
        }
        if (schema.asInt() > latest) {
            throw new InvalidBackupException("backup", "the backup's schema version " + schema.asInt()
                    + " is newer than this gateway's (" + latest + "); update the gateway first");
        }
        try {
            Instant.parse(manifest.path("created_at").asText());
        } catch (RuntimeException e) {
            throw new InvalidBackupException("backup", "the manifest has no valid created_at");
        }
        JsonNode files = manifest.path("files");
        if (!files.isObject() || !files.has(DATABASE)) {
            throw new InvalidBackupException("backup", "the manifest lists no database");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String actual = sums.get(f.getKey());
            if (actual == null) {
                throw new InvalidBackupException("backup", "'" + f.getKey() + "' is missing from the backup");
            }
            if (!actual.equalsIgnoreCase(f.getValue().path("sha256").asText())) {
                throw new InvalidBackupException("backup", "checksum mismatch for '" + f.getKey()
                        + "': the backup is corrupt or was changed");
            }
        }
        for (String entry : sums.keySet()) {
            if (!entry.equals(MANIFEST) && !files.has(entry)) {
                throw new InvalidBackupException("backup", "'" + entry + "' is not listed in the manifest");
            }
        }
        return manifest;
    }

    private static Path safeTarget(Path into, String entry) {
        if (entry.isEmpty() || entry.startsWith("/") || entry.contains("\\") || entry.contains("\0")) {
            throw new InvalidBackupException("backup", "invalid entry name in the zip");
        }
        Path target = into.resolve(entry).normalize();
        if (!target.startsWith(into) || target.equals(into)) {
            throw new InvalidBackupException("backup", "entry '" + entry + "' points outside the backup");
        }
        return target;
    }

    private static boolean knownEntry(String entry) {
        return entry.equals(MANIFEST) || entry.equals(DATABASE) || entry.equals(CONFIGURATIONS)
                || entry.equals(SECRETS) || (entry.startsWith(DEPLOY) && entry.indexOf('/', DEPLOY.length()) < 0)
                || entry.startsWith(MODELS);
    }

    private static long copyLimited(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[65536];
        long n = 0;
        for (int r; (r = in.read(buffer)) >= 0; ) {
            n += r;
            if (n > limit) {
                throw new InvalidBackupException("backup", "the backup unpacks to more than "
                        + (MAX_UNPACKED_BYTES >> 30) + " GiB");
            }
            out.write(buffer, 0, r);
        }
        return n;
    }

    private Map<String, Map<String, Object>> restoredConfigurations(Path content, ObjectNode secrets)
            throws IOException {
        JsonNode json;
        Path file = content.resolve(CONFIGURATIONS);
        if (!Files.exists(file)) {
            json = mapper.createObjectNode();
        } else {
            try {
                json = mapper.readTree(file.toFile());
            } catch (JsonProcessingException e) {
                throw new InvalidBackupException("backup", CONFIGURATIONS + " is not valid JSON");
            }
        }
        Map<String, Map<String, Object>> current = env.configurations();
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            if (!c.getKey().startsWith("gateway.")) {
                throw new InvalidBackupException("backup", "configuration '" + c.getKey() + "' is not the gateway's");
            }
            Map<String, Object> props = new TreeMap<>();
            c.getValue().fields().forEachRemaining(p -> props.put(p.getKey(), typedValue(c.getKey(), p)));
            JsonNode secret = secrets.path("configurations").path(c.getKey());
            secret.fields().forEachRemaining(p -> props.put(p.getKey(), typedValue(c.getKey(), p)));
            Map<String, Object> mine = current.getOrDefault(c.getKey(), Map.of());
            for (String local : LOCAL_KEYS) {
                if (mine.containsKey(local)) {
                    props.put(local, mine.get(local));
                } else {
                    props.remove(local);
                }
            }
            out.put(c.getKey(), props);
        }
        return out;
    }

    private static Object typedValue(String pid, Map.Entry<String, JsonNode> p) {
        try {
            return TypedValues.fromJson(p.getValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidBackupException("backup", "configuration " + pid + " key " + p.getKey() + ": "
                    + e.getMessage());
        }
    }

    /** The deploy/ files as restored: .cfg files with their secrets put back. */
    private Map<String, Path> prepareDeployFiles(Path content, Path staging, JsonNode fileSecrets) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        Path dir = content.resolve("deploy");
        for (Path f : regularFiles(dir, false)) {
            String name = f.getFileName().toString();
            if (isConfigFile(f)) {
                Path merged = staging.resolve("cfg-" + name);
                Files.writeString(merged, putSecretLines(Files.readString(f, StandardCharsets.ISO_8859_1),
                        fileSecrets == null ? null : fileSecrets.get(DEPLOY + name)), StandardCharsets.ISO_8859_1);
                out.put(name, merged);
            } else {
                out.put(name, f);
            }
        }
        return out;
    }

    /**
     * Makes {@code folder} hold exactly {@code files} (relative path → source). A file whose content is already the
     * same is left alone, so FileInstall does not update a bundle that did not change.
     */
    private static void replaceFolder(Path folder, Map<String, Path> files) throws IOException {
        Files.createDirectories(folder);
        for (Path existing : regularFiles(folder, true)) {
            String rel = folder.relativize(existing).toString();
            if (!files.containsKey(rel)) {
                Files.delete(existing);
            }
        }
        for (Map.Entry<String, Path> f : files.entrySet()) {
            Path target = folder.resolve(f.getKey()).normalize();
            if (!target.startsWith(folder)) {
                continue;
            }
            if (Files.exists(target) && Files.mismatch(target, f.getValue()) == -1) {
                continue;
            }
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling("." + target.getFileName() + ".restoring");
            Files.copy(f.getValue(), temp, StandardCopyOption.REPLACE_EXISTING);
            ownerOnlyFile(temp);
            move(temp, target);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** An H2 connection of its own to a file that is not the live database (a copy, a restore in the making). */
    static Connection openRaw(Path fileWithoutSuffix) throws SQLException {
        String file = fileWithoutSuffix.toAbsolutePath().toString();
        if (file.indexOf(';') >= 0) {
            throw new SQLException("path must not contain ';': " + file);
        }
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;AUTO_SERVER=FALSE");
        ds.setUser("sa");
        ds.setPassword("");
        return ds.getConnection();
    }

    /** Regular files of a folder (recursive or not), sorted; none when it does not exist. Hidden files are skipped. */
    static List<Path> regularFiles(Path folder, boolean recursive) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        if (!recursive) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(folder)) {
                for (Path p : s) {
                    if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) {
                        out.add(p);
                    }
                }
            }
        } else {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !file.getFileName().toString().startsWith(".")) {
                        out.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void ownerOnlyFolder(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    static void ownerOnlyFile(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest d = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), d)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", root, e.toString());
        }
    }

}
