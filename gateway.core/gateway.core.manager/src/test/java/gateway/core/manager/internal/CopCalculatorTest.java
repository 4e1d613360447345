package gateway.core.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import gateway.core.api.CopSources;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DataType;
import gateway.core.api.AccessMode;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

class CopCalculatorTest {

    static final Instant DAY = Instant.parse("2026-03-31T00:00:00Z");
    static final Duration STEP = Duration.ofMinutes(15);

    static Map<String, SensorDefinition> defs(String... idUnit) {
        Map<String, SensorDefinition> m = new LinkedHashMap<>();
        for (int i = 0; i < idUnit.length; i += 2) {
            m.put(idUnit[i], SensorDefinition.builder(idUnit[i]).name("Display " + idUnit[i]).category(SensorCategory.ENERGY)
                    .unit(idUnit[i + 1]).type(DataType.FLOAT32).access(AccessMode.READ_ONLY).kind(RegisterKind.INPUT).build());
        }
        return m;
    }

    static DeviceSnapshot snap(Instant t, Object... idValue) {
        Map<String, SensorReading> r = new LinkedHashMap<>();
        for (int i = 0; i < idValue.length; i += 2) {
            String id = (String) idValue[i];
            r.put(id, idValue[i + 1] == null ? SensorReading.invalid(id, "sentinel", t)
                    : SensorReading.good(id, ((Number) idValue[i + 1]).doubleValue(), null, t));
        }
        return new DeviceSnapshot("hp-1", "nibe", "s1155", t, r);
    }

    static Double value(DeviceSnapshot s, String id) {
        SensorReading r = s.reading(id);
        return r == null ? null : r.value();
    }

    /**
     * A day of counters every 15 minutes, 00:00 to 23:45 (95 intervals): the first 48 intervals deliver 1.0 kWh of
     * heat for 0.25 kWh of electricity (COP 4), the other 47 deliver 0.6 kWh for 0.2 kWh (COP 3). By hand: heat
     * 48 × 1.0 + 47 × 0.6 = 76.2 kWh, electricity 48 × 0.25 + 47 × 0.2 = 21.4 kWh, COP 76.2 / 21.4 = 3.5607.
     * (The mean of the interval ratios would be 3.505: the wrong answer.)
     */
    @Test
    void dayCopIsTheRatioOfEnergySumsNotTheMeanOfRatios() {
        CopCalculator cop = new CopCalculator(new CopSources(null, null, "heat_kwh", "elec_kwh"),
                defs("heat_kwh", "kWh", "elec_kwh", "kWh"), ZoneOffset.UTC);
        double heat = 1000;
        double elec = 300;
        DeviceSnapshot out = null;
        for (int i = 0; i < 96; i++) {
            if (i > 0) {
                heat += i <= 48 ? 1.0 : 0.6;
                elec += i <= 48 ? 0.25 : 0.2;
            }
            out = cop.enrich(snap(DAY.plus(STEP.multipliedBy(i)), "heat_kwh", heat, "elec_kwh", elec));
        }
        assertEquals(76.2 / 21.4, value(out, CopCalculator.DAY), 1e-9);
        assertEquals(3.5607, value(out, CopCalculator.DAY), 1e-4);
        assertEquals(76.2 / 21.4, value(out, CopCalculator.MONTH), 1e-9);
        assertEquals(3.0, value(out, CopCalculator.LIVE), 1e-9, "no power sensors: the last interval's ratio");

        // the day's total is still there to save until the first poll of the next day
        assertEquals(false, cop.startsNewDay(DAY.plus(Duration.ofHours(23).plusMinutes(59))));
        assertEquals(true, cop.startsNewDay(DAY.plus(Duration.ofDays(1))));
        assertEquals(76.2, cop.totals("hp-1").dayHeatKwh(), 1e-9);
        assertEquals(21.4, cop.totals("hp-1").dayElectricKwh(), 1e-9);

        // midnight: the interval 23:45 -> 00:00 belongs to the new day (and, 1 April, to a new month)
        out = cop.enrich(snap(DAY.plus(Duration.ofDays(1)), "heat_kwh", heat + 0.9, "elec_kwh", elec + 0.2));
        assertEquals(4.5, value(out, CopCalculator.DAY), 1e-9);
        assertEquals(4.5, value(out, CopCalculator.MONTH), 1e-9);
        assertEquals(false, cop.startsNewDay(DAY.plus(Duration.ofDays(1))));
    }

