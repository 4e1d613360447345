package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DashboardStore;
import gateway.core.api.DeviceConfig;
import gateway.core.api.Heatpump;

class H2HeatpumpStoreTest {

    @TempDir
    Path dir;
    Database db;
    H2HeatpumpStore repo;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        repo = new H2HeatpumpStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    static Heatpump luxtronik(String id) {
        Instant t = Instant.parse("2026-01-02T03:04:05.678Z");
        return new Heatpump(id, "Keller", "luxtronik", "luxtronik_2_1",
                new ConnectionConfig("192.168.1.50", 8889, 0, 5000, Map.of("password", "999999", "max_block", "40")),
                new DeviceConfig(List.of("A", "B"), List.of(0, 3), Map.of("firmware", "V3.90")), 15, true, t, t);
    }

    @Test
    void roundTripsEveryFieldIncludingOptionsAcrossRestart() {
        Heatpump hp = luxtronik("hp-0a1b2c3d");
        repo.insert(hp);
        db.close();
        db = Database.open(dir);
        repo = new H2HeatpumpStore(db);
        assertEquals(Optional.of(hp), repo.find("hp-0a1b2c3d"));
        assertEquals(List.of(hp), repo.all());
        assertEquals("192.168.1.50:8889:0",
                db.rows("SELECT endpoint_key FROM heatpumps").get(0).get("ENDPOINT_KEY"));
    }

    @Test
    void updateReplacesConfigurationAndKeepsCreationTime() {
        Heatpump hp = luxtronik("hp-1");
        repo.insert(hp);
        Instant later = Instant.parse("2026-02-01T00:00:00Z");
        Heatpump changed = new Heatpump("hp-1", "Garage", "idm", "navigator_2_0",
                new ConnectionConfig("10.0.0.7", 502, 1), DeviceConfig.of(List.of("A"), List.of()), 30, false,
                Instant.EPOCH, later);
        repo.update(changed);
        Heatpump read = repo.find("hp-1").orElseThrow();
        assertEquals("Garage", read.name());
        assertEquals(new ConnectionConfig("10.0.0.7", 502, 1), read.connection());
        assertEquals(DeviceConfig.of(List.of("A"), List.of()), read.deviceConfig());
        assertFalse(read.enabled());
        assertEquals(hp.createdAt(), read.createdAt());
        assertEquals(later, read.updatedAt());
    }

    @Test
    void insertOfAnExistingIdAndUpdateOfAnUnknownIdFail() {
        repo.insert(luxtronik("hp-1"));
        assertThrows(StoreException.class, () -> repo.insert(luxtronik("hp-1")));
        assertThrows(StoreException.class, () -> repo.update(luxtronik("hp-unknown")));
    }

    @Test
    void deleteTakesDashboardsAlongButLeavesJobsAndAlerts() {
        repo.insert(luxtronik("hp-1"));
        repo.insert(luxtronik("hp-2"));
        DashboardStore dashboards = new H2DashboardStore(db);
        dashboards.save(new DashboardStore.Dashboard(null, "Main", "hp-1", "{}", 0));
        dashboards.save(new DashboardStore.Dashboard(null, "Other", "hp-2", "{}", 0));
        db.read(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO jobs (id, heatpump_id, sensor, \"VALUE\", time)"
                        + " VALUES ('j1', 'hp-1', 's', '1', '06:00')");
                st.execute("INSERT INTO alerts (id, heatpump_id, name) VALUES ('a1', 'hp-1', 'x')");
            }
            return null;
        });

        assertTrue(repo.delete("hp-1"));
        assertFalse(repo.delete("hp-1"));
        assertEquals(Optional.empty(), repo.find("hp-1"));
        assertEquals(List.of(), dashboards.list("hp-1"));
        assertEquals(1, dashboards.list("hp-2").size());
        assertEquals(1, db.rows("SELECT * FROM jobs WHERE heatpump_id = 'hp-1'").size());
        assertEquals(1, db.rows("SELECT * FROM alerts WHERE heatpump_id = 'hp-1'").size());
    }
}
