package gateway.core.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.Heatpump;

/**
 * One-time import for users of the original single-device IDM logger: its IDM connection becomes the device
 * {@code hp-legacy}, and its jobs and alerts follow it.
 *
 * <p>Sources, in order: the logger's SQLite file (framework property {@code gateway.legacy.db}, else env
 * {@code IDM_LOGGER_DB}, else {@code <data>/idm_logger.db} when present) whose {@code settings} row {@code config}
 * holds the config JSON; env {@code IDM_HOST}/{@code IDM_PORT}/{@code IDM_UNIT_ID} override it, as they did in the
 * original at every start, and alone are enough. The file is opened read-only and never changed.
 *
 * <p>Runs only while no device exists and the flag {@value #DONE_KEY} is absent; the flag is set in the same
 * transaction as the import, so deleting {@code hp-legacy} later never brings it back.
 */
final class LegacyMigration {

    static final String HEATPUMP_ID = "hp-legacy";
    static final String DONE_KEY = "legacy_migration_done";
    static final String ERROR_KEY = "legacy_migration_error";
    static final String LEGACY_DB_PROPERTY = "gateway.legacy.db";
    static final String LEGACY_DB_ENV = "IDM_LOGGER_DB";
    static final String LEGACY_DB_FILE = "idm_logger.db";
    static final String DEFAULT_NAME = "IDM Wärmepumpe (migriert)";
    static final int DEFAULT_PORT = 502;
    static final int DEFAULT_UNIT_ID = 1;
    static final int DEFAULT_POLL_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(LegacyMigration.class);
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    enum Status { ALREADY_DONE, DEVICES_EXIST, NOTHING_TO_MIGRATE, MIGRATED, FAILED }

    /** What a run did; {@code error} is the reason the source could not be read, else null. */
    record Outcome(Status status, int jobs, int alerts, String error) {
    }

    /** The parts of the legacy database we take over. */
    record LegacyData(JsonNode config, List<Map<String, Object>> jobs, List<Map<String, Object>> alerts) {
    }

    /** The source file is not a readable IDM logger database. */
    static final class LegacySourceException extends Exception {
        private static final long serialVersionUID = 1L;

        LegacySourceException(String message) {
            super(message);
        }
    }

    private final Database database;
    private final Path legacyDb;
    private final boolean legacyDbExplicit;
    private final Function<String, String> env;

    /**
     * @param legacyDb  the SQLite file, or null for none
     * @param explicit  true when the path was configured (a missing file is then an error, not "no source")
     * @param env       reads environment variables
     */
    LegacyMigration(Database database, Path legacyDb, boolean explicit, Function<String, String> env) {
        this.database = database;
        this.legacyDb = legacyDb;
        this.legacyDbExplicit = explicit;
        this.env = env;
    }

    static LegacyMigration fromEnvironment(Database database, Function<String, String> frameworkProperties,
                                           Function<String, String> env) {
        String configured = blankToNull(frameworkProperties.apply(LEGACY_DB_PROPERTY));
        if (configured == null) {
            configured = blankToNull(env.apply(LEGACY_DB_ENV));
        }
        if (configured != null) {
            return new LegacyMigration(database, Paths.get(configured), true, env);
        }
        Path fallback = database.settings().dataDir().resolve(LEGACY_DB_FILE);
        return new LegacyMigration(database, Files.isRegularFile(fallback) ? fallback : null, false, env);
    }

    Outcome run() {
        Boolean done = database.read(c -> H2SettingsStore.get(c, DONE_KEY).isPresent());
        if (done) {
            return new Outcome(Status.ALREADY_DONE, 0, 0, null);
        }
        if (database.read(H2HeatpumpStore::any)) {
            // as in the original: devices configured by hand mean there is nothing left to migrate
            database.read(c -> {
                H2SettingsStore.put(c, DONE_KEY, "skipped at " + Instant.now() + ": devices already configured");
                return null;
            });
            return new Outcome(Status.DEVICES_EXIST, 0, 0, null);
        }

        LegacyData data = null;
        String error = null;
        if (legacyDb != null) {
            try {
                data = read(legacyDb);
            } catch (LegacySourceException e) {
                error = e.getMessage();
            }
        }
        JsonNode config = data == null ? DeviceJson.MAPPER.createObjectNode() : data.config();
        String host = firstNonBlank(env.apply("IDM_HOST"), text(config, "host"));
        if (host == null) {
            if (error != null) {
                report(error);
                return new Outcome(Status.FAILED, 0, 0, error);
            }
            return new Outcome(Status.NOTHING_TO_MIGRATE, 0, 0, null);
        }

        Heatpump hp = heatpump(host.trim(), config);
        List<Map<String, Object>> jobs = data == null ? List.of() : data.jobs();
        List<Map<String, Object>> alerts = data == null ? List.of() : data.alerts();
        String source = data != null ? legacyDb.toString() : "environment IDM_HOST";
        String sourceError = error;
        Boolean migrated = database.transaction(c -> {
            // re-checked inside the transaction: another start may have won the race
            if (H2SettingsStore.get(c, DONE_KEY).isPresent() || H2HeatpumpStore.any(c)) {
                return false;
            }
            H2HeatpumpStore.insert(c, hp);
            for (Map<String, Object> job : jobs) {
                insertJob(c, job);
            }
            for (Map<String, Object> alert : alerts) {
                insertAlert(c, alert);
            }
            H2SettingsStore.put(c, DONE_KEY, HEATPUMP_ID + " migrated at " + Instant.now() + " from " + source);
            H2SettingsStore.put(c, ERROR_KEY, sourceError);
            return true;
        });
        if (!migrated) {
            return new Outcome(Status.ALREADY_DONE, 0, 0, null);
        }
        LOG.info("legacy migration: created {} ({}:{} unit {}) from {}, imported {} jobs and {} alerts", HEATPUMP_ID,
                hp.connection().host(), hp.connection().port(), hp.connection().unitId(), source, jobs.size(),
                alerts.size());
        if (error != null) {
            report(error);
        }
        return new Outcome(Status.MIGRATED, jobs.size(), alerts.size(), error);
    }

