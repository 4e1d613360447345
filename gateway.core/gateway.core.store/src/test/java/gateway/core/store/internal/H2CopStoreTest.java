package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.CopStore.CopDay;
import gateway.core.api.CopStore.CopTotals;

/** Issue 16: every save of the running COP sums also keeps that day's sums, which the energy view reads back. */
class H2CopStoreTest {

    @TempDir
    Path dir;

    private static CopTotals totals(String id, LocalDate day, double heat, double electric) {
        return new CopTotals(id, day, heat, electric, YearMonth.from(day), heat + 100, electric + 30,
                Instant.parse("2026-11-02T10:00:00Z"), 6.0, 1.5, null, null);
    }

    @Test
    void theLastSaveOfADayIsThatDaysSumAndEachDayKeepsItsOwnRow() {
        try (Database db = Database.open(dir)) {
            H2CopStore store = new H2CopStore(db);
            LocalDate first = LocalDate.of(2026, 11, 1);
            LocalDate second = first.plusDays(1);
            store.save(totals("hp-1", first, 3.0, 1.0));
            store.save(totals("hp-1", first, 12.5, 4.0)); // later the same day: replaces, never adds
            store.save(totals("hp-1", second, 2.25, 0.75));
            store.save(totals("hp-2", first, 99, 33));

            assertEquals(List.of(new CopDay("hp-1", first, 12.5, 4.0), new CopDay("hp-1", second, 2.25, 0.75)),
                    store.days("hp-1", first, second));
            assertEquals(List.of(new CopDay("hp-1", second, 2.25, 0.75)), store.days("hp-1", second, second));
            assertEquals(List.of(), store.days("hp-1", second.plusDays(1), second.plusDays(30)));
            // the running sums are still the last save's
            assertEquals(2.25, store.load("hp-1").orElseThrow().dayHeatKwh());
        }
    }

    @Test
    void deletingADeviceForgetsItsDaysButNotAnotherDevicesDays() {
        try (Database db = Database.open(dir)) {
            H2CopStore store = new H2CopStore(db);
            LocalDate day = LocalDate.of(2026, 11, 1);
            store.save(totals("hp-1", day, 3.0, 1.0));
            store.save(totals("hp-2", day, 5.0, 2.0));
            store.delete("hp-1");
            assertEquals(List.of(), store.days("hp-1", day, day));
            assertEquals(List.of(new CopDay("hp-2", day, 5.0, 2.0)), store.days("hp-2", day, day));
        }
    }

    @Test
    void migrationElevenSeedsTheRunningDayFromTheSavedTotals() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve(Database.FILE_NAME));
        ds.setUser("sa");
        try (Connection c = ds.getConnection()) {
            assertEquals(10, SchemaMigrations.migrate(c, SchemaMigrations.ALL.subList(0, 10)));
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO cop_totals (heatpump_id, cop_day, day_heat_kwh, day_electric_kwh, cop_month,"
                        + " month_heat_kwh, month_electric_kwh) VALUES ('hp-old', DATE '2026-10-30', 7.5, 2.5,"
                        + " '2026-10', 80, 20)");
            }
        }
        try (Database db = Database.open(dir)) {
            assertEquals(SchemaMigrations.ALL.size(), db.schemaVersion(), "migrated from 10 to the latest, through 11");
            assertEquals(List.of(new CopDay("hp-old", LocalDate.of(2026, 10, 30), 7.5, 2.5)),
                    new H2CopStore(db).days("hp-old", LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 31)));
        }
    }
}
