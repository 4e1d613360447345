package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import org.h2.jdbcx.JdbcDataSource;

class DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void migratesEmptyDatabaseToLatestVersionWithOneRowPerStep() {
        try (Database db = Database.open(dir)) {
            assertEquals(13, db.schemaVersion());
            List<Map<String, Object>> rows = db.rows(
                    "SELECT version, description, applied_at FROM schema_version ORDER BY version");
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), rows.stream().map(r -> r.get("VERSION")).toList());
            rows.forEach(r -> assertTrue(!r.get("DESCRIPTION").toString().isBlank() && r.get("APPLIED_AT") != null));
            Set<String> tables = db.rows("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'PUBLIC'").stream().map(r -> r.get("TABLE_NAME").toString())
                    .collect(Collectors.toSet());
            assertEquals(Set.of("SCHEMA_VERSION", "HEATPUMPS", "DASHBOARDS", "SETTINGS", "USERS", "AUDIT", "JOBS",
                    "ALERTS", "HISTORY_LAYOUTS", "HISTORY_ROWS", "API_TOKENS", "ANOMALY_EVENTS", "ALERT_STATE",
                    "ALERT_EVENTS", "COP_TOTALS", "COP_DAYS", "CONSOLE_SESSIONS",
                    "NOTIFICATION_CHANNELS", "NOTIFICATION_OUTBOX"), tables);
        }
        assertTrue(Files.exists(dir.resolve("gateway.mv.db")));
    }

    @Test
    void reopeningAppliesNothingAgain() {
        List<Map<String, Object>> first;
        try (Database db = Database.open(dir)) {
            db.read(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO settings (\"KEY\", \"VALUE\") VALUES ('k', 'v')");
                }
                return null;
            });
            first = db.rows("SELECT * FROM schema_version ORDER BY version");
        }
        try (Database db = Database.open(dir)) {
            assertEquals(first, db.rows("SELECT * FROM schema_version ORDER BY version"));
            assertEquals(1, db.rows("SELECT * FROM settings WHERE \"KEY\" = 'k'").size());
        }
    }

    @Test
    void appliesOnlyTheStepsMissingFromAnOlderDatabase() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve(Database.FILE_NAME));
        ds.setUser("sa");
        try (Connection c = ds.getConnection()) {
            assertEquals(2, SchemaMigrations.migrate(c, SchemaMigrations.ALL.subList(0, 2)));
        }
        try (Database db = Database.open(dir)) {
            assertEquals(13, db.schemaVersion());
            assertEquals(SchemaMigrations.ALL.size(), db.rows("SELECT * FROM schema_version").size());
        }
    }

    @Test
    void refusesADatabaseFromANewerGateway() {
        try (Database db = Database.open(dir)) {
            db.read(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO schema_version VALUES (99, CURRENT_TIMESTAMP, 'from the future')");
                }
                return null;
            });
        }
        StoreException e = assertThrows(StoreException.class, () -> Database.open(dir));
        assertTrue(e.getMessage().contains("99"), e.getMessage());
    }

    @Test
    void failedTransactionLeavesNoRows() {
        try (Database db = Database.open(dir)) {
            assertThrows(StoreException.class, () -> db.transaction(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO settings (\"KEY\", \"VALUE\") VALUES ('a', '1')");
                    st.execute("INSERT INTO settings (\"KEY\", \"VALUE\") VALUES ('a', '2')"); // duplicate key
                }
                return null;
            }));
            assertEquals(0, db.rows("SELECT * FROM settings").size());
        }
    }

    @Test
    void dataFolderComesFromConfigurationThenFrameworkPropertyThenDefault() {
        assertEquals(Paths.get("/cfg"), Database.dataFolder("/cfg", "/prop"));
        assertEquals(Paths.get("/prop"), Database.dataFolder("", "/prop"));
        assertEquals(Paths.get("data"), Database.dataFolder(" ", null));
    }

    @Test
    void componentActivationUsesTheFrameworkDataPropertyAndRunsTheLegacyImportFromEnvironmentDefault() {
        Path data = dir.resolve("from-launcher");
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, args) -> {
                    if (m.getName().equals("getProperty")) {
                        return Database.DATA_PROPERTY.equals(args[0]) ? data.toString() : null;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        StoreConfig config = (StoreConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StoreConfig.class}, (p, m, args) -> switch (m.getName()) {
                    case "dataFolder" -> "";
                    case "historyRetentionDays" -> 7;
                    case "historyFlushIntervalSeconds" -> 2;
                    case "historyBatchSize" -> 100;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        try (Database db = new Database(context, config)) {
            assertEquals(data.toAbsolutePath(), db.settings().dataDir());
            assertEquals(7, db.settings().retentionDays());
            assertTrue(Files.exists(data.resolve("gateway.mv.db")));
        }
    }
}
