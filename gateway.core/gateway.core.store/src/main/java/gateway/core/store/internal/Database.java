package gateway.core.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.ValueTooLongException;

/**
 * The embedded H2 file database {@code <data>/gateway}: opens it, applies the schema migrations, runs the one-time
 * legacy import, and hands out pooled connections to the stores of this package.
 *
 * <p>DS activates it from the configuration {@code gateway.store}; tests and tools use {@link #open(Path)}.
 * H2 is reached through {@link JdbcDataSource} (an exported package) rather than DriverManager, which does not see
 * bundle class loaders.
 */
@Component(service = Database.class, immediate = true, configurationPid = Database.PID)
@Designate(ocd = StoreConfig.class)
public final class Database implements AutoCloseable {

    public static final String PID = "gateway.store";
    /** Framework property with the data folder (the launcher sets it from {@code --data}). */
    public static final String DATA_PROPERTY = "gateway.data";
    static final String FILE_NAME = "gateway";

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** What the database and the history recorder were configured with. */
    public record Settings(Path dataDir, int retentionDays, int flushIntervalSeconds, int batchSize) {
        public static final int DEFAULT_RETENTION_DAYS = 30;
        public static final int DEFAULT_FLUSH_SECONDS = 5;
        public static final int DEFAULT_BATCH_SIZE = 500;

        public Settings {
            dataDir = dataDir.toAbsolutePath().normalize();
            retentionDays = Math.max(1, retentionDays);
            flushIntervalSeconds = Math.max(1, flushIntervalSeconds);
            batchSize = Math.max(1, batchSize);
        }

        public static Settings defaults(Path dataDir) {
            return new Settings(dataDir, DEFAULT_RETENTION_DAYS, DEFAULT_FLUSH_SECONDS, DEFAULT_BATCH_SIZE);
        }
    }

    /** Work done with a connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Turns the current row of a result set into a value. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private final Settings settings;
    private final JdbcConnectionPool pool;
    private final int schemaVersion;
    /** Layouts are cached per database, shared by the history's writers and readers. */
    private final HistoryTable history = new HistoryTable(this);
    private volatile boolean closed;

    /** DS: the data folder from the configuration, else the framework property, else {@code ./data}. */
    @Activate
    public Database(BundleContext context, StoreConfig config) {
        this(new Settings(dataFolder(config.dataFolder(), context.getProperty(DATA_PROPERTY)),
                config.historyRetentionDays(), config.historyFlushIntervalSeconds(), config.historyBatchSize()));
        try {
            LegacyMigration.fromEnvironment(this, context::getProperty, System::getenv).run();
        } catch (RuntimeException e) {
            // the import reports its own problems; nothing it does may keep the gateway from starting
            LOG.warn("legacy migration failed unexpectedly: {}", e.toString());
        }
    }

    private Database(Settings settings) {
        this(settings, SchemaMigrations.ALL);
    }

