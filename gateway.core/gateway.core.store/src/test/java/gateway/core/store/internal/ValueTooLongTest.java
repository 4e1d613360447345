package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.AlertStore.Alert;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.Heatpump;
import gateway.core.api.ValueTooLongException;

/**
 * Issue 14's probes against the real H2 file: a 295-character host (column endpoint_key holds 300 with the port and
 * unit) and a 201-character alert name are the caller's mistake, named by column, and leave nothing behind.
 */
class ValueTooLongTest {

    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = Database.open(dir);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aHostTooLongForTheEndpointKeyIsNamedNotAnInternalError() {
        H2HeatpumpStore repo = new H2HeatpumpStore(db);
        String host = "h".repeat(295);
        Instant t = Instant.parse("2026-01-02T03:04:05Z");
        Heatpump hp = new Heatpump("hp-long", "Keller", "idm", "navigator_2_0",
                new ConnectionConfig(host, 502, 1, 3000, Map.of("password", "s3cret-in-options")),
                new DeviceConfig(List.of(), List.of(), Map.of()), 30, true, t, t);
        ValueTooLongException e = assertThrows(ValueTooLongException.class, () -> repo.insert(hp));
        assertEquals("endpoint_key", e.field());
        assertFalse(e.getMessage().contains(host), "the value (maybe a secret) is not repeated");
        assertTrue(repo.all().isEmpty());
    }

    @Test
    void anAlertNameOf201CharactersIsNamedNotAnInternalError() {
        H2AlertStore alerts = new H2AlertStore(db);
        ValueTooLongException e = assertThrows(ValueTooLongException.class, () -> alerts.save(new Alert(null, "hp-a",
                "a".repeat(201), "threshold", "temp_outside", ">", "30", "too hot", true, 0, null, 0, 0, List.of(),
                true)));
        assertEquals("name", e.field());
        assertTrue(alerts.list(null).isEmpty());
    }
}