    private void report(String error) {
        LOG.warn("legacy migration: cannot read {}: {}", legacyDb, error);
        database.read(c -> {
            H2SettingsStore.put(c, ERROR_KEY, legacyDb + ": " + error);
            return null;
        });
    }

    // --- the device

    private Heatpump heatpump(String host, JsonNode config) {
        int port = intValue(env.apply("IDM_PORT"), "IDM_PORT",
                intValue(text(config, "port"), "idm.port", DEFAULT_PORT));
        int unitId = intValue(env.apply("IDM_UNIT_ID"), "IDM_UNIT_ID",
                intValue(text(config, "unit_id"), "idm.unit_id", DEFAULT_UNIT_ID));
        List<String> circuits = new ArrayList<>();
        for (JsonNode c : list(config, "circuits")) {
            String circuit = c.asText("").trim().toUpperCase(Locale.ROOT);
            if (!circuit.isEmpty() && !circuits.contains(circuit)) {
                circuits.add(circuit);
            }
        }
        if (circuits.isEmpty()) {
            circuits.add("A"); // every Navigator has circuit A; the original's default
        }
        List<Integer> zones = new ArrayList<>();
        for (JsonNode z : list(config, "zones")) {
            Integer zone = z.isNumber() ? Integer.valueOf(z.asInt()) : parseInt(z.asText());
            if (zone != null && !zones.contains(zone)) {
                zones.add(zone);
            }
        }
        String model = blankToNull(config.path("heatpump_model").asText(null));
        int poll = intValue(config.path("logging").path("interval").asText(null), "logging.interval",
                DEFAULT_POLL_SECONDS);
        if (poll < 1 || poll > 3600) {
            poll = DEFAULT_POLL_SECONDS;
        }
        Instant now = Instant.now();
        return new Heatpump(HEATPUMP_ID, model != null ? model : DEFAULT_NAME, "idm", "navigator_2_0",
                new ConnectionConfig(host, port, unitId), new DeviceConfig(circuits, zones, Map.of()), poll, true,
                now, now);
    }

    /** {@code idm.<key>} in the nested form, the dotted form ({@code "idm.host"}) or the flat form. */
    private static String text(JsonNode config, String key) {
        JsonNode n = idmField(config, key);
        return n == null || n.isNull() || n.isContainerNode() ? null : blankToNull(n.asText());
    }