    /** With the given migrations only: tests make databases of an older schema this way. */
    private Database(Settings settings, java.util.List<SchemaMigrations.Migration> migrations) {
        this.settings = settings;
        Path dir = settings.dataDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create data folder " + dir, e);
        }
        String file = dir.resolve(FILE_NAME).toString();
        if (file.indexOf(';') >= 0) {
            // H2 reads ';' in the URL as the start of a setting
            throw new StoreException("data folder must not contain ';': " + dir);
        }
        JdbcDataSource ds = new JdbcDataSource();
        // DB_CLOSE_DELAY=-1: the pool may drop to zero connections without closing the file; close() shuts it down.
        // DB_CLOSE_ON_EXIT=FALSE: the framework's deactivate closes it, not H2's own shutdown hook.
        // WRITE_DELAY=0: a commit writes the MVStore to the file before it returns. H2's default (500 ms) commits in
        // the background, and a kill -9 lost every change acknowledged in the last half second (DurabilityTest).
        // History stays fast because the recorder commits one batch per flush, not one row per commit.
        ds.setURL("jdbc:h2:file:" + file
                + ";DB_CLOSE_ON_EXIT=FALSE;DB_CLOSE_DELAY=-1;AUTO_SERVER=FALSE;WRITE_DELAY=0");
        ds.setUser("sa");
        ds.setPassword("");
        // migrated on a connection of its own, before the pool: a compaction shuts the database down under it
        try (Connection c = ds.getConnection()) {
            int before = SchemaMigrations.versionIfAny(c);
            this.schemaVersion = SchemaMigrations.migrate(c, migrations);
            if (SchemaMigrations.clearTextLeftInFreeSpace(c, before, schemaVersion)) {
                // H2 writes changed pages elsewhere and keeps the old ones in the file until their space is reused:
                // after secrets were sealed in place their clear text would stay readable there. SHUTDOWN COMPACT
                // writes the file anew with the live data only (once, at the upgrade; the next open reopens it).
                try (Statement st = c.createStatement()) {
                    st.execute("SHUTDOWN COMPACT");
                }
                LOG.info("database compacted after sealing secrets in place: {}", file + ".mv.db");
            }
        } catch (SQLException | RuntimeException e) {
            throw e instanceof StoreException se ? se : new StoreException("cannot open database " + file, e);
        }
        this.pool = JdbcConnectionPool.create(ds);
        pool.setMaxConnections(16);
        ownerOnly(Path.of(file + ".mv.db"));
        LOG.info("database open: {} (schema version {})", file + ".mv.db", schemaVersion);
    }

    /** The database holds password hashes: readable by its owner only, whatever the umask (POSIX systems). */
    private static void ownerOnly(Path file) {
        try {
            if (Files.exists(file) && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("cannot make {} readable by its owner only: {}", file, e.toString());
        }
    }

    /** Opens (creating and migrating when needed) the database in {@code dataDir}; no legacy import. */
    public static Database open(Path dataDir) {
        return new Database(Settings.defaults(dataDir));
    }

    public static Database open(Settings settings) {
        return new Database(settings);
    }

    /** A database migrated only as far as {@code migrations} go (tests of older schemas). */
    static Database openWith(Path dataDir, java.util.List<SchemaMigrations.Migration> migrations) {
        return new Database(Settings.defaults(dataDir), migrations);
    }

    static Path dataFolder(String configured, String frameworkProperty) {
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured.trim());
        }
        if (frameworkProperty != null && !frameworkProperty.isBlank()) {
            return Paths.get(frameworkProperty.trim());
        }
        return Paths.get("data");
    }

    public Settings settings() {
        return settings;
    }

    HistoryTable history() {
        return history;
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    /** A pooled connection in auto-commit mode; close it to return it. */
    public Connection connection() throws SQLException {
        if (closed) {
            throw new SQLException("database is closed");
        }
        return pool.getConnection();
    }

    /** Runs {@code work} in auto-commit mode. */
    public <T> T read(SqlWork<T> work) {
        try (Connection c = connection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Every row of a query, mapped; {@code params} bind to its '?' in order. */
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                List<T> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(mapper.map(rs));
                    }
                }
                return out;
            }
        });
    }

    /** The first row of a query, mapped, or empty. */
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        return query(sql, mapper, params).stream().findFirst();
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T transaction(SqlWork<T> work) {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static final java.util.regex.Pattern COLUMN = java.util.regex.Pattern.compile("column \"([A-Za-z0-9_]+)");

    /**
     * The exception for a failed statement: a value longer than its column (SQL state 22001) is the caller's bad
     * input, named by column without the value (H2's message quotes it, and it may be a secret); the rest is ours.
     */
    static RuntimeException failure(SQLException e) {
        if ("22001".equals(e.getSQLState())) {
            java.util.regex.Matcher m = COLUMN.matcher(String.valueOf(e.getMessage()));
            return new ValueTooLongException(m.find() ? m.group(1).toLowerCase(java.util.Locale.ROOT) : "value", e);
        }
        return new StoreException(e.getMessage(), e);
    }

    /** Rows of a simple query as maps from upper-case column name to value; for tests and diagnostics. */
    java.util.List<Map<String, Object>> rows(String sql) {
        return read(c -> {
            java.util.List<Map<String, Object>> out = new java.util.ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new java.util.LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i).toUpperCase(), rs.getObject(i));
                    }
                    out.add(row);
                }
            }
            return out;
        });
    }

    @Deactivate
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN");
        } catch (SQLException e) {
            LOG.warn("database shutdown: {}", e.getMessage());
        } finally {
            pool.dispose();
        }
        LOG.info("database closed: {}", settings.dataDir());
    }

    // --- time columns are TIMESTAMP(3) WITH TIME ZONE, always written in UTC

    static OffsetDateTime toDb(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** Truncates to what a TIMESTAMP(3) column keeps, so values read back compare equal. */
    static Instant millis(Instant instant) {
        return instant == null ? null : Instant.ofEpochMilli(instant.toEpochMilli());
    }

}
