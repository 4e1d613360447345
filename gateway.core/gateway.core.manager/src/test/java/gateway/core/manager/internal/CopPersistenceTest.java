package gateway.core.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.CopSources;
import gateway.core.api.CopStore.CopTotals;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.Heatpump;
import gateway.core.api.SensorReading;
import gateway.core.store.internal.Database;
import gateway.core.store.internal.H2CopStore;
import gateway.core.testing.SimulatedDevice;
import gateway.core.testing.TestDriver;

/**
 * The manager's side of COP across restarts, with the real H2 store: a device starts from the sums saved before, and
 * the manager saves them again when it stops, so the file reopened holds the polls of this run too.
 */
class CopPersistenceTest {

    @TempDir
    Path dir;

    /** The test driver with COP sources: its outdoor register stands in for heat power (kW), beside electric power. */
    static final class CopDriver extends TestDriver {
        CopDriver() {
            super("model-cop");
        }

        @Override
        public Optional<CopSources> copSources(DeviceConfig deviceConfig) {
            return Optional.of(new CopSources(OUTDOOR.id(), POWER.id(), null, null));
        }
    }

    @Test
    void aDeviceGoesOnFromTheSavedSumsAndTheManagerSavesThemWhenItStops() throws Exception {
        Instant start = Instant.parse("2026-01-15T06:00:00Z"); // ManagerFixture's simulated time
        LocalDate today = LocalDate.ofInstant(start, ZoneId.systemDefault());
        Database db = Database.open(dir);
        // before the restart: 10 kWh of heat for 5 kWh today (COP 2), 100 for 25 this month (COP 4)
        new H2CopStore(db).save(new CopTotals("hp-cop", today, 10, 5, YearMonth.from(today), 100, 25, null, null,
                null, null, null));
        try (ManagerFixture f = new ManagerFixture()) {
            f.cop = new H2CopStore(db);
            f.registry.bindDriver(new CopDriver());
            SimulatedDevice device = f.simulator();
            device.set(TestDriver.OUTDOOR, 8.0);
            device.set(TestDriver.POWER, 2.0);
            f.repository.insert(new Heatpump("hp-cop", "Cellar", TestDriver.MANUFACTURER, "model-cop",
                    new ConnectionConfig("127.0.0.1", device.port(), 1, 1000, Map.of()),
                    DeviceConfig.of(List.of("A"), List.of()), 1, true, start, start));
            f.start();
            f.await("a first snapshot", () -> f.latest("hp-cop") != null);
            DeviceSnapshot first = f.latest("hp-cop");
            assertEquals(2.0, value(first, CopCalculator.DAY), 1e-9, "the saved day, not a fresh start");
            assertEquals(4.0, value(first, CopCalculator.MONTH), 1e-9);
            f.await("a few more polls", () -> f.latest("hp-cop").time().isAfter(start.plusSeconds(5)));
            double day = value(f.latest("hp-cop"), CopCalculator.DAY);
            assertTrue(day > 2.0 && day < 2.01, "8 kW of heat for 2 kW moves the day a little towards 4: " + day);
        }
        db.close();

        db = Database.open(dir);
        try {
            CopTotals saved = new H2CopStore(db).load("hp-cop").orElseThrow();
            assertNotNull(saved.lastPoll(), "saved when the manager stopped");
            double heat = saved.dayHeatKwh() - 10;
            double electric = saved.dayElectricKwh() - 5;
            assertTrue(electric > 0, "this run's polls are in the file: " + saved);
            assertEquals(4.0, heat / electric, 1e-6, "integrated at 8 kW over 2 kW");
            assertEquals(saved.monthHeatKwh() - 100, heat, 1e-9);
            assertEquals(8.0, saved.lastHeatPowerKw(), 1e-9);
        } finally {
            db.close();
        }
    }

    static double value(DeviceSnapshot s, String id) {
        SensorReading r = s.reading(id);
        assertNotNull(r, id + " in " + s.readings().keySet());
        return r.value();
    }
}
