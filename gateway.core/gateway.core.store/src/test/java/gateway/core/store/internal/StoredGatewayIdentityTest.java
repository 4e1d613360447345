package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.GatewayIdentity;

/** gateway_id: configured, or derived once and kept in a real H2 file across restarts. */
class StoredGatewayIdentityTest {

    @TempDir
    Path dir;

    @Test
    void aDerivedIdIsStoredOnceAndSurvivesARestart() {
        String first;
        try (Database db = Database.open(dir)) {
            GatewayIdentity id = new StoredGatewayIdentity(new H2SettingsStore(db), "", "");
            first = id.gatewayId();
            assertTrue(GatewayIdentity.VALID.matcher(first).matches(), first);
            assertTrue(first.matches(".+-[0-9a-f]{6}"), "host name and a random suffix: " + first);
            assertEquals("", id.site());
            assertEquals(Map.of("gateway_id", first), id.labels());
            assertEquals(Optional.of(first), new H2SettingsStore(db).get("gateway_id"));
        }
        try (Database db = Database.open(dir)) {
            assertEquals(first, new StoredGatewayIdentity(new H2SettingsStore(db), "", "").gatewayId());
        }
        try (Database other = Database.open(dir.resolve("other"))) {
            assertNotEquals(first, new StoredGatewayIdentity(new H2SettingsStore(other), "", "").gatewayId(),
                    "two gateways on one host still differ");
        }
    }

    @Test
    void aConfiguredIdAndSiteWinAndTheStoredIdReturnsWhenTheConfigurationGoes() {
        try (Database db = Database.open(dir)) {
            H2SettingsStore settings = new H2SettingsStore(db);
            String derived = new StoredGatewayIdentity(settings, "", "").gatewayId();
            GatewayIdentity configured = new StoredGatewayIdentity(settings, " berlin-01 ", "Berlin_Mitte");
            assertEquals("berlin-01", configured.gatewayId());
            assertEquals("Berlin_Mitte", configured.site());
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("gateway_id", "berlin-01");
            labels.put("site", "Berlin_Mitte");
            assertEquals(labels, configured.labels());
            assertEquals(derived, new StoredGatewayIdentity(settings, "", "").gatewayId());
        }
    }

    @Test
    void invalidValuesAreIgnoredNotFatal() {
        try (Database db = Database.open(dir)) {
            H2SettingsStore settings = new H2SettingsStore(db);
            String derived = new StoredGatewayIdentity(settings, "", "").gatewayId();
            GatewayIdentity bad = new StoredGatewayIdentity(settings, "a/b#", "two words");
            assertEquals(derived, bad.gatewayId(), "a topic separator is not an id");
            assertEquals("", bad.site());
            assertEquals(derived, new StoredGatewayIdentity(settings, "x".repeat(65), "").gatewayId());
        }
    }
}
