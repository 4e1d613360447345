package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.BackupService.Backup;
import gateway.core.api.BackupService.InvalidBackupException;
import gateway.core.api.BackupService.RestoreResult;
import gateway.core.api.NotificationChannelStore.ChannelConfig;

/** Backups and restores on real H2 files, with a stand-in for the OSGi side (ConfigAdmin, SCR). */
class BackupEngineTest {

    static final Instant T0 = Instant.parse("2026-12-01T03:00:00Z");
    /** The schema this gateway writes: the last migration's version. */
    static final int CURRENT = SchemaMigrations.ALL.get(SchemaMigrations.ALL.size() - 1).version();
    static final char[] PASS = "correct horse battery".toCharArray();
    /** As DeviceJson writes it; a controller password among the options. */
    static final String DEVICE_CONNECTION = "{\"host\":\"127.0.0.1\",\"port\":502,\"unit_id\":1,\"timeout_ms\":3000,"
            + "\"options\":{\"max_block\":\"100\",\"password\":\"device-passw0rd\"}}";
    /** Tables whose every row must come back from a restore. */
    static final List<String> TABLES = List.of("heatpumps", "dashboards", "settings", "users", "audit", "jobs",
            "alerts", "api_tokens", "anomaly_events", "history_layouts", "history_rows", "alert_state",
            "alert_events", "notification_channels", "notification_outbox");

    @TempDir
    Path root;

    final List<Gateway> gateways = new ArrayList<>();

    /** One gateway's state: a data folder with its database, deploy/ and ml/, and its configurations. */
    final class Gateway implements BackupEngine.Environment {
        final Path data;
        Database db;
        final Map<String, Map<String, Object>> configurations = new TreeMap<>();
        final MutableClock clock = new MutableClock(T0);
        final BackupEngine engine;
        int stops;

        Gateway(String name) {
            this(name, Database::open);
        }

        Gateway(String name, java.util.function.Function<Path, Database> opener) {
            data = root.resolve(name);
            db = opener.apply(data);
            engine = new BackupEngine(data, data.resolve("deploy"), data.resolve("ml"), "0.2.0.test", clock, 10_000,
                    this);
            gateways.add(this);
        }

        @Override
        public Database database() {
            return db;
        }

        @Override
        public void stopServices() {
            stops++;
            db.close();
            db = null;
        }

        @Override
        public void startServices() {
            db = Database.open(data);
        }

        @Override
        public Map<String, Map<String, Object>> configurations() {
            Map<String, Map<String, Object>> copy = new TreeMap<>();
            configurations.forEach((k, v) -> copy.put(k, new TreeMap<>(v)));
            return copy;
        }

        @Override
        public void replaceConfigurations(Map<String, Map<String, Object>> wanted) {
            configurations.clear();
            wanted.forEach((k, v) -> configurations.put(k, new TreeMap<>(v)));
        }

        @Override
        public Set<String> secretChannelSettings(String type) {
            return type.equals("webhook") ? Set.of("secret") : null;
        }

