package gateway.core.manager.internal;

import static gateway.core.manager.internal.CopCalculatorTest.defs;
import static gateway.core.manager.internal.CopCalculatorTest.snap;
import static gateway.core.manager.internal.CopCalculatorTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.CopSources;
import gateway.core.api.CopStore;
import gateway.core.api.DeviceSnapshot;
import gateway.core.store.internal.Database;
import gateway.core.store.internal.H2CopStore;

/**
 * Day and month COP go on across a restart: the sums and the last poll are saved in a real H2 file, the file is closed
 * and opened again (as by a restart), and a new calculator restored from it carries on.
 */
class CopRestartTest {

    static final Instant MORNING = Instant.parse("2026-03-31T06:00:00Z");
    static final Duration STEP = Duration.ofMinutes(15);

    @TempDir
    Path dir;

    static CopCalculator counters() {
        return new CopCalculator(new CopSources(null, null, "heat_kwh", "elec_kwh"),
                defs("heat_kwh", "kWh", "elec_kwh", "kWh"), ZoneOffset.UTC);
    }

    /**
     * Before the restart: 4 intervals of 1.0 kWh heat for 0.25 kWh electricity (COP 4). Down for 30 minutes, during
     * which the counters rose by 1.2 kWh heat and 0.4 kWh electricity (COP 3). After: one more interval at COP 4.
     * By hand: heat 4 + 1.2 + 1 = 6.2 kWh, electricity 1 + 0.4 + 0.25 = 1.65 kWh, day COP 6.2 / 1.65 = 3.7576.
     * Without the saved sums the day would show 2.2 / 0.65 = 3.3846; without the last counters, 1 / 0.25 = 4.
     */
    @Test
    void daySumsAndTheCountersOverTheDowntimeSurviveAReopenedDatabase() {
        CopCalculator before = counters();
        double heat = 500;
        double elec = 150;
        Instant t = MORNING;
        for (int i = 0; i <= 4; i++) {
            if (i > 0) {
                heat += 1.0;
                elec += 0.25;
            }
            t = MORNING.plus(STEP.multipliedBy(i));
            before.enrich(snap(t, "heat_kwh", heat, "elec_kwh", elec));
        }
        Database db = Database.open(dir);
        new H2CopStore(db).save(before.totals("hp-1"));
        db.close();

        db = Database.open(dir);
        try {
            CopStore store = new H2CopStore(db);
            CopCalculator after = counters();
            after.restore(store.load("hp-1").orElseThrow());
            heat += 1.2;
            elec += 0.4;
            DeviceSnapshot first = after.enrich(snap(t.plus(Duration.ofMinutes(30)), "heat_kwh", heat, "elec_kwh",
                    elec));
            assertEquals(5.2 / 1.4, value(first, CopCalculator.DAY), 1e-9, "the downtime is one interval");
            heat += 1.0;
            elec += 0.25;
            DeviceSnapshot next = after.enrich(snap(t.plus(Duration.ofMinutes(45)), "heat_kwh", heat, "elec_kwh",
                    elec));
            assertEquals(6.2 / 1.65, value(next, CopCalculator.DAY), 1e-9);
            assertEquals(3.7576, value(next, CopCalculator.MONTH), 1e-4);
        } finally {
            db.close();
        }
    }

    /** Restarted the next day: the day starts at zero, the month goes on (1 April is a new month: both reset). */
    @Test
    void aRestartIntoTheNextDayKeepsTheMonthOnly() {
        CopCalculator before = counters();
        Instant t0 = Instant.parse("2026-03-30T22:00:00Z");
        before.enrich(snap(t0, "heat_kwh", 100.0, "elec_kwh", 40.0));
        before.enrich(snap(t0.plus(STEP), "heat_kwh", 103.0, "elec_kwh", 41.0)); // COP 3 on the 30th
        Database db = Database.open(dir);
        new H2CopStore(db).save(before.totals("hp-1"));
        db.close();

        db = Database.open(dir);
        try {
            CopCalculator after = counters();
            after.restore(new H2CopStore(db).load("hp-1").orElseThrow());
            // back 3 hours later, on the 31st: the gap is over an hour, so it is not integrated
            Instant t1 = Instant.parse("2026-03-31T01:15:00Z");
            after.enrich(snap(t1, "heat_kwh", 110.0, "elec_kwh", 43.0));
            DeviceSnapshot s = after.enrich(snap(t1.plus(STEP), "heat_kwh", 114.0, "elec_kwh", 44.0)); // COP 4
            assertEquals(4.0, value(s, CopCalculator.DAY), 1e-9, "only the 31st's interval");
            assertEquals(7.0 / 2.0, value(s, CopCalculator.MONTH), 1e-9, "the 30th's 3 kWh / 1 kWh plus 4 / 1");
        } finally {
            db.close();
        }
    }

    @Test
    void aDeletedDevicesSumsAreGone() {
        Database db = Database.open(dir);
        try {
            H2CopStore store = new H2CopStore(db);
            CopCalculator c = counters();
            c.enrich(snap(MORNING, "heat_kwh", 1.0, "elec_kwh", 1.0));
            store.save(c.totals("hp-gone"));
            assertTrue(store.load("hp-gone").isPresent());
            store.delete("hp-gone");
            assertTrue(store.load("hp-gone").isEmpty());
        } finally {
            db.close();
        }
    }
}