    /**
     * IDM style: heat from an energy counter, electricity by integrating power (given in W here). 2000 W for four
     * polls 15 minutes apart = 3 intervals × 0.25 h × 2 kW = 1.5 kWh; the heat counter rises 6 kWh: COP 4.
     */
    @Test
    void integratesPowerWhereThereIsNoCounterAndConvertsUnits() {
        CopCalculator cop = new CopCalculator(new CopSources("heat_kw", "elec_w", "heat_kwh", null),
                defs("heat_kw", "kW", "elec_w", "W", "heat_kwh", "kWh"), ZoneOffset.UTC);
        DeviceSnapshot out = null;
        for (int i = 0; i < 4; i++) {
            out = cop.enrich(snap(DAY.plus(STEP.multipliedBy(i)), "heat_kw", 8.4, "elec_w", 2000,
                    "heat_kwh", 500 + 2.0 * i));
        }
        assertEquals(4.0, value(out, CopCalculator.DAY), 1e-9);
        assertEquals(4.2, value(out, CopCalculator.LIVE), 1e-9, "live: 8.4 kW / 2.0 kW");
    }

    /** A counter reset and a value missing in one poll skip their intervals on both sides. */
    @Test
    void skipsIntervalsWithAResetCounterOrAMissingValue() {
        CopCalculator cop = new CopCalculator(new CopSources(null, null, "heat_kwh", "elec_kwh"),
                defs("heat_kwh", "kWh", "elec_kwh", "kWh"), ZoneOffset.UTC);
        cop.enrich(snap(DAY, "heat_kwh", 100, "elec_kwh", 50));
        cop.enrich(snap(DAY.plus(STEP), "heat_kwh", 104, "elec_kwh", 51)); // counts: 4 / 1
        cop.enrich(snap(DAY.plus(STEP.multipliedBy(2)), "heat_kwh", 1, "elec_kwh", 52)); // heat meter reset
        cop.enrich(snap(DAY.plus(STEP.multipliedBy(3)), "heat_kwh", 3, "elec_kwh", null)); // electricity invalid
        cop.enrich(snap(DAY.plus(STEP.multipliedBy(4)), "heat_kwh", 5, "elec_kwh", 53)); // no previous electricity
        DeviceSnapshot out = cop.enrich(snap(DAY.plus(STEP.multipliedBy(5)), "heat_kwh", 8, "elec_kwh", 54));
        // counted: 4/1 and 3/1
        assertEquals(7.0 / 2.0, value(out, CopCalculator.DAY), 1e-9);
    }

    @Test
    void noCopBeforeAnyElectricityWasUsed() {
        CopCalculator cop = new CopCalculator(new CopSources("heat_kw", "elec_kw", null, null),
                defs("heat_kw", "kW", "elec_kw", "kW"), ZoneOffset.UTC);
        DeviceSnapshot out = cop.enrich(snap(DAY, "heat_kw", 0, "elec_kw", 0));
        assertNull(out.reading(CopCalculator.LIVE));
        assertNull(out.reading(CopCalculator.DAY));
        out = cop.enrich(snap(DAY.plus(Duration.ofHours(2)), "heat_kw", 5, "elec_kw", 1));
        assertNull(out.reading(CopCalculator.DAY), "a gap over an hour is not integrated");
        assertEquals(5.0, value(out, CopCalculator.LIVE), 1e-9);
    }
}
