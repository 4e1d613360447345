package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.DashboardStore.Dashboard;

class H2DashboardStoreTest {

    @TempDir
    Path dir;
    Database db;
    H2DashboardStore store;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        store = new H2DashboardStore(db);
        new H2HeatpumpStore(db).insert(H2HeatpumpStoreTest.luxtronik("hp-1"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void newDashboardsGetADashIdAndListInPositionOrderPerDeviceOrOverview() {
        Dashboard second = store.save(new Dashboard(null, "Energy", "hp-1", "{\"charts\":[]}", 2));
        Dashboard first = store.save(new Dashboard("", "Overview of hp-1", "hp-1", "{}", 1));
        Dashboard overview = store.save(new Dashboard(null, "All devices", null, "{}", 0));

        assertTrue(second.id().matches("dash-[0-9a-f]{8}"), second.id());
        assertEquals(List.of(first, second), store.list("hp-1"));
        assertEquals(List.of(overview), store.list(null));
        assertEquals(Optional.of(second), store.get(second.id()));
    }

    @Test
    void savingAnExistingIdReplacesItAndDeleteRemovesIt() {
        Dashboard d = store.save(new Dashboard(null, "A", "hp-1", "{}", 0));
        Dashboard renamed = store.save(new Dashboard(d.id(), "B", "hp-1", "{\"charts\":[1]}", 5));
        assertEquals(List.of(renamed), store.list("hp-1"));
        assertTrue(store.delete(d.id()));
        assertFalse(store.delete(d.id()));
        assertEquals(Optional.empty(), store.get(d.id()));
    }

    @Test
    void dashboardOfAnUnknownDeviceIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> store.save(new Dashboard(null, "x", "hp-nope", "{}", 0)));
        assertEquals(List.of(), store.list("hp-nope"));
    }
}
