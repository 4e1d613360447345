package gateway.core.manager.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import gateway.core.api.CopSources;
import gateway.core.api.CopStore.CopTotals;
import gateway.core.api.DerivedSensors;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

/**
 * Derives the coefficient of performance of one device from the sensors its driver declares ({@link CopSources}) and
 * adds it to each snapshot as three derived sensors: {@value #LIVE} (this moment), {@value #DAY} and {@value #MONTH}
 * (calendar day and month in the gateway's time zone).
 *
 * <p>Day and month COP are the heat delivered divided by the electrical energy used in the period, each summed from
 * per-poll energy deltas; never an average of instantaneous ratios, which would weigh a short defrost the same as an
 * hour of steady heating. A side with an energy counter uses the counter's increase; a side without one integrates its
 * power over the poll interval (trapezoid rule). An interval counts only when both sides have a delta for it, so a
 * missing value or a gap longer than {@link #MAX_GAP_MILLIS} skips that interval on both sides alike; a counter that
 * goes backwards (reset, replaced meter) skips it too. An interval belongs to the day of its later poll.
 *
 * <p>The device's poll thread feeds it; it is synchronized only so the sums can be saved from another thread. The sums and the last poll's values travel as
 * {@link CopTotals} ({@link #totals}, {@link #restore}), which the manager keeps in the {@link gateway.core.api.CopStore}
 * so a restart goes on where it was: a counter's increase over the downtime (up to {@link #MAX_GAP_MILLIS}) is
 * counted as one interval, a longer gap is skipped, and a new day or month starts from zero as always.
 */
public final class CopCalculator {

    public static final String LIVE = DerivedSensors.COP;
    public static final String DAY = DerivedSensors.COP_DAY;
    public static final String MONTH = DerivedSensors.COP_MONTH;
    /** Intervals longer than this are not integrated (the device was away; power then is a guess). */
    public static final long MAX_GAP_MILLIS = 3_600_000L;

    private final CopSources sources;
    private final double heatPowerKw;
    private final double electricPowerKw;
    private final double heatEnergyKwh;
    private final double electricEnergyKwh;
    private final ZoneId zone;

    private long lastTime = Long.MIN_VALUE;
    private Double lastHeatPower;
    private Double lastElectricPower;
    private Double lastHeatEnergy;
    private Double lastElectricEnergy;
    private LocalDate day;
    private YearMonth month;
    private double dayHeat;
    private double dayElectric;
    private double monthHeat;
    private double monthElectric;
    private Double intervalCop;

    /**
     * @param definitions the device's sensors by id (for units)
     * @param zone        where days and months begin
     */
    public CopCalculator(CopSources sources, Map<String, SensorDefinition> definitions, ZoneId zone) {
        this.sources = sources;
        this.heatPowerKw = powerFactor(unit(definitions, sources.heatPower()));
        this.electricPowerKw = powerFactor(unit(definitions, sources.electricPower()));
        this.heatEnergyKwh = energyFactor(unit(definitions, sources.heatEnergy()));
        this.electricEnergyKwh = energyFactor(unit(definitions, sources.electricEnergy()));
        this.zone = zone;
    }

    private static String unit(Map<String, SensorDefinition> defs, String id) {
        SensorDefinition d = id == null ? null : defs.get(id);
        return d == null ? "" : d.unit().trim().toLowerCase(Locale.ROOT);
    }

    static double powerFactor(String unit) {
        return switch (unit) {
            case "w" -> 0.001;
            case "mw" -> 1000; // lower-cased MW; nobody reports milliwatts
            default -> 1; // kW
        };
    }

    static double energyFactor(String unit) {
        return switch (unit) {
            case "wh" -> 0.001;
            case "mwh" -> 1000;
            default -> 1; // kWh
        };
    }

