package gateway.core.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The running COP sums of each device, so day and month COP go on where they were after a restart instead of starting
 * at zero. The manager saves a device's sums now and then while it polls and when it stops.
 */
@ProviderType
public interface CopStore {

    /**
     * The energy sums of the calendar day and month the device last polled in, and the values of its last poll, from
     * which the first interval after a restart is integrated (a counter's increase covers the whole downtime).
     *
     * @param lastPoll the poll the last values belong to; null before any
     */
    record CopTotals(String heatpumpId, LocalDate day, double dayHeatKwh, double dayElectricKwh, YearMonth month,
                     double monthHeatKwh, double monthElectricKwh, Instant lastPoll, Double lastHeatPowerKw,
                     Double lastElectricPowerKw, Double lastHeatEnergyKwh, Double lastElectricEnergyKwh) {
    }

    Optional<CopTotals> load(String heatpumpId);

    /** Replaces the device's saved sums. */
    void save(CopTotals totals);

    /** Forgets a deleted device's sums. */
    void delete(String heatpumpId);

    /**
     * One calendar day's energy sums of a device (the day sums of the last save of that day), for the console's
     * energy view: heat delivered and electrical energy used, in kWh.
     */
    record CopDay(String heatpumpId, LocalDate day, double heatKwh, double electricKwh) {
    }

    /**
     * The saved day sums of a device from {@code from} to {@code to} (both inclusive), oldest first; days without a
     * poll that fed the COP are missing. A store that keeps only the running sums answers none.
     */
    default List<CopDay> days(String heatpumpId, LocalDate from, LocalDate to) {
        return List.of();
    }
}
