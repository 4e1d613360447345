package gateway.core.notification.internal;

import gateway.core.testing.ManualClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.NotificationChannelStore.ChannelConfig;
import gateway.core.api.NotificationChannels;
import gateway.core.api.NotificationChannels.TestResult;
import gateway.core.store.internal.Database;
import gateway.core.store.internal.H2NotificationChannelStore;

/** Channel administration on a real H2 store: secrets are write-only, settings are checked by their kind. */
class ChannelAdministrationTest {

    static final String MASK = NotificationChannels.MASK;

    @TempDir
    Path dir;
    Database db;
    H2NotificationChannelStore store;
    ChannelAdministration channels;
    Receiver receiver;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dir);
        store = new H2NotificationChannelStore(db);
        ChannelKinds kinds = new ChannelKinds();
        kinds.add(new WebhookChannel());
        kinds.add(new GotifyChannel());
        channels = new ChannelAdministration(store, kinds, new ManualClock(Instant.parse("2026-03-01T06:00:00Z")));
        receiver = Receiver.start();
    }

    @AfterEach
    void close() {
        receiver.close();
        db.close();
    }

    @Test
    void secretsAreMaskedOnReadAndAMaskSentBackKeepsTheStoredSecret() throws Exception {
        ChannelConfig created = channels.save(new ChannelConfig(null, "gotify", "Phone", true,
                Map.of("url", receiver.url(), "token", "AppToken.1"), null));
        assertEquals(Map.of("url", receiver.url(), "token", MASK), created.settings());
        assertEquals(MASK, channels.list().get(0).settings().get("token"));

        channels.save(new ChannelConfig(created.id(), "gotify", "Phone (renamed)", true,
                Map.of("url", receiver.url(), "token", MASK), null));
        assertEquals("AppToken.1", store.get(created.id()).orElseThrow().settings().get("token"));
        assertEquals("Phone (renamed)", channels.get(created.id()).orElseThrow().name());
        String stored = db.read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT settings FROM notification_channels")) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertFalse(stored.contains("AppToken.1"), "the kept secret is still encrypted at rest: " + stored);

        channels.save(new ChannelConfig(created.id(), "gotify", "Phone", true,
                Map.of("url", receiver.url(), "token", "AppToken.2"), null));
        assertEquals("AppToken.2", store.get(created.id()).orElseThrow().settings().get("token"));
    }

    @Test
    void theMaskIsNoValueForANewChannelOrANonSecretSetting() {
        InvalidConfigurationException fresh = assertThrows(InvalidConfigurationException.class,
                () -> channels.save(new ChannelConfig(null, "gotify", "Phone", true,
                        Map.of("url", "http://x", "token", MASK), null)));
        assertTrue(fresh.getMessage().contains("'token': send the value, not the mask"), fresh.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> channels.save(new ChannelConfig(null, "webhook",
                "Hook", true, Map.of("url", MASK), null)));
        assertTrue(store.list().isEmpty());
    }

    @Test
    void unknownTypesMissingNamesAndBadSettingsAreRejectedWithEveryProblem() {
        InvalidConfigurationException type = assertThrows(InvalidConfigurationException.class,
                () -> channels.save(new ChannelConfig(null, "carrier-pigeon", "P", true, Map.of(), null)));
        assertTrue(type.getMessage().contains("installed: gotify, webhook"), type.getMessage());
        InvalidConfigurationException bad = assertThrows(InvalidConfigurationException.class,
                () -> channels.save(new ChannelConfig("bad id!", "webhook", " ", true, Map.of("url", "nope"),
                        null)));
        assertEquals(3, bad.problems().size(), bad.problems().toString());
    }

    @Test
    void aTestMessageReportsDeliveryOrTheServicesAnswer() throws Exception {
        ChannelConfig hook = channels.save(new ChannelConfig("hook", "webhook", "Hook", false,
                Map.of("url", receiver.url(), "secret", "k"), null));
        TestResult ok = channels.test(hook.id()).orElseThrow();
        assertTrue(ok.delivered());
        assertNull(ok.error());
        assertEquals("test", receiver.requests.get(0).json().get("source").asText());

        receiver.status.set(404);
        TestResult refused = channels.test(hook.id()).orElseThrow();
        assertFalse(refused.delivered());
        assertFalse(refused.retryable());
        assertTrue(refused.error().contains("HTTP 404"), refused.error());
        assertTrue(channels.test("nope").isEmpty());
    }

    @Test
    void aChannelWhoseKindIsNotInstalledShowsEverySettingMasked() {
        store.save(new ChannelConfig("mq", "mqtt", "Broker", true, Map.of("host", "broker", "password", "p"),
                null));
        assertEquals(Map.of("host", MASK, "password", MASK), channels.get("mq").orElseThrow().settings());
        assertFalse(channels.test("mq").orElseThrow().delivered());
    }
}
