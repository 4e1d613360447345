package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.Heatpump;
import gateway.core.store.internal.LegacyMigration.Outcome;
import gateway.core.store.internal.LegacyMigration.Status;

class LegacyMigrationTest {

    /** The original's settings `config` blob (§1.16 of the reference): nested `idm` object, model at top level. */
    static final String NESTED_CONFIG = """
            {"idm": {"host": "192.168.178.40", "port": 5020, "unit_id": 3, "circuits": ["A", "C"], "zones": [0, 2]},
             "heatpump_model": "AERO SLM 6-17",
             "logging": {"interval": 30, "level": "INFO"},
             "web": {"write_enabled": false, "admin_password_hash": "scrypt:32768:8:1$x$y"}}
            """;

    @TempDir
    Path dir;
    Database db;
    Map<String, String> env = new HashMap<>();

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("data"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Outcome migrate(Path legacyDb) {
        return new LegacyMigration(db, legacyDb, legacyDb != null, env::get).run();
    }

    private Optional<String> setting(String key) {
        return new H2SettingsStore(db).get(key);
    }

    /** A legacy SQLite file shaped like the original's schema v2 (or v1: jobs and alerts without heatpump_id). */
    static Path legacyDb(Path file, String config, boolean v2) throws Exception {
        Properties p = new Properties();
        try (Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file, p);
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)");
            st.execute("CREATE TABLE jobs (id TEXT PRIMARY KEY, sensor TEXT, value TEXT, time TEXT, days TEXT,"
                    + " enabled INTEGER, last_run REAL" + (v2 ? ", heatpump_id TEXT" : "") + ")");
            st.execute("CREATE TABLE alerts (id TEXT PRIMARY KEY, name TEXT, type TEXT, sensor TEXT, condition TEXT,"
                    + " threshold TEXT, message TEXT, enabled INTEGER, interval_seconds INTEGER, last_triggered REAL"
                    + (v2 ? ", heatpump_id TEXT" : "") + ")");
            if (config != null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO settings VALUES ('config', ?)")) {
                    ps.setString(1, config);
                    ps.executeUpdate();
                }
            }
            st.execute("INSERT INTO settings VALUES ('schema_version', '" + (v2 ? 2 : 1) + "')");
            st.execute("INSERT INTO jobs (id, sensor, value, time, days, enabled, last_run) VALUES"
                    + " ('1737900000123', 'hc_a_comfort_temp', '21.5', '06:30', '[\"Mon\", \"Tue\"]', 1,"
                    + "  1737950000.25),"
                    + " ('1737900000456', 'dhw_target_temp', '48', '22:00', '[]', 0, NULL)");
            st.execute("INSERT INTO alerts (id, name, type, sensor, condition, threshold, message, enabled,"
                    + " interval_seconds, last_triggered) VALUES"
                    + " ('6f1c2d34-aaaa-4bbb-8ccc-000000000001', 'Hot water low', 'threshold', 'dhw_temp', '<', '40',"
                    + "  '{name}: {value}', 1, 3600, NULL),"
                    + " ('6f1c2d34-aaaa-4bbb-8ccc-000000000002', 'Daily report', 'status', NULL, NULL, NULL,"
                    + "  'Status {time}', 1, 86400, 1737000000.0)");
        }
        return file;
    }

    static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }

    @Test
    void migratesTheLegacyDeviceJobsAndAlertsToHpLegacyWithoutTouchingTheFile() throws Exception {
        Path legacy = legacyDb(dir.resolve("idm_logger.db"), NESTED_CONFIG, true);
        byte[] before = sha256(legacy);
        long modified = Files.getLastModifiedTime(legacy).toMillis();

        Outcome outcome = migrate(legacy);

        assertEquals(new Outcome(Status.MIGRATED, 2, 2, null), outcome);
        Heatpump hp = new H2HeatpumpStore(db).find("hp-legacy").orElseThrow();
        assertEquals("AERO SLM 6-17", hp.name());
        assertEquals("idm", hp.manufacturer());
        assertEquals("navigator_2_0", hp.model());
        assertEquals(new ConnectionConfig("192.168.178.40", 5020, 3), hp.connection());
        assertEquals(DeviceConfig.of(List.of("A", "C"), List.of(0, 2)), hp.deviceConfig());
        assertEquals(30, hp.pollIntervalSeconds());
        assertTrue(hp.enabled());

        List<Map<String, Object>> jobs = db.rows("SELECT * FROM jobs ORDER BY id");
        assertEquals(2, jobs.size());
        Map<String, Object> job = jobs.get(0);
        assertEquals("1737900000123", job.get("ID"));
        assertEquals("hp-legacy", job.get("HEATPUMP_ID"));
        assertEquals("hc_a_comfort_temp", job.get("SENSOR"));
        assertEquals("21.5", job.get("VALUE"));
        assertEquals("06:30", job.get("TIME"));
        assertEquals("[\"Mon\", \"Tue\"]", job.get("DAYS"));
        assertEquals(true, job.get("ENABLED"));
        assertEquals(Instant.ofEpochMilli(1737950000250L), ((OffsetDateTime) job.get("LAST_RUN")).toInstant());
        assertEquals(false, jobs.get(1).get("ENABLED"));
        assertNull(jobs.get(1).get("LAST_RUN"));

        List<Map<String, Object>> alerts = db.rows("SELECT * FROM alerts ORDER BY id");
        assertEquals(List.of("hp-legacy", "hp-legacy"), alerts.stream().map(a -> a.get("HEATPUMP_ID")).toList());
        assertEquals("<", alerts.get(0).get("CONDITION"));
        assertEquals("40", alerts.get(0).get("THRESHOLD"));
        assertEquals(3600, alerts.get(0).get("INTERVAL_SECONDS"));
        assertEquals("status", alerts.get(1).get("TYPE"));
        assertEquals(Instant.ofEpochSecond(1737000000L),
                ((OffsetDateTime) alerts.get(1).get("LAST_TRIGGERED")).toInstant());

        assertTrue(setting(LegacyMigration.DONE_KEY).orElseThrow().startsWith("hp-legacy"));
        assertEquals(Optional.empty(), setting(LegacyMigration.ERROR_KEY));
        assertArrayEquals(before, sha256(legacy));
        assertEquals(modified, Files.getLastModifiedTime(legacy).toMillis());
        assertEquals(List.of("idm_logger.db"), Files.list(dir).map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith("idm_logger")).toList(), "no journal or WAL files beside the source");
    }

    @Test
    void secondRunDoesNothingEvenAfterHpLegacyWasDeleted() throws Exception {
        Path legacy = legacyDb(dir.resolve("idm_logger.db"), NESTED_CONFIG, true);
        assertEquals(Status.MIGRATED, migrate(legacy).status());
        assertEquals(Status.ALREADY_DONE, migrate(legacy).status());
        new H2HeatpumpStore(db).delete("hp-legacy");
        env.put("IDM_HOST", "10.1.1.1");
        assertEquals(Status.ALREADY_DONE, migrate(legacy).status());
        assertEquals(List.of(), new H2HeatpumpStore(db).all());
        assertEquals(2, db.rows("SELECT * FROM jobs").size(), "jobs imported once, not twice");
    }

    @Test
    void acceptsDottedKeysAndV1TablesWithoutHeatpumpIdAndDefaultsCircuitAAndTheName() throws Exception {
        String dotted = "{\"idm.host\": \"idm.local\", \"idm.port\": \"502\", \"idm.zones\": [\"1\"]}";
        Path legacy = legacyDb(dir.resolve("old.db"), dotted, false);
        assertEquals(new Outcome(Status.MIGRATED, 2, 2, null), migrate(legacy));
        Heatpump hp = new H2HeatpumpStore(db).find("hp-legacy").orElseThrow();
        assertEquals("IDM Wärmepumpe (migriert)", hp.name());
        assertEquals(new ConnectionConfig("idm.local", 502, 1), hp.connection());
        assertEquals(DeviceConfig.of(List.of("A"), List.of(1)), hp.deviceConfig());
        assertEquals(2, db.rows("SELECT * FROM jobs WHERE heatpump_id = 'hp-legacy'").size());
    }

    @Test
    void garbageFileIsReportedAndLeftUntouched() throws Exception {
        Path garbage = dir.resolve("idm_logger.db");
        Files.write(garbage, "this is not a database, just text\n".repeat(100).getBytes());
        byte[] before = sha256(garbage);

        Outcome outcome = migrate(garbage);

        assertEquals(Status.FAILED, outcome.status());
        assertTrue(outcome.error().contains("not an SQLite database"), outcome.error());
        assertTrue(setting(LegacyMigration.ERROR_KEY).orElseThrow().contains("not an SQLite database"));
        assertEquals(Optional.empty(), setting(LegacyMigration.DONE_KEY), "a fixed file is tried again next start");
        assertEquals(List.of(), new H2HeatpumpStore(db).all());
        assertArrayEquals(before, sha256(garbage));
    }

    @Test
    void sqliteFileWithoutSettingsTableIsReported() throws Exception {
        Path other = dir.resolve("other.db");
        try (Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + other, new Properties());
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE something (x INTEGER)");
        }
        byte[] before = sha256(other);
        Outcome outcome = migrate(other);
        assertEquals(Status.FAILED, outcome.status());
        assertTrue(outcome.error().contains("settings"), outcome.error());
        assertArrayEquals(before, sha256(other));
    }

    @Test
    void invalidConfigJsonIsReported() throws Exception {
        Path legacy = legacyDb(dir.resolve("idm_logger.db"), "{\"idm\": {\"host\": ", true);
        byte[] before = sha256(legacy);
        Outcome outcome = migrate(legacy);
        assertEquals(Status.FAILED, outcome.status());
        assertTrue(outcome.error().contains("JSON"), outcome.error());
        assertTrue(setting(LegacyMigration.ERROR_KEY).isPresent());
        assertArrayEquals(before, sha256(legacy));
    }

    @Test
    void unreadableSourceStillMigratesTheEnvironmentHostAndKeepsTheReport() throws Exception {
        Path garbage = dir.resolve("idm_logger.db");
        Files.write(garbage, new byte[] {1, 2, 3});
        env.put("IDM_HOST", "192.168.0.9");
        Outcome outcome = migrate(garbage);
        assertEquals(Status.MIGRATED, outcome.status());
        assertTrue(setting(LegacyMigration.ERROR_KEY).isPresent());
        assertEquals("192.168.0.9", new H2HeatpumpStore(db).find("hp-legacy").orElseThrow().connection().host());
    }

    @Test
    void environmentHostAloneCreatesTheDevice() {
        env.put("IDM_HOST", " 10.0.0.20 ");
        env.put("IDM_PORT", "1502");
        env.put("IDM_UNIT_ID", "7");
        assertEquals(new Outcome(Status.MIGRATED, 0, 0, null), migrate(null));
        Heatpump hp = new H2HeatpumpStore(db).find("hp-legacy").orElseThrow();
        assertEquals(new ConnectionConfig("10.0.0.20", 1502, 7), hp.connection());
        assertEquals(DeviceConfig.of(List.of("A"), List.of()), hp.deviceConfig());
        assertEquals(30, hp.pollIntervalSeconds());
        assertEquals("IDM Wärmepumpe (migriert)", hp.name());
    }

    @Test
    void environmentOverridesTheStoredHostAndPortLikeTheOriginalDid() throws Exception {
        Path legacy = legacyDb(dir.resolve("idm_logger.db"), NESTED_CONFIG, true);
        env.put("IDM_HOST", "192.168.178.99");
        assertEquals(Status.MIGRATED, migrate(legacy).status());
        Heatpump hp = new H2HeatpumpStore(db).find("hp-legacy").orElseThrow();
        assertEquals(new ConnectionConfig("192.168.178.99", 5020, 3), hp.connection());
        assertEquals(List.of("A", "C"), hp.deviceConfig().circuits());
    }

    @Test
    void nothingToMigrateWithoutSourceOrHost() throws Exception {
        assertEquals(Status.NOTHING_TO_MIGRATE, migrate(null).status());
        Path noHost = legacyDb(dir.resolve("idm_logger.db"), "{\"idm\": {\"port\": 502}}", true);
        assertEquals(Status.NOTHING_TO_MIGRATE, migrate(noHost).status());
        assertEquals(List.of(), new H2HeatpumpStore(db).all());
        assertEquals(0, db.rows("SELECT * FROM jobs").size());
    }

    @Test
    void existingDevicesMeanThereIsNothingToMigrate() throws Exception {
        new H2HeatpumpStore(db).insert(H2HeatpumpStoreTest.luxtronik("hp-12345678"));
        Path legacy = legacyDb(dir.resolve("idm_logger.db"), NESTED_CONFIG, true);
        assertEquals(Status.DEVICES_EXIST, migrate(legacy).status());
        assertEquals(Optional.empty(), new H2HeatpumpStore(db).find("hp-legacy"));
        assertTrue(setting(LegacyMigration.DONE_KEY).isPresent());
        assertEquals(0, db.rows("SELECT * FROM jobs").size());
    }

    @Test
    void findsTheSourceByPropertyThenEnvironmentThenDataFolder() throws Exception {
        Path inData = legacyDb(db.settings().dataDir().resolve("idm_logger.db"), NESTED_CONFIG, true);
        Map<String, String> props = new HashMap<>();
        // a configured path that does not exist is an error, and wins over the file in the data folder
        props.put(LegacyMigration.LEGACY_DB_PROPERTY, dir.resolve("missing.db").toString());
        env.put(LegacyMigration.LEGACY_DB_ENV, inData.toString());
        Outcome byProperty = LegacyMigration.fromEnvironment(db, props::get, env::get).run();
        assertEquals(Status.FAILED, byProperty.status());
        assertTrue(byProperty.error().contains("not found"), byProperty.error());

        props.clear();
        env.put(LegacyMigration.LEGACY_DB_ENV, dir.resolve("also-missing.db").toString());
        assertEquals(Status.FAILED, LegacyMigration.fromEnvironment(db, props::get, env::get).run().status());

        env.clear();
        Outcome byDataFolder = LegacyMigration.fromEnvironment(db, props::get, env::get).run();
        assertEquals(Status.MIGRATED, byDataFolder.status());
        assertEquals(Optional.empty(), setting(LegacyMigration.ERROR_KEY), "the earlier report is cleared");
    }
}