        void sql(String sql, Object... params) {
            db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < params.length; i++) {
                        ps.setObject(i + 1, params[i]);
                    }
                    return ps.executeUpdate();
                }
            });
        }

        /** Every row of every table, as text, for comparing two gateways. */
        Map<String, List<Map<String, Object>>> everything() {
            Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
            for (String t : TABLES) {
                List<Map<String, Object>> rows = db.rows("SELECT * FROM " + t + " ORDER BY 1, 2");
                List<Map<String, Object>> text = new ArrayList<>();
                for (Map<String, Object> r : rows) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    r.forEach((k, v) -> row.put(k, v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b)
                            : String.valueOf(v)));
                    if (t.equals("notification_channels")) {
                        // sealed with each folder's own key: the same secret is a different text in each file
                        row.put("SETTINGS", new TreeMap<>(new H2NotificationChannelStore(db)
                                .get(String.valueOf(r.get("ID"))).orElseThrow().settings()).toString());
                    }
                    text.add(row);
                }
                out.put(t, text);
            }
            return out;
        }

        void fill() throws IOException {
            sql("INSERT INTO heatpumps(id, name, manufacturer, model, connection_config, device_config, poll_interval,"
                    + " enabled, endpoint_key, created_at, updated_at) VALUES ('hp-1', 'Cellar', 'idm', 'navigator20',"
                    + " ?, '{}', 10, TRUE, '127.0.0.1:502:1', ?, ?)", DEVICE_CONNECTION,
                    Database.toDb(T0), Database.toDb(T0));
            sql("INSERT INTO dashboards(id, name, heatpump_id, config, position, created_at)"
                    + " VALUES ('db-1', 'Overview', 'hp-1', '{\"widgets\":[]}', 0, ?)", Database.toDb(T0));
            sql("INSERT INTO users(name, password_hash, role, created_at) VALUES ('admin', 'pbkdf2$x$y', 'admin', ?)",
                    Database.toDb(T0));
            sql("INSERT INTO jobs(id, heatpump_id, sensor, \"VALUE\", time, days) VALUES ('job-1', 'hp-1',"
                    + " 'hot_water_target', '48', '06:30', '[1,2,3]')");
            sql("INSERT INTO alerts(id, heatpump_id, name, sensor, condition, threshold) VALUES ('al-1', 'hp-1',"
                    + " 'Cold', 'outdoor', '<', '-10')");
            sql("INSERT INTO settings(\"KEY\", \"VALUE\") VALUES ('language', 'de')");
            new H2NotificationChannelStore(db).save(new ChannelConfig("ch-1", "webhook", "Ops", true,
                    Map.of("url", "http://127.0.0.1:1/hook", "secret", "webhook-s3cret"), T0));
            new H2NotificationChannelStore(db).save(new ChannelConfig("ch-2", "unknown-kind", "Other", true,
                    Map.of("token", "unknown-kind-token"), T0));
            configurations.put("gateway.metrics.push", new TreeMap<>(Map.of("url", "http://127.0.0.1:8428",
                    "password", "push-passw0rd", "interval_seconds", 15, "enabled", Boolean.TRUE,
                    "labels", new String[] {"a=1", "b=2"})));
            configurations.put("gateway.store", new TreeMap<>(Map.of("dataFolder", data.toString(),
                    "historyRetentionDays", 90)));
            Files.createDirectories(data.resolve("deploy"));
            Files.write(data.resolve("deploy/gateway.driver.nibe.jar"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
            Files.writeString(data.resolve("deploy/gateway.mqtt.cfg"),
                    "host=127.0.0.1\npassword=mqtt-passw0rd\nport=1883\n");
            Files.createDirectories(data.resolve("ml/hp-1"));
            Files.write(data.resolve("ml/hp-1/heating.hst"), new byte[] {0x47, 0x57, 0x4D, 0x4C, 9, 9});
        }
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @AfterEach
    void closeAll() {
        for (Gateway g : gateways) {
            if (g.db != null) {
                g.db.close();
            }
        }
    }

    @Test
    void restoreIntoAFreshDataFolderBringsBackEveryRowFileAndConfiguration() throws IOException {
        Gateway source = new Gateway("source");
        source.fill();
        Backup backup = source.engine.create(PASS, false);
        assertEquals(CURRENT, backup.schemaVersion());
        assertEquals("encrypted", backup.secrets());
        assertEquals(List.of(backup), source.engine.list());

        Gateway target = new Gateway("target");
        RestoreResult result = target.engine.restore(Files.newInputStream(source.engine.file(backup.name())
                .orElseThrow()), PASS, true);
        assertEquals(CURRENT, result.schemaVersion());
        assertTrue(result.secretsRestored());
        assertEquals(1, target.stops);

        assertEquals(source.everything(), target.everything());
        assertArrayEquals(Files.readAllBytes(source.data.resolve("deploy/gateway.driver.nibe.jar")),
                Files.readAllBytes(target.data.resolve("deploy/gateway.driver.nibe.jar")));
        assertEquals(lines(source.data.resolve("deploy/gateway.mqtt.cfg")),
                lines(target.data.resolve("deploy/gateway.mqtt.cfg")));
        assertArrayEquals(Files.readAllBytes(source.data.resolve("ml/hp-1/heating.hst")),
                Files.readAllBytes(target.data.resolve("ml/hp-1/heating.hst")));
        Map<String, Object> push = target.configurations.get("gateway.metrics.push");
        assertEquals("push-passw0rd", push.get("password"));
        assertEquals(15, push.get("interval_seconds"));
        assertEquals(Boolean.TRUE, push.get("enabled"));
        assertArrayEquals(new String[] {"a=1", "b=2"}, (String[]) push.get("labels"));
        // a folder of the other machine is not taken over
        assertFalse(target.configurations.get("gateway.store").containsKey("dataFolder"));
        assertEquals(90, target.configurations.get("gateway.store").get("historyRetentionDays"));
    }

    @Test
    void backupFilesAndTheirFolderAreReadableByTheOwnerOnly() throws IOException {
        Gateway g = new Gateway("g");
        Backup b = g.engine.create(null, false);
        Path file = g.engine.file(b.name()).orElseThrow();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertTrue(b.name().matches("gateway-backup-20261201-030000-000\\.zip"), b.name());
    }

    @Test
    void withoutPassphraseNoSecretIsInTheZipAndARestoreToAFreshGatewayHasNone() throws IOException {
        Gateway source = new Gateway("source");
        source.fill();
        Backup backup = source.engine.create(null, false);
        assertEquals("omitted", backup.secrets());
        byte[] unpacked = unpackAll(source.engine.file(backup.name()).orElseThrow());
        for (String secret : List.of("webhook-s3cret", "unknown-kind-token", "push-passw0rd", "mqtt-passw0rd",
                "device-passw0rd")) {
            assertFalse(contains(unpacked, secret), secret + " must not be in the backup");
        }
        // what is not secret is there
        assertTrue(contains(unpacked, "http://127.0.0.1:1/hook"));
        assertTrue(contains(unpacked, "http://127.0.0.1:8428"));

        Gateway target = new Gateway("target");
        InvalidBackupException noSecrets = assertThrows(InvalidBackupException.class, () -> target.engine.restore(
                Files.newInputStream(source.engine.file(backup.name()).orElseThrow()), PASS, true));
        assertEquals("restore_secrets", noSecrets.field());
        target.engine.restore(Files.newInputStream(source.engine.file(backup.name()).orElseThrow()), null, false);
        assertEquals(Map.of("url", "http://127.0.0.1:1/hook"),
                new H2NotificationChannelStore(target.db).get("ch-1").orElseThrow().settings());
        assertFalse(target.configurations.get("gateway.metrics.push").containsKey("password"));
        assertEquals("{\"host\":\"127.0.0.1\",\"port\":502,\"unit_id\":1,\"timeout_ms\":3000,\"options\":{\"max_block\":\"100\"}}",
                target.db.rows("SELECT connection_config FROM heatpumps").get(0).get("CONNECTION_CONFIG"));
        assertFalse(Files.readString(target.data.resolve("deploy/gateway.mqtt.cfg")).contains("password"));
    }

    @Test
    void withPassphraseSecretsAreEncryptedAndComeBackOnlyWithIt() throws IOException {
        Gateway source = new Gateway("source");
        source.fill();
        Backup backup = source.engine.create(PASS, false);
        Path zip = source.engine.file(backup.name()).orElseThrow();
        byte[] unpacked = unpackAll(zip);
        for (String secret : List.of("webhook-s3cret", "unknown-kind-token", "push-passw0rd", "mqtt-passw0rd",
                "device-passw0rd")) {
            assertFalse(contains(unpacked, secret), secret + " must only be in the backup encrypted");
        }
        Gateway target = new Gateway("target");
        Map<String, List<Map<String, Object>>> before = target.everything();
        InvalidBackupException wrong = assertThrows(InvalidBackupException.class,
                () -> target.engine.restore(Files.newInputStream(zip), "wrong".toCharArray(), true));
        assertEquals("passphrase", wrong.field());
        InvalidBackupException none = assertThrows(InvalidBackupException.class,
                () -> target.engine.restore(Files.newInputStream(zip), null, true));
        assertEquals("passphrase", none.field());
        assertEquals(before, target.everything());
        assertEquals(0, target.stops);

        target.engine.restore(Files.newInputStream(zip), PASS, true);
        assertEquals("webhook-s3cret",
                new H2NotificationChannelStore(target.db).get("ch-1").orElseThrow().settings().get("secret"));
        assertEquals("unknown-kind-token",
                new H2NotificationChannelStore(target.db).get("ch-2").orElseThrow().settings().get("token"));
        assertTrue(Files.readString(target.data.resolve("deploy/gateway.mqtt.cfg")).contains("password=mqtt-passw0rd"));
    }

    @Test
    void aSecretSealedWithTheFoldersKeyIsCarriedPlainUnderThePassphraseAndSealedAgainWhereItIsRestored()
            throws IOException {
        Gateway source = new Gateway("source");
        Map<String, String> options = Map.of("refresh_token", "vicare-refresh-token-1", "token_url",
                "http://127.0.0.1:9/token");
        new H2HeatpumpStore(source.db).insert(new gateway.core.api.Heatpump("hp-cloud", "Cloud", "viessmann",
                "vicare", new gateway.core.api.ConnectionConfig("127.0.0.1", 443, 1, 3000, options), null, 120, true,
                T0, T0));
        assertFalse(source.db.rows("SELECT connection_config FROM heatpumps").get(0).get("CONNECTION_CONFIG")
                .toString().contains("vicare-refresh-token-1"), "sealed at rest");
        Path zip = source.engine.file(source.engine.create(PASS, false).name()).orElseThrow();
        assertFalse(contains(unpackAll(zip), "vicare-refresh-token-1"));

        Gateway target = new Gateway("target");
        target.engine.restore(Files.newInputStream(zip), PASS, true);
        // the target has its own secrets.key: the token opens there, and is sealed again at rest
        Map<String, String> restored = new H2HeatpumpStore(target.db).find("hp-cloud").orElseThrow()
                .connection().options();
        assertEquals("vicare-refresh-token-1", restored.get("refresh_token"));
        assertEquals("http://127.0.0.1:9/token", restored.get("token_url"), "an endpoint is not a secret");
        assertFalse(target.db.rows("SELECT connection_config FROM heatpumps").get(0).get("CONNECTION_CONFIG")
                .toString().contains("vicare-refresh-token-1"));

        // without a passphrase the token is left out, the endpoint stays
        source.clock.now = T0.plusSeconds(60);
        Gateway bare = new Gateway("bare");
        bare.engine.restore(Files.newInputStream(source.engine.file(source.engine.create(null, false).name())
                .orElseThrow()), null, false);
        Map<String, String> withoutSecrets = new H2HeatpumpStore(bare.db).find("hp-cloud").orElseThrow()
                .connection().options();
        assertFalse(withoutSecrets.containsKey("refresh_token"));
        assertEquals("http://127.0.0.1:9/token", withoutSecrets.get("token_url"));
    }

    @Test
    void channelSecretsSealedAtRestAreNeverInABackupInClearAndAreSealedAgainWhereTheyAreRestored()
            throws IOException {
        // Discord's webhook URL is its secret; the stand-in environment does not declare it, the store knows it
        String discord = "https://discord.com/api/webhooks/42/tok-c0ffee-discord-secret";
        Gateway source = new Gateway("source");
        new H2NotificationChannelStore(source.db).save(new ChannelConfig("ch-discord", "discord", "Discord", true,
                Map.of("webhook_url", discord, "username", "gateway"), T0));
        assertFalse(source.db.rows("SELECT settings FROM notification_channels").get(0).get("SETTINGS").toString()
                .contains(discord), "sealed at rest");

        Path bare = source.engine.file(source.engine.create(null, false).name()).orElseThrow();
        for (Map.Entry<String, byte[]> e : entries(bare).entrySet()) {
            String text = new String(e.getValue(), StandardCharsets.ISO_8859_1);
            assertFalse(text.contains("tok-c0ffee"), e.getKey() + " holds the secret in clear");
            assertFalse(text.contains(SecretCipher.PREFIX), e.getKey() + " holds a value only secrets.key opens");
        }
        assertTrue(contains(unpackAll(bare), "ch-discord"), "the channel is there");

        source.clock.now = T0.plusSeconds(60);
        Path sealed = source.engine.file(source.engine.create(PASS, false).name()).orElseThrow();
        assertFalse(contains(unpackAll(sealed), "tok-c0ffee"));

        Gateway target = new Gateway("target");
        target.engine.restore(Files.newInputStream(sealed), PASS, true);
        assertEquals(discord, new H2NotificationChannelStore(target.db).get("ch-discord").orElseThrow().settings()
                .get("webhook_url"), "opens with the target's own secrets.key");
        assertFalse(target.db.rows("SELECT settings FROM notification_channels").get(0).get("SETTINGS").toString()
                .contains(discord), "sealed again at rest");

        Gateway fresh = new Gateway("fresh");
        fresh.engine.restore(Files.newInputStream(bare), null, false);
        // (the stand-in has no discord kind installed: all its settings count as secret)
        assertEquals(Map.of(), new H2NotificationChannelStore(fresh.db).get("ch-discord").orElseThrow().settings(),
                "without the backup's secrets a fresh gateway has none");

        source.sql("UPDATE notification_channels SET name = 'Renamed after the backup'");
        source.engine.restore(Files.newInputStream(bare), null, false);
        assertEquals(discord, new H2NotificationChannelStore(source.db).get("ch-discord").orElseThrow().settings()
                .get("webhook_url"), "restore_secrets false keeps the gateway's own");
        assertFalse(source.db.rows("SELECT settings FROM notification_channels").get(0).get("SETTINGS").toString()
                .contains(discord));
    }

    @Test
    void restoreWithoutTheBackupsSecretsKeepsTheGatewaysOwn() throws IOException {
        Gateway g = new Gateway("g");
        g.fill();
        Backup backup = g.engine.create(null, false);
        g.sql("UPDATE heatpumps SET name = 'Changed after the backup'");
        g.engine.restore(backup.name(), null, false);
        assertEquals("Cellar", g.db.rows("SELECT name FROM heatpumps").get(0).get("NAME"));
        assertEquals("webhook-s3cret",
                new H2NotificationChannelStore(g.db).get("ch-1").orElseThrow().settings().get("secret"));
        assertEquals("push-passw0rd", g.configurations.get("gateway.metrics.push").get("password"));
        assertEquals(DEVICE_CONNECTION, g.db.rows("SELECT connection_config FROM heatpumps").get(0)
                .get("CONNECTION_CONFIG"));
        assertTrue(Files.readString(g.data.resolve("deploy/gateway.mqtt.cfg")).contains("password=mqtt-passw0rd"));
    }

    @Test
    void aBackupTakenWhileWritesGoOnHoldsWholeTransactionsOnly() throws Exception {
        Gateway source = new Gateway("source");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger committed = new AtomicInteger();
        Thread writer = new Thread(() -> {
            // each transaction writes a pair of rows in two tables; a torn copy would show one without the other
            for (int i = 0; !stop.get(); i++) {
                int n = i;
                source.db.transaction(c -> {
                    try (PreparedStatement a = c.prepareStatement(
                            "INSERT INTO settings(\"KEY\", \"VALUE\") VALUES (?, ?)");
                         PreparedStatement b = c.prepareStatement("INSERT INTO audit(time, actor, result, detail)"
                                 + " VALUES (?, 'writer', 'ok', ?)")) {
                        a.setString(1, "pair-" + n);
                        a.setString(2, "x".repeat(200));
                        a.executeUpdate();
                        b.setObject(1, Database.toDb(T0));
                        b.setString(2, "pair-" + n);
                        b.executeUpdate();
                    }
                    return null;
                });
                committed.incrementAndGet();
            }
        });
        writer.start();
        List<Backup> backups = new ArrayList<>();
        try {
            while (committed.get() < 200) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < 3; i++) {
                int seen = committed.get();
                backups.add(source.engine.create(null, false));
                while (committed.get() < seen + 100) {
                    Thread.onSpinWait();
                }
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        int previous = -1;
        for (Backup b : backups) {
            Gateway target = new Gateway("target-" + b.name());
            target.engine.restore(Files.newInputStream(source.engine.file(b.name()).orElseThrow()), null, false);
            Set<String> settings = new HashSet<>();
            target.db.rows("SELECT \"KEY\" FROM settings").forEach(r -> settings.add((String) r.get("KEY")));
            Set<String> audit = new HashSet<>();
            target.db.rows("SELECT detail FROM audit").forEach(r -> audit.add((String) r.get("DETAIL")));
            assertEquals(settings, audit, "every transaction is in the backup whole or not at all");
            // and they are a prefix: pair-0 … pair-(n-1), nothing missing in between
            for (int i = 0; i < settings.size(); i++) {
                assertTrue(settings.contains("pair-" + i), "pair-" + i + " missing");
            }
            assertTrue(settings.size() >= 200 && settings.size() > previous, "backups see the writes go on");
            previous = settings.size();
        }
    }

    @Test
    void aBackupOfAnOlderSchemaIsMigratedOnRestore() throws IOException {
        // schema 5: readings still one row per value (migration 7 moves them into history rows)
        Gateway old = new Gateway("old", dir -> Database.openWith(dir, SchemaMigrations.ALL.subList(0, 5)));
        assertEquals(5, old.db.schemaVersion());
        old.sql("INSERT INTO heatpumps(id, name, manufacturer, model, connection_config, poll_interval, created_at,"
                + " updated_at) VALUES ('hp-old', 'Old', 'idm', 'navigator20', '{}', 10, ?, ?)",
                Database.toDb(T0), Database.toDb(T0));
        old.sql("INSERT INTO readings(heatpump_id, sensor_id, ts, \"VALUE\") VALUES ('hp-old', 'outdoor', ?, -3.5)",
                T0.toEpochMilli());
        old.sql("INSERT INTO readings(heatpump_id, sensor_id, ts, \"VALUE\") VALUES ('hp-old', 'flow', ?, 35.25)",
                T0.toEpochMilli());
        Backup backup = old.engine.create(null, false);
        assertEquals(5, backup.schemaVersion());

        Gateway target = new Gateway("target");
        RestoreResult result = target.engine.restore(Files.newInputStream(old.engine.file(backup.name())
                .orElseThrow()), null, false);
        assertEquals(5, result.backupSchemaVersion());
        assertEquals(CURRENT, result.schemaVersion());
        assertEquals(CURRENT, target.db.schemaVersion());
        assertEquals("Old", target.db.rows("SELECT name FROM heatpumps WHERE id = 'hp-old'").get(0).get("NAME"));
        assertEquals(List.of(new StoredReadings.Reading("hp-old", "flow", T0.toEpochMilli(), 35.25),
                        new StoredReadings.Reading("hp-old", "outdoor", T0.toEpochMilli(), -3.5)),
                StoredReadings.all(target.db));
    }

    @Test
    void corruptForeignTamperedOrTooNewZipsAreRefusedAndNothingChanges() throws IOException {
        Gateway source = new Gateway("source");
        source.fill();
        Path good = source.engine.file(source.engine.create(null, false).name()).orElseThrow();
        Gateway target = new Gateway("target");
        target.sql("INSERT INTO settings(\"KEY\", \"VALUE\") VALUES ('mine', 'keep me')");
        Files.createDirectories(target.data.resolve("deploy"));
        Files.writeString(target.data.resolve("deploy/mine.cfg"), "a=1\n");
        Map<String, List<Map<String, Object>>> before = target.everything();

        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("random bytes", "this is not a zip at all".getBytes(StandardCharsets.UTF_8));
        cases.put("truncated", java.util.Arrays.copyOf(Files.readAllBytes(good), (int) Files.size(good) / 2));
        cases.put("foreign zip", zip(Map.of("hello.txt", "hi".getBytes(StandardCharsets.UTF_8))));
        cases.put("foreign manifest", rewrite(good, (name, bytes) -> name.equals("manifest.json")
                ? "{\"format\":\"something-else\"}".getBytes(StandardCharsets.UTF_8) : bytes));
        cases.put("tampered database", rewrite(good, (name, bytes) -> name.equals("database.sql")
                ? (new String(bytes, StandardCharsets.UTF_8).replace("Cellar", "Hacked"))
                .getBytes(StandardCharsets.UTF_8) : bytes));
        cases.put("tampered bundle", rewrite(good, (name, bytes) -> name.equals("deploy/gateway.driver.nibe.jar")
                ? new byte[] {'P', 'K', 3, 4, 6, 6, 6} : bytes));
        cases.put("newer schema", rewrite(good, (name, bytes) -> name.equals("manifest.json")
                ? new String(bytes, StandardCharsets.UTF_8)
                .replace("\"schema_version\" : " + CURRENT, "\"schema_version\" : 99")
                .getBytes(StandardCharsets.UTF_8) : bytes));
        cases.put("path outside", add(good, "../../evil.jar", new byte[] {1}));
        cases.put("unlisted entry", add(good, "deploy/extra.jar", new byte[] {1}));
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            InvalidBackupException e = assertThrows(InvalidBackupException.class,
                    () -> target.engine.restore(new ByteArrayInputStream(c.getValue()), null, false), c.getKey());
            assertEquals("backup", e.field(), c.getKey());
            if (c.getKey().startsWith("foreign")) {
                assertTrue(e.getMessage().contains("not a gateway backup"), e.getMessage());
            }
            assertEquals(0, target.stops, c.getKey() + ": nothing may be stopped");
            assertEquals(before, target.everything(), c.getKey());
            assertEquals("a=1\n", Files.readString(target.data.resolve("deploy/mine.cfg")), c.getKey());
            assertFalse(Files.exists(root.resolve("evil.jar")), c.getKey());
        }
        assertTrue(target.engine.list().isEmpty(), "uploads leave nothing behind");
        try (var files = Files.list(target.data.resolve(BackupEngine.FOLDER))) {
            assertEquals(List.of(), files.toList(), "no staging folders left");
        }
    }

    @Test
    void theScheduleMakesABackupWhenTheNewestIsAnIntervalOldAndKeepsTheNewestOnes() throws IOException {
        Gateway g = new Gateway("g");
        g.clock.now = T0.minus(Duration.ofHours(1));
        Backup manual = g.engine.create(null, false);
        g.clock.now = T0;
        Duration day = Duration.ofHours(24);
        assertTrue(g.engine.runSchedule(day, 2, null).isPresent(), "no scheduled backup yet: one is due");
        g.clock.now = T0.plus(Duration.ofHours(23));
        assertTrue(g.engine.runSchedule(day, 2, null).isEmpty(), "not due before a day has passed");
        for (int i = 1; i <= 3; i++) {
            g.clock.now = T0.plus(day.multipliedBy(i));
            Backup made = g.engine.runSchedule(day, 2, null).orElseThrow();
            assertTrue(made.scheduled() && made.name().endsWith("-auto.zip"), made.name());
        }
        List<Backup> all = g.engine.list();
        assertEquals(List.of(T0.plus(day.multipliedBy(3)), T0.plus(day.multipliedBy(2))),
                all.stream().filter(Backup::scheduled).map(Backup::createdAt).toList());
        assertTrue(all.contains(manual), "a backup made by hand is never pruned");
        assertEquals(0, g.engine.runSchedule(Duration.ZERO, 2, null).stream().count(), "interval 0: off");
    }

    @Test
    void deleteRemovesOnlyBackupsAndRefusesOtherNames() throws IOException {
        Gateway g = new Gateway("g");
        Backup b = g.engine.create(null, false);
        assertFalse(g.engine.delete("../gateway.mv.db"));
        assertFalse(g.engine.delete("gateway-backup-20991231-000000-000.zip"));
        assertTrue(g.engine.file("../../etc/passwd").isEmpty());
        assertTrue(g.engine.delete(b.name()));
        assertTrue(g.engine.list().isEmpty());
        assertTrue(Files.exists(g.data.resolve("gateway.mv.db")));
    }

    // ---------------------------------------------------------------- zip helpers

    static String lines(Path f) throws IOException {
        return new TreeMap<>(Map.of("lines", new java.util.TreeSet<>(Files.readAllLines(f)))).toString();
    }

    static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }

    static byte[] unpackAll(Path zip) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                in.transferTo(out);
            }
        }
        return out.toByteArray();
    }

    static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    interface EntryChange {
        byte[] apply(String name, byte[] bytes);
    }

    static byte[] rewrite(Path zip, EntryChange change) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : entries(zip).entrySet()) {
            out.put(e.getKey(), change.apply(e.getKey(), e.getValue()));
        }
        return zip(out);
    }

    static byte[] add(Path zip, String name, byte[] content) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>(entries(zip));
        out.put(name, content);
        return zip(out);
    }

}