    /** The snapshot with the derived readings added (those that can be computed yet). */
    public synchronized DeviceSnapshot enrich(DeviceSnapshot snapshot) {
        Instant at = snapshot.time();
        long t = at.toEpochMilli();
        Double heatPower = value(snapshot, sources.heatPower(), heatPowerKw);
        Double electricPower = value(snapshot, sources.electricPower(), electricPowerKw);
        Double heatEnergy = value(snapshot, sources.heatEnergy(), heatEnergyKwh);
        Double electricEnergy = value(snapshot, sources.electricEnergy(), electricEnergyKwh);

        LocalDate today = LocalDate.ofInstant(at, zone);
        if (!today.equals(day)) {
            day = today;
            dayHeat = 0;
            dayElectric = 0;
        }
        YearMonth thisMonth = YearMonth.from(today);
        if (!thisMonth.equals(month)) {
            month = thisMonth;
            monthHeat = 0;
            monthElectric = 0;
        }

        long dt = t - lastTime;
        if (lastTime != Long.MIN_VALUE && dt > 0 && dt <= MAX_GAP_MILLIS) {
            double hours = dt / 3_600_000.0;
            Double heat = delta(sources.heatEnergy(), lastHeatEnergy, heatEnergy, lastHeatPower, heatPower, hours);
            Double electric = delta(sources.electricEnergy(), lastElectricEnergy, electricEnergy, lastElectricPower,
                    electricPower, hours);
            if (heat != null && electric != null) {
                dayHeat += heat;
                dayElectric += electric;
                monthHeat += heat;
                monthElectric += electric;
                intervalCop = electric > 0 ? heat / electric : null;
            } else {
                intervalCop = null;
            }
        }
        if (dt > 0 || lastTime == Long.MIN_VALUE) {
            lastTime = t;
            lastHeatPower = heatPower;
            lastElectricPower = electricPower;
            lastHeatEnergy = heatEnergy;
            lastElectricEnergy = electricEnergy;
        }

        Map<String, SensorReading> out = new LinkedHashMap<>(snapshot.readings());
        Double live;
        if (sources.heatPower() != null && sources.electricPower() != null) {
            live = heatPower != null && electricPower != null && electricPower > 0 ? heatPower / electricPower : null;
        } else {
            live = intervalCop; // no power on one side: the last interval's energy ratio is the best "now"
        }
        put(out, LIVE, live, at);
        put(out, DAY, dayElectric > 0 ? dayHeat / dayElectric : null, at);
        put(out, MONTH, monthElectric > 0 ? monthHeat / monthElectric : null, at);
        return new DeviceSnapshot(snapshot.heatpumpId(), snapshot.manufacturer(), snapshot.model(), at, out);
    }

    /**
     * Whether a poll at {@code at} begins another calendar day than the sums are counting: they are then the
     * finished day's total, which the manager saves before {@link #enrich} starts the new day from zero.
     */
    public synchronized boolean startsNewDay(Instant at) {
        return day != null && !LocalDate.ofInstant(at, zone).equals(day);
    }

    /** The sums and the last poll's values (kW and kWh), for the store. */
    public synchronized CopTotals totals(String heatpumpId) {
        return new CopTotals(heatpumpId, day, dayHeat, dayElectric, month, monthHeat, monthElectric,
                lastTime == Long.MIN_VALUE ? null : Instant.ofEpochMilli(lastTime), lastHeatPower, lastElectricPower,
                lastHeatEnergy, lastElectricEnergy);
    }

    /** Goes on from saved totals (before the first snapshot); a day or month that has passed meanwhile resets. */
    public synchronized void restore(CopTotals saved) {
        if (saved.day() == null || saved.month() == null) {
            return;
        }
        day = saved.day();
        dayHeat = finiteOrZero(saved.dayHeatKwh());
        dayElectric = finiteOrZero(saved.dayElectricKwh());
        month = saved.month();
        monthHeat = finiteOrZero(saved.monthHeatKwh());
        monthElectric = finiteOrZero(saved.monthElectricKwh());
        if (saved.lastPoll() != null) {
            lastTime = saved.lastPoll().toEpochMilli();
            lastHeatPower = saved.lastHeatPowerKw();
            lastElectricPower = saved.lastElectricPowerKw();
            lastHeatEnergy = saved.lastHeatEnergyKwh();
            lastElectricEnergy = saved.lastElectricEnergyKwh();
        }
    }

    private static double finiteOrZero(double v) {
        return Double.isFinite(v) && v >= 0 ? v : 0;
    }

    private static Double delta(String counterId, Double lastCounter, Double counter, Double lastPower, Double power,
                                double hours) {
        if (counterId != null) {
            if (lastCounter == null || counter == null || counter < lastCounter) {
                return null;
            }
            return counter - lastCounter;
        }
        if (lastPower == null || power == null) {
            return null;
        }
        return (Math.max(0, lastPower) + Math.max(0, power)) / 2 * hours;
    }

    private static Double value(DeviceSnapshot s, String id, double factor) {
        if (id == null) {
            return null;
        }
        SensorReading r = s.reading(id);
        return r != null && r.good() && r.value() != null && Double.isFinite(r.value()) ? r.value() * factor : null;
    }

    private static void put(Map<String, SensorReading> out, String id, Double v, Instant at) {
        if (v != null && Double.isFinite(v)) {
            out.put(id, SensorReading.good(id, v, null, at));
        }
    }
}
