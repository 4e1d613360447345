package gateway.core.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import gateway.core.api.CopStore;

/**
 * COP sums per device in table {@code cop_totals} (migration 10), one row per device, and each day's sums in
 * {@code cop_days} (migration 11), one row per device and day, written with every save of the running sums.
 */
@Component(service = CopStore.class)
public final class H2CopStore implements CopStore {

    private final Database database;

    @Activate
    public H2CopStore(@Reference Database database) {
        this.database = database;
    }

    @Override
    public Optional<CopTotals> load(String heatpumpId) {
        return database.queryOne("SELECT * FROM cop_totals WHERE heatpump_id = ?", H2CopStore::totals, heatpumpId);
    }

    private static CopTotals totals(ResultSet rs) throws SQLException {
        long lastPoll = rs.getLong("last_poll");
        Instant last = rs.wasNull() ? null : Instant.ofEpochMilli(lastPoll);
        return new CopTotals(rs.getString("heatpump_id"), rs.getObject("cop_day", LocalDate.class),
                rs.getDouble("day_heat_kwh"), rs.getDouble("day_electric_kwh"), YearMonth.parse(rs.getString("cop_month")),
                rs.getDouble("month_heat_kwh"), rs.getDouble("month_electric_kwh"), last,
                (Double) rs.getObject("last_heat_power_kw"), (Double) rs.getObject("last_electric_power_kw"),
                (Double) rs.getObject("last_heat_energy_kwh"), (Double) rs.getObject("last_electric_energy_kwh"));
    }

    @Override
    public void save(CopTotals t) {
        database.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO cop_totals (heatpump_id, cop_day, day_heat_kwh,"
                    + " day_electric_kwh, cop_month, month_heat_kwh, month_electric_kwh, last_poll, last_heat_power_kw,"
                    + " last_electric_power_kw, last_heat_energy_kwh, last_electric_energy_kwh) KEY (heatpump_id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, t.heatpumpId());
                ps.setObject(2, t.day());
                ps.setDouble(3, t.dayHeatKwh());
                ps.setDouble(4, t.dayElectricKwh());
                ps.setString(5, t.month().toString());
                ps.setDouble(6, t.monthHeatKwh());
                ps.setDouble(7, t.monthElectricKwh());
                if (t.lastPoll() == null) {
                    ps.setNull(8, Types.BIGINT);
                } else {
                    ps.setLong(8, t.lastPoll().toEpochMilli());
                }
                setDouble(ps, 9, t.lastHeatPowerKw());
                setDouble(ps, 10, t.lastElectricPowerKw());
                setDouble(ps, 11, t.lastHeatEnergyKwh());
                setDouble(ps, 12, t.lastElectricEnergyKwh());
                ps.executeUpdate();
            }
            if (t.day() != null) {
                // the running day's sums only grow, so the last save of a day is that day's total
                try (PreparedStatement ps = c.prepareStatement("MERGE INTO cop_days (heatpump_id, cop_day, heat_kwh,"
                        + " electric_kwh) KEY (heatpump_id, cop_day) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, t.heatpumpId());
                    ps.setObject(2, t.day());
                    ps.setDouble(3, t.dayHeatKwh());
                    ps.setDouble(4, t.dayElectricKwh());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }

    @Override
    public void delete(String heatpumpId) {
        database.transaction(c -> {
            for (String table : List.of("cop_totals", "cop_days")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE heatpump_id = ?")) {
                    ps.setString(1, heatpumpId);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public List<CopDay> days(String heatpumpId, LocalDate from, LocalDate to) {
        return database.query("SELECT heatpump_id, cop_day, heat_kwh, electric_kwh FROM cop_days"
                        + " WHERE heatpump_id = ? AND cop_day BETWEEN ? AND ? ORDER BY cop_day",
                rs -> new CopDay(rs.getString(1), rs.getObject(2, LocalDate.class), rs.getDouble(3), rs.getDouble(4)),
                heatpumpId, from, to);
    }
}
