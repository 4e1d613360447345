package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.SettingsStore;

class H2SettingsStoreTest {

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
    void storesReplacesAndListsSettingsAcrossRestarts() {
        SettingsStore settings = new H2SettingsStore(db);
        assertEquals(Optional.empty(), settings.get(SettingsStore.WRITE_ENABLED));
        settings.put(SettingsStore.WRITE_ENABLED, "false");
        settings.put(SettingsStore.WRITE_ENABLED, "true");
        settings.put("b", "2");
        db.close();
        db = Database.open(dir);
        settings = new H2SettingsStore(db);
        assertEquals(Optional.of("true"), settings.get(SettingsStore.WRITE_ENABLED));
        assertEquals(Map.of("b", "2", SettingsStore.WRITE_ENABLED, "true"), settings.all());
    }

    @Test
    void nullValueRemovesTheKey() {
        SettingsStore settings = new H2SettingsStore(db);
        settings.put("k", "v");
        settings.put("k", null);
        assertEquals(Optional.empty(), settings.get("k"));
    }
}