    private static List<JsonNode> list(JsonNode config, String key) {
        JsonNode n = idmField(config, key);
        List<JsonNode> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(out::add);
        } else if (n != null && n.isTextual()) {
            // tolerate "A,B" as it may come from an env-style value
            Arrays.stream(n.asText().split(",")).map(DeviceJson.MAPPER.getNodeFactory()::textNode).forEach(out::add);
        }
        return out;
    }

    private static JsonNode idmField(JsonNode config, String key) {
        JsonNode nested = config.path("idm").path(key);
        if (!nested.isMissingNode()) {
            return nested;
        }
        JsonNode dotted = config.path("idm." + key);
        if (!dotted.isMissingNode()) {
            return dotted;
        }
        JsonNode flat = config.path("idm_" + key);
        return flat.isMissingNode() ? null : flat;
    }

    private static int intValue(String text, String what, int fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        Integer v = parseInt(text);
        if (v == null) {
            LOG.warn("legacy migration: {} is not a number, using {}", what, fallback);
            return fallback;
        }
        return v;
    }

    private static Integer parseInt(String text) {
        try {
            return (int) Double.parseDouble(text.trim());
        } catch (NumberFormatException | NullPointerException e) {
            return null;
        }
    }

    // --- reading the SQLite file

    static LegacyData read(Path file) throws LegacySourceException {
        if (!Files.isRegularFile(file)) {
            throw new LegacySourceException("file not found");
        }
        // checked first so a file of another kind gets a clear reason instead of SQLite's "not a database"
        byte[] head = new byte[SQLITE_MAGIC.length];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, head.length) != head.length || !Arrays.equals(head, SQLITE_MAGIC)) {
                throw new LegacySourceException("not an SQLite database");
            }
        } catch (IOException e) {
            throw new LegacySourceException("unreadable: " + e.getMessage());
        }
        try {
            return readSqlite(file);
        } catch (LinkageError e) {
            // org.sqlite is only needed for this one-time import; a runtime without the sqlite-jdbc bundle says so
            throw new LegacySourceException("SQLite support (bundle org.xerial.sqlite-jdbc) is not installed");
        }
    }

    private static LegacyData readSqlite(Path file) throws LegacySourceException {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setReadOnly(true); // SQLITE_OPEN_READONLY: the user's file stays as it was
        try (Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file.toAbsolutePath(),
                cfg.toProperties())) {
            if (c == null) {
                throw new LegacySourceException("SQLite driver refused the file");
            }
            if (!tableExists(c, "settings")) {
                throw new LegacySourceException("no table 'settings': not an IDM logger database");
            }
            JsonNode config = DeviceJson.MAPPER.createObjectNode();
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM settings WHERE key = 'config'");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getString(1) != null) {
                    try {
                        config = DeviceJson.MAPPER.readTree(rs.getString(1));
                    } catch (JsonProcessingException e) {
                        throw new LegacySourceException("settings 'config' is not valid JSON: "
                                + e.getOriginalMessage());
                    }
                    if (config == null || !config.isObject()) {
                        throw new LegacySourceException("settings 'config' is not a JSON object");
                    }
                }
            }
            return new LegacyData(config, rows(c, "jobs"), rows(c, "alerts"));
        } catch (SQLException e) {
            throw new LegacySourceException("SQLite: " + e.getMessage());
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** All rows of a table as lower-case column name → value; an absent table has none (logged). */
    private static List<Map<String, Object>> rows(Connection c, String table) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!tableExists(c, table)) {
            LOG.warn("legacy migration: the legacy database has no table '{}'; nothing imported from it", table);
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table);
             ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnName(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                }
                if (row.get("id") != null) {
                    out.add(row);
                }
            }
        }
        return out;
    }

    // --- writing jobs and alerts (columns of the original's schema v2, §1.6)

    private static void insertJob(Connection c, Map<String, Object> job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO jobs (id, heatpump_id, sensor, \"VALUE\", time,"
                + " days, enabled, last_run) KEY (id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, str(job.get("id")));
            ps.setString(2, HEATPUMP_ID);
            ps.setString(3, str(job.get("sensor")));
            ps.setString(4, str(job.get("value")));
            ps.setString(5, str(job.get("time")));
            String days = str(job.get("days"));
            ps.setString(6, days == null ? "[]" : days);
            ps.setBoolean(7, bool(job.get("enabled")));
            ps.setObject(8, Database.toDb(epochSeconds(job.get("last_run"))), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.executeUpdate();
        }
    }

    private static void insertAlert(Connection c, Map<String, Object> alert) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO alerts (id, heatpump_id, name, type, sensor,"
                + " condition, threshold, message, enabled, interval_seconds, last_triggered) KEY (id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, str(alert.get("id")));
            ps.setString(2, HEATPUMP_ID);
            ps.setString(3, str(alert.get("name")));
            String type = str(alert.get("type"));
            ps.setString(4, type == null ? "threshold" : type);
            ps.setString(5, str(alert.get("sensor")));
            ps.setString(6, str(alert.get("condition")));
            ps.setString(7, str(alert.get("threshold")));
            ps.setString(8, str(alert.get("message")));
            ps.setBoolean(9, bool(alert.get("enabled")));
            Object rawInterval = alert.get("interval_seconds");
            Integer interval = rawInterval == null ? null : parseInt(str(rawInterval));
            ps.setInt(10, interval == null ? 0 : interval);
            ps.setObject(11, Database.toDb(epochSeconds(alert.get("last_triggered"))), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.executeUpdate();
        }
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** SQLite stores the original's booleans as INT 0/1; null means the column's default, enabled. */
    private static boolean bool(Object o) {
        if (o == null) {
            return true;
        }
        if (o instanceof Number n) {
            return n.intValue() != 0;
        }
        String s = o.toString().trim().toLowerCase(Locale.ROOT);
        return !(s.equals("0") || s.equals("false") || s.equals("no") || s.isEmpty());
    }

    /** The original's REAL Unix seconds ({@code time.time()}); anything else is dropped. */
    private static Instant epochSeconds(Object o) {
        if (o == null) {
            return null;
        }
        try {
            double seconds = o instanceof Number n ? n.doubleValue() : Double.parseDouble(o.toString().trim());
            return seconds > 0 ? Instant.ofEpochMilli(Math.round(seconds * 1000)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String firstNonBlank(String a, String b) {
        return blankToNull(a) != null ? a : blankToNull(b);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
