package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.Notification;
import gateway.core.api.NotificationChannel;
import gateway.core.api.NotificationChannelStore.ChannelConfig;

/** Notification channel secrets are sealed in the database file with the data folder's key, as device secrets are. */
class ChannelSecretsAtRestTest {

    static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");
    static final String HMAC = "hmac-7d41e2c9-distinctive-webhook-secret";
    static final String SMTP = "smtp-0b8f53aa-distinctive-password";
    static final String DISCORD = "https://discord.com/api/webhooks/123/tok-5e9a1c77-distinctive-discord";
    static final String CUSTOM = "custom-31c6b0d2-distinctive-credential";

    @TempDir
    Path dir;

    /** A kind of a third-party bundle whose secret no name rule recognises. */
    static NotificationChannel kind(String type, String secretSetting) {
        return new NotificationChannel() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public String description() {
                return "test kind";
            }

            @Override
            public List<Setting> settings() {
                return List.of(new Setting("url", "where to", true, false, null),
                        new Setting(secretSetting, "the secret", true, true, null));
            }

            @Override
            public void validate(Map<String, String> settings) throws InvalidConfigurationException {
            }

            @Override
            public void send(Map<String, String> settings, Notification notification, String deliveryKey) {
            }
        };
    }

    /** Every file of the data folder, read raw: the .mv.db and whatever H2 writes beside it. */
    private String dataFolderBytes() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    private static String storedSettings(Database db, String id) {
        return (String) db.rows("SELECT settings FROM notification_channels WHERE id = '" + id + "'").get(0)
                .get("SETTINGS");
    }

    @Test
    void secretSettingsAreNotInTheDatabaseFilesAndReadBackPlainAfterAReopen() throws IOException {
        try (Database db = Database.open(dir)) {
            H2NotificationChannelStore store = new H2NotificationChannelStore(db);
            store.addKind(kind("pager", "pin"));
            store.save(new ChannelConfig("ch-hook", "webhook", "Ops", true,
                    Map.of("url", "http://127.0.0.1:1/hook", "secret", HMAC), T0));
            store.save(new ChannelConfig("ch-mail", "email", "Mail", true,
                    Map.of("host", "smtp.example", "username", "gw", "password", SMTP), T0));
            store.save(new ChannelConfig("ch-discord", "discord", "Discord", true, Map.of("webhook_url", DISCORD), T0));
            store.save(new ChannelConfig("ch-pager", "pager", "Pager", true,
                    Map.of("url", "http://127.0.0.1:2/page", "pin", CUSTOM), T0));
            String hook = storedSettings(db, "ch-hook");
            assertTrue(hook.contains("\"secret\":\"enc:v1:"), hook);
            assertTrue(hook.contains("http://127.0.0.1:1/hook"), "what is no secret stays readable: " + hook);
            assertTrue(storedSettings(db, "ch-mail").contains("\"username\":\"gw\""));
        }
        String raw = dataFolderBytes();
        for (String secret : List.of(HMAC, SMTP, DISCORD, "tok-5e9a1c77", CUSTOM)) {
            assertFalse(raw.contains(secret), secret + " is in the data folder in clear");
        }
        try (Database db = Database.open(dir)) {
            H2NotificationChannelStore store = new H2NotificationChannelStore(db);
            assertEquals(Map.of("url", "http://127.0.0.1:1/hook", "secret", HMAC),
                    store.get("ch-hook").orElseThrow().settings());
            assertEquals(SMTP, store.get("ch-mail").orElseThrow().settings().get("password"));
            assertEquals(DISCORD, store.get("ch-discord").orElseThrow().settings().get("webhook_url"));
            // the pager kind is not installed now: its secret was sealed, so it stays sealed when saved again
            ChannelConfig pager = store.get("ch-pager").orElseThrow();
            assertEquals(CUSTOM, pager.settings().get("pin"));
            store.save(pager);
            assertFalse(storedSettings(db, "ch-pager").contains(CUSTOM));
            assertEquals(CUSTOM, store.get("ch-pager").orElseThrow().settings().get("pin"));
        }
    }

    @Test
    void aSchema12DatabaseWithClearSecretsIsMigratedToSealedOnesWithTheirValues() throws IOException {
        try (Database db = Database.openWith(dir, SchemaMigrations.ALL.subList(0, 12))) {
            assertEquals(12, db.schemaVersion());
            db.read(c -> {
                try (var ps = c.prepareStatement("INSERT INTO notification_channels"
                        + " (id, type, name, enabled, settings, updated_at) VALUES (?, ?, ?, TRUE, ?, ?)")) {
                    for (String[] row : new String[][] {
                            {"ch-hook", "webhook", "{\"secret\":\"" + HMAC + "\",\"url\":\"http://127.0.0.1:1/hook\"}"},
                            {"ch-discord", "discord", "{\"webhook_url\":\"" + DISCORD + "\"}"},
                            {"ch-signal", "signal", "{\"number\":\"+4912345678\",\"url\":\"http://signal:8080\"}"}}) {
                        ps.setString(1, row[0]);
                        ps.setString(2, row[1]);
                        ps.setString(3, row[0]);
                        ps.setString(4, row[2]);
                        ps.setObject(5, Database.toDb(T0));
                        ps.executeUpdate();
                    }
                }
                return null;
            });
            assertTrue(storedSettings(db, "ch-hook").contains(HMAC), "as a gateway of schema 12 wrote it");
        }
        assertFalse(Files.exists(dir.resolve(SecretCipher.KEY_FILE)));
        assertTrue(dataFolderBytes().contains(HMAC), "the scan below sees a clear value where there is one");

        try (Database db = Database.open(dir)) {
            assertEquals(13, db.schemaVersion());
            assertTrue(storedSettings(db, "ch-hook").contains("\"secret\":\"enc:v1:"), storedSettings(db, "ch-hook"));
            assertFalse(storedSettings(db, "ch-discord").contains(DISCORD));
            assertEquals("{\"number\":\"+4912345678\",\"url\":\"http://signal:8080\"}",
                    storedSettings(db, "ch-signal"), "a channel without secrets is left as it was");
            H2NotificationChannelStore store = new H2NotificationChannelStore(db);
            assertEquals(Map.of("url", "http://127.0.0.1:1/hook", "secret", HMAC),
                    store.get("ch-hook").orElseThrow().settings());
            assertEquals(DISCORD, store.get("ch-discord").orElseThrow().settings().get("webhook_url"));
        }
        assertTrue(Files.exists(dir.resolve(SecretCipher.KEY_FILE)), "sealed with the data folder's key");
        String raw = dataFolderBytes();
        assertFalse(raw.contains(HMAC), "the clear value of schema 12 is gone from the file");
        assertFalse(raw.contains(DISCORD));
    }

    @Test
    void migratingALargeDatabaseLeavesNoClearSecretInTheFilesFreeSpace() throws IOException {
        try (Database db = Database.openWith(dir, SchemaMigrations.ALL.subList(0, 12))) {
            db.read(c -> {
                try (var ps = c.prepareStatement("INSERT INTO notification_channels"
                        + " (id, type, name, enabled, settings, updated_at) VALUES ('ch-hook', 'webhook', 'Ops', TRUE,"
                        + " ?, ?)")) {
                    ps.setString(1, "{\"secret\":\"" + HMAC + "\",\"url\":\"http://127.0.0.1:1/hook\"}");
                    ps.setObject(2, Database.toDb(T0));
                    ps.executeUpdate();
                }
                // enough other data that closing the file does not happen to rewrite the channel's old page
                try (var ps = c.prepareStatement("INSERT INTO settings (\"KEY\", \"VALUE\") VALUES (?, ?)")) {
                    for (int i = 0; i < 8000; i++) {
                        ps.setString(1, "filler-" + i);
                        ps.setString(2, "x".repeat(500));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return null;
            });
        }
        try (Database db = Database.open(dir)) {
            assertEquals(HMAC, new H2NotificationChannelStore(db).get("ch-hook").orElseThrow().settings()
                    .get("secret"));
            assertEquals(8000, db.rows("SELECT \"KEY\" FROM settings WHERE \"KEY\" LIKE 'filler-%'").size());
        }
        assertFalse(dataFolderBytes().contains(HMAC), "the page with the clear value was compacted away");
    }

    @Test
    void aKindInstalledLaterSealsTheSecretsOnlyItKnows() {
        try (Database db = Database.open(dir)) {
            H2NotificationChannelStore store = new H2NotificationChannelStore(db);
            store.save(new ChannelConfig("ch-pager", "pager", "Pager", true,
                    Map.of("url", "http://127.0.0.1:2/page", "pin", CUSTOM), T0));
            assertTrue(storedSettings(db, "ch-pager").contains(CUSTOM), "nobody said 'pin' is a secret");
            store.addKind(kind("pager", "pin"));
            assertFalse(storedSettings(db, "ch-pager").contains(CUSTOM));
            assertEquals(CUSTOM, store.get("ch-pager").orElseThrow().settings().get("pin"));
        }
    }
}
