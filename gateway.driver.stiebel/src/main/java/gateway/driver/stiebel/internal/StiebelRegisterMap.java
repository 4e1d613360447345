package gateway.driver.stiebel.internal;

import static gateway.core.api.SensorCategory.ALARM;
import static gateway.core.api.SensorCategory.CONTROL;
import static gateway.core.api.SensorCategory.COUNTER;
import static gateway.core.api.SensorCategory.ENERGY;
import static gateway.core.api.SensorCategory.FLOW;
import static gateway.core.api.SensorCategory.FREQUENCY;
import static gateway.core.api.SensorCategory.INFO;
import static gateway.core.api.SensorCategory.MODE;
import static gateway.core.api.SensorCategory.POWER;
import static gateway.core.api.SensorCategory.PRESSURE;
import static gateway.core.api.SensorCategory.SETPOINT;
import static gateway.core.api.SensorCategory.STATUS;
import static gateway.core.api.SensorCategory.TEMPERATURE;
import static gateway.core.api.SensorCategory.TIME;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import gateway.core.api.AccessMode;
import gateway.core.api.DataType;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorFlag;

/**
 * The ISG register tables of both controller families (source: ../shared/reference/stiebel-eltron-isg.md, checked
 * against the pystiebeleltron transcription of the "ISG Modbus" manual).
 *
 * <p>Rows are written with the manual's 1-based numbers; the wire (PDU) address is number − 1 (manual §4.1/§5.1,
 * evcc templates). Values are input registers (FC04), parameters holding registers (FC03 read, FC06 write). Data type
 * codes: 2 = s16 × 0.1, 7 = s16 × 0.01, 6 and 8 = u16. Raw 0x8000 means "not available" for every type.
 *
 * <p>Totals the ISG splits into a kWh part (LOW, 0…999) and an MWh part (HI) are one sensor: HI × 1000 + LOW. The
 * writable rows are the fact sheet's allow-list (§8) with the manual's ranges; RESET and RESTART ISG are not offered.
 */
public final class StiebelRegisterMap {

    /** The ISG's "not available" raw value (pystiebeleltron {@code UNAVAILABLE = 0x8000}). */
    public static final int NOT_AVAILABLE = 0x8000;
    /** Fact sheet §8: ≤ 100 registers per request is the safe choice (the manual states no limit). */
    public static final int MAX_BLOCK = 100;
    /** Unused registers a request may span inside one block (they exist, so reading them costs only bytes). */
    public static final int MAX_GAP = 16;

    /** Device option: seconds between rewrites of a held SG Ready value. */
    public static final String OPTION_SG_READY_REFRESH = "sg_ready_refresh_seconds";
    /**
     * Written SG Ready inputs fall back after 30–60 s (pail23#539, Stiebel support): rewritten every 25 s, inside
     * the shortest reported fall-back. Installers who weigh write endurance higher can choose up to 300 s.
     */
    public static final int DEFAULT_SG_READY_REFRESH = 25;
    public static final int MIN_SG_READY_REFRESH = 10;
    public static final int MAX_SG_READY_REFRESH = 300;

    /** Manual 5002 "CONTROLLER IDENTIFICATION", read with FC04 at connect. */
    public static final int IDENTIFICATION_NUMBER = 5002;

    private StiebelRegisterMap() {
    }

    /** Wire (PDU) address of a manual register number. */
    public static int wire(int manualNumber) {
        return manualNumber - 1;
    }

    /** Every row of a model, SG Ready refreshed at the default period. */
    public static List<StiebelRegister> rows(StiebelModel model) {
        return rows(model, DEFAULT_SG_READY_REFRESH);
    }

    public static List<StiebelRegister> rows(StiebelModel model, int sgReadyRefreshSeconds) {
        Table t = new Table();
        if (model == StiebelModel.WPM) {
            wpm(t);
        } else {
            lwz(t);
        }
        sgReady(t, sgReadyRefreshSeconds);
        t.flush();
        return List.copyOf(t.rows);
    }

    /** Reads {@value #OPTION_SG_READY_REFRESH}; throws with a message a user can act on. */
    public static int sgReadyRefresh(Map<String, String> options) {
        String v = options.get(OPTION_SG_READY_REFRESH);
        if (v == null || v.isBlank()) {
            return DEFAULT_SG_READY_REFRESH;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(OPTION_SG_READY_REFRESH + " '" + v + "' is not a whole number", e);
        }
        if (n < MIN_SG_READY_REFRESH || n > MAX_SG_READY_REFRESH) {
            throw new IllegalArgumentException(OPTION_SG_READY_REFRESH + " must be " + MIN_SG_READY_REFRESH + ".."
                    + MAX_SG_READY_REFRESH + " seconds, was " + n);
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // WPM 3 / WPM 3i / WPMsystem (fact sheet §5)

    private static void wpm(Table t) {
        t.block(StiebelBlock.WPM_VALUES);
        t.value(507, "temp_outdoor", "Outside temperature", 2, "°C", TEMPERATURE);
        t.value(508, "temp_circuit_1", "Actual temperature heating circuit 1", 2, "°C", TEMPERATURE).circuit("1");
        // pystiebeleltron e2b5749: a WPM 3i leaves 509 unavailable and answers the HK 1 setpoint on 510, like the others
        t.value(510, "temp_circuit_1_setpoint", "Set temperature heating circuit 1", 2, "°C", TEMPERATURE).circuit("1");
        t.value(511, "temp_circuit_2", "Actual temperature heating circuit 2", 2, "°C", TEMPERATURE).circuit("2");
        t.value(512, "temp_circuit_2_setpoint", "Set temperature heating circuit 2", 2, "°C", TEMPERATURE).circuit("2");
        t.value(513, "temp_flow_heat_pump", "Flow temperature heat pump (WP)", 2, "°C", TEMPERATURE)
                .description("only with the MFG flow sensor fitted");
        t.value(514, "temp_flow_booster", "Flow temperature electric booster (NHZ)", 2, "°C", TEMPERATURE)
                .description("only with the MFG flow sensor fitted");
        t.value(515, "temp_flow", "Actual flow temperature", 2, "°C", TEMPERATURE);
        t.value(516, "temp_return", "Actual return temperature", 2, "°C", TEMPERATURE);
        t.value(517, "temp_fixed_setpoint", "Set fixed temperature", 2, "°C", TEMPERATURE);
        t.value(518, "temp_buffer", "Actual buffer temperature", 2, "°C", TEMPERATURE);
        t.value(519, "temp_buffer_setpoint", "Set buffer temperature", 2, "°C", TEMPERATURE);
        t.value(520, "pressure_heating", "Heating pressure", 7, "bar", PRESSURE);
        t.value(521, "flow_rate", "Flow rate", 7, "l/min", FLOW);
        t.value(522, "temp_hot_water", "Actual temperature DHW", 2, "°C", TEMPERATURE);
        t.value(523, "temp_hot_water_setpoint", "Set temperature DHW (effective)", 2, "°C", TEMPERATURE);
        t.value(536, "temp_source", "Source temperature", 2, "°C", TEMPERATURE)
                .description("WPE-I 06 reports nothing here (pail23#184)");
        t.value(538, "pressure_source", "Source pressure", 7, "bar", PRESSURE);

        t.block(StiebelBlock.WPM_3I_REFRIGERANT);
        t.value(539, "temp_hot_gas", "Hot gas temperature", 2, "°C", TEMPERATURE);
        // type 2 here, unlike the per-unit pressures (fact sheet §5.1)
        t.value(540, "pressure_high", "High pressure", 2, "bar", PRESSURE);
        t.value(541, "pressure_low", "Low pressure", 2, "bar", PRESSURE);

        t.block(StiebelBlock.WPM_HP1);
        t.value(542, "hp1_temp_return", "Return temperature heat pump 1", 2, "°C", TEMPERATURE);
        t.value(543, "hp1_temp_flow", "Flow temperature heat pump 1", 2, "°C", TEMPERATURE);
        t.value(544, "hp1_temp_hot_gas", "Hot gas temperature heat pump 1", 2, "°C", TEMPERATURE);
        t.value(545, "hp1_pressure_low", "Low pressure heat pump 1", 7, "bar", PRESSURE);
        t.value(546, "hp1_pressure_mean", "Mean pressure heat pump 1", 7, "bar", PRESSURE);
        t.value(547, "hp1_pressure_high", "High pressure heat pump 1", 7, "bar", PRESSURE);
        t.value(548, "hp1_flow_rate", "Water flow rate heat pump 1", 2, "l/min", FLOW);

        t.block(StiebelBlock.WPM_STATE);
        t.status(2501, "operating_status", "Operating status", DataType.BITFIELD, STATUS).enumValues(bits(
                0, "HC1 pump", 1, "HC2 pump", 2, "heat-up program", 3, "booster (NHZ) running", 4, "heating",
                5, "hot water", 6, "compressor running", 7, "summer mode", 8, "cooling", 9, "defrost"));
        t.status(2502, "utility_lock", "Power off (utility lock, EVU)", DataType.ENUM, STATUS)
                .enumValues(enums(0, "released", 1, "locked"));
        t.status(2503, "operating_status_wpm3", "Operating status (WPM 3)", DataType.UINT16, STATUS)
                .flag(SensorFlag.ADVANCED).servedBy(StiebelController.WPM_3);
        t.status(2504, "fault_status", "Fault status", DataType.ENUM, ALARM).enumValues(enums(0, "no fault", 1, "fault"));
        // code 6 (unsigned) with a manual range of −4…0: decoded signed so a bus fault reads −4, not 65532 (inferred)
        t.status(2505, "bus_status", "CAN bus status", DataType.INT16, STATUS)
                .description("0 = ok, negative = bus fault; the manual types it unsigned, decoded signed");
        t.status(2506, "defrost_initiated", "Defrost initiated", DataType.ENUM, STATUS)
                .enumValues(enums(0, "no", 1, "yes")).servedBy(StiebelController.WPM_3, StiebelController.WPM_SYSTEM);
        t.status(2507, "active_error", "Active error (fault number)", DataType.UINT16, ALARM)
                .description("0 = no error");

        t.block(StiebelBlock.WPM_ENERGY);
        t.value(3501, "energy_heating_day", "Heat produced for heating, today", 6, "kWh", ENERGY);
        t.total("energy_heating_total", "Heat produced for heating, total", 3502, 3503);
        t.value(3504, "energy_hot_water_day", "Heat produced for hot water, today", 6, "kWh", ENERGY);
        t.total("energy_hot_water_total", "Heat produced for hot water, total", 3505, 3506);
        t.total("energy_booster_heating_total", "Booster (NHZ) heat for heating, total", 3507, 3508);
        t.total("energy_booster_hot_water_total", "Booster (NHZ) heat for hot water, total", 3509, 3510);
        t.value(3511, "energy_heating_consumed_day", "Electricity used for heating, today", 6, "kWh", ENERGY);
        t.total("energy_heating_consumed_total", "Electricity used for heating, total", 3512, 3513);
        t.value(3514, "energy_hot_water_consumed_day", "Electricity used for hot water, today", 6, "kWh", ENERGY);
        t.total("energy_hot_water_consumed_total", "Electricity used for hot water, total", 3515, 3516);
        t.total("energy_produced_total", "Heat produced by the compressor, total (heating + hot water)",
                3502, 3503, 3505, 3506);
        t.total("energy_consumed_total", "Electricity used by the compressor, total (heating + hot water)",
                3512, 3513, 3515, 3516);

        t.block(StiebelBlock.WPM_RUNTIMES);
        t.value(3517, "runtime_compressor_heating", "Compressor runtime heating", 6, "h", TIME);
        t.value(3518, "runtime_compressor_hot_water", "Compressor runtime hot water", 6, "h", TIME);
        t.value(3519, "runtime_compressor_cooling", "Compressor runtime cooling", 6, "h", TIME);
        t.value(3520, "runtime_booster_1", "Booster stage 1 runtime", 6, "h", TIME);
        t.value(3521, "runtime_booster_2", "Booster stage 2 runtime", 6, "h", TIME);
        t.value(3522, "runtime_booster_1_2", "Booster stages 1+2 runtime", 6, "h", TIME);

        t.block(StiebelBlock.WPM_INVERTER_POWER);
        // the WPM chapter says one decimal (type 2); only the ventilation-unit chapter lists two (fact sheet §11)
        t.value(3680, "power_inverter", "Inverter power (electric input, IWS 1)", 2, "kW", POWER);

        t.block(StiebelBlock.WPM_PARAMETERS);
        t.parameter(1501, "operating_mode", "Operating mode", 8, "", MODE, 0, 5, true).enumValues(enums(
                0, "emergency", 1, "standby", 2, "program (automatic)", 3, "comfort", 4, "eco", 5, "hot water"));
        t.parameter(1502, "comfort_temp_circuit_1", "Comfort room temperature heating circuit 1", 2, "°C", SETPOINT, 5, 30, true).circuit("1");
        t.parameter(1503, "eco_temp_circuit_1", "Eco room temperature heating circuit 1", 2, "°C", SETPOINT, 5, 30, true).circuit("1");
        t.parameter(1504, "heating_curve_circuit_1", "Heating curve rise heating circuit 1", 7, "", CONTROL, 0, 3, false).circuit("1");
        t.parameter(1505, "comfort_temp_circuit_2", "Comfort room temperature heating circuit 2", 2, "°C", SETPOINT, 5, 30, true).circuit("2");
        t.parameter(1506, "eco_temp_circuit_2", "Eco room temperature heating circuit 2", 2, "°C", SETPOINT, 5, 30, true).circuit("2");
        t.parameter(1507, "heating_curve_circuit_2", "Heating curve rise heating circuit 2", 7, "", CONTROL, 0, 3, false).circuit("2");
        t.parameter(1508, "fixed_value_temp", "Fixed value operation", 2, "°C", SETPOINT, 20, 70, false);
        t.parameter(1510, "hot_water_comfort_temp", "Comfort temperature DHW", 2, "°C", SETPOINT, 10, 60, true);
        t.parameter(1511, "hot_water_eco_temp", "Eco temperature DHW", 2, "°C", SETPOINT, 10, 60, true);
        t.parameter(1512, "hot_water_stages", "DHW stages", 8, "", CONTROL, 0, 6, false);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // LWZ / LWA integral units (fact sheet §6)

    private static void lwz(Table t) {
        t.block(StiebelBlock.LWZ_VALUES);
        t.value(1, "temp_room_circuit_1", "Actual room temperature heating circuit 1", 2, "°C", TEMPERATURE).circuit("1");
        t.value(2, "temp_room_setpoint_circuit_1", "Set room temperature heating circuit 1", 2, "°C", TEMPERATURE).circuit("1");
        t.value(7, "temp_outdoor", "Outside temperature", 2, "°C", TEMPERATURE);
        t.value(8, "temp_circuit_1", "Actual value heating circuit 1", 2, "°C", TEMPERATURE).circuit("1");
        t.value(9, "temp_circuit_1_setpoint", "Set value heating circuit 1", 2, "°C", TEMPERATURE).circuit("1");
        t.value(12, "temp_flow", "Flow temperature", 2, "°C", TEMPERATURE);
        t.value(13, "temp_return", "Return temperature", 2, "°C", TEMPERATURE);
        t.value(14, "pressure_heating", "Pressure heating circuit", 2, "bar", PRESSURE)
                .description("LWZ 304/404/504/Trend only");
        t.value(15, "flow_rate", "Flow rate", 2, "l/min", FLOW).description("LWZ 304/404/504/Trend only");
        t.value(16, "temp_hot_water", "Actual DHW temperature", 2, "°C", TEMPERATURE);
        t.value(17, "temp_hot_water_setpoint", "DHW set temperature", 2, "°C", TEMPERATURE);
        t.value(18, "fan_speed_supply", "Ventilation air fan speed", 6, "Hz", FREQUENCY);
        t.value(20, "fan_speed_extract", "Extract air fan speed", 6, "Hz", FREQUENCY);
        t.value(28, "temp_hot_gas", "Hot gas temperature", 2, "°C", TEMPERATURE);
        t.value(29, "pressure_high", "High pressure", 7, "bar", PRESSURE);
        t.value(30, "pressure_low", "Low pressure", 7, "bar", PRESSURE);
        t.value(32, "compressor_speed", "Compressor speed", 2, "Hz", FREQUENCY).description("LWZ 504 only");
        // lwz.py compressor_starts: HI on 31, LOW on 34
        t.sum("compressor_starts", "Compressor starts", "", COUNTER, 34, 1, 31, 1000);

        t.block(StiebelBlock.LWZ_STATE);
        t.status(2001, "operating_status", "Operating status", DataType.BITFIELD, STATUS).enumValues(bits(
                0, "switching program", 1, "compressor", 2, "heating", 3, "cooling", 4, "hot water",
                5, "electric reheating", 6, "service", 7, "power off (EVU)", 8, "filter", 9, "ventilation",
                10, "HC1 pump", 11, "defrost", 12, "filter extract air", 13, "filter supply air", 14, "heat-up program"));
        t.status(2002, "fault_status", "Fault status", DataType.ENUM, ALARM).enumValues(enums(0, "no fault", 1, "fault"));
        t.status(2003, "bus_status", "CAN bus status", DataType.INT16, STATUS)
                .description("0 = ok, negative = bus fault; the manual types it unsigned, decoded signed");
        t.status(2004, "defrost_initiated", "Defrost initiated", DataType.ENUM, STATUS).enumValues(enums(0, "no", 1, "yes"));
        t.status(2005, "operating_status_2", "Operating status 2", DataType.UINT16, STATUS).flag(SensorFlag.ADVANCED);

        t.block(StiebelBlock.LWZ_ENERGY);
        t.value(3001, "energy_heating_day", "Heat produced for heating, today", 6, "kWh", ENERGY);
        t.total("energy_heating_total", "Heat produced for heating, total", 3002, 3003);
        t.value(3004, "energy_hot_water_day", "Heat produced for hot water, today", 6, "kWh", ENERGY);
        t.total("energy_hot_water_total", "Heat produced for hot water, total", 3005, 3006);
        t.total("energy_booster_heating_total", "Booster heat for heating, total", 3007, 3008);
        t.total("energy_booster_hot_water_total", "Booster heat for hot water, total", 3009, 3010);
        t.value(3022, "energy_heating_consumed_day", "Electricity used for heating, today", 6, "kWh", ENERGY);
        t.total("energy_heating_consumed_total", "Electricity used for heating, total", 3023, 3024);
        t.value(3025, "energy_hot_water_consumed_day", "Electricity used for hot water, today", 6, "kWh", ENERGY);
        t.total("energy_hot_water_consumed_total", "Electricity used for hot water, total", 3026, 3027);
        t.total("energy_produced_total", "Heat produced by the compressor, total (heating + hot water)",
                3002, 3003, 3005, 3006);
        t.total("energy_consumed_total", "Electricity used by the compressor, total (heating + hot water)",
                3023, 3024, 3026, 3027);
        t.value(3028, "runtime_compressor_heating", "Compressor runtime heating", 6, "h", TIME);
        t.value(3030, "runtime_compressor_hot_water", "Compressor runtime hot water", 6, "h", TIME);
        t.value(3031, "runtime_booster_heating", "Electric booster runtime heating", 6, "h", TIME);
        t.value(3032, "runtime_booster_hot_water", "Electric booster runtime hot water", 6, "h", TIME);

        t.block(StiebelBlock.LWZ_PARAMETERS);
        t.parameter(1001, "operating_mode", "Operating mode", 8, "", MODE, 0, 14, true).enumValues(enums(
                0, "emergency", 1, "standby", 3, "day (comfort)", 4, "setback (eco)", 5, "hot water", 11, "automatic",
                14, "manual"));
        t.parameter(1002, "room_temp_day_circuit_1", "Room temperature day heating circuit 1", 2, "°C", SETPOINT, 10, 30, true).circuit("1");
        t.parameter(1003, "room_temp_night_circuit_1", "Room temperature night heating circuit 1", 2, "°C", SETPOINT, 10, 30, true).circuit("1");
        t.parameter(1008, "heating_curve_circuit_1", "Heating curve gradient heating circuit 1", 7, "", CONTROL, 0, 5, false).circuit("1");
        t.parameter(1009, "heating_curve_low_end_circuit_1", "Heating curve low end heating circuit 1", 2, "°C", CONTROL, 0, 20, false).circuit("1");
        // the manual says 55 °C without naming a model; 65 only for LWZ 5S Plus/5S Smart/INV, which this map is not for
        t.parameter(1012, "hot_water_temp_day", "DHW set temperature day", 2, "°C", SETPOINT, 10, 55, true);
        t.parameter(1013, "hot_water_temp_night", "DHW set temperature night", 2, "°C", SETPOINT, 10, 55, true);
        t.parameter(1014, "hot_water_temp_manual", "DHW set temperature manual", 2, "°C", SETPOINT, 10, 55, true);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Both families (fact sheet §5.6, §4)

    private static void sgReady(Table t, int refreshSeconds) {
        t.block(StiebelBlock.SG_READY);
        String why = "the ISG forwards it and forgets it after 30–60 s: held values are rewritten every "
                + refreshSeconds + " s";
        t.control(4001, "sg_ready_enabled", "SG Ready on/off", refreshSeconds, why);
        t.control(4002, "sg_ready_input_1", "SG Ready input 1", refreshSeconds, why);
        t.control(4003, "sg_ready_input_2", "SG Ready input 2", refreshSeconds, why);

        t.block(StiebelBlock.SYSTEM_INFO);
        // evcc's reading of the four states
        t.status(5001, "sg_ready_state", "SG Ready operating state", DataType.ENUM, MODE).enumValues(enums(
                1, "blocked (frost protection)", 2, "normal", 3, "forced (boost)", 4, "maximum"));
        t.status(IDENTIFICATION_NUMBER, "controller_id", "Controller identification", DataType.ENUM, INFO)
                .enumValues(controllerLabels());
    }

    private static Map<Integer, String> controllerLabels() {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (StiebelController c : StiebelController.values()) {
            m.put(c.id(), c.displayName());
        }
        return m;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Table building

    /** Builds rows block by block; each call returns a row builder that adds itself on the next call or at the end. */
    private static final class Table {
        final List<StiebelRegister> rows = new ArrayList<>();
        private StiebelBlock block;
        private Row pending;

        void block(StiebelBlock b) {
            flush();
            block = b;
        }

        /** A read-only value: input register with the manual's type code. */
        Row value(int number, String id, String name, int typeCode, String unit, SensorCategory category) {
            return row(register(id, name, number, typeCode, unit, category, block.kind()));
        }

        /** A status/enum value: u16 (or the given type) read as is. */
        Row status(int number, String id, String name, DataType type, SensorCategory category) {
            return row(SensorDefinition.builder(id).name(name).kind(block.kind()).address(wire(number)).type(type)
                    .scale(1).category(category).access(AccessMode.READ_ONLY).invalid(NOT_AVAILABLE));
        }

        /**
         * A parameter (holding register). Writable ones are pass-through in the ISG (§8) but the pump's own storage
         * is said to endure about 10⁶ writes: written only on change ({@link SensorFlag#EEPROM}), never cyclically.
         */
        Row parameter(int number, String id, String name, int typeCode, String unit, SensorCategory category,
                      Number min, Number max, boolean writable) {
            SensorDefinition.Builder b = register(id, name, number, typeCode, unit, category, RegisterKind.HOLDING);
            if (writable) {
                b.access(AccessMode.READ_WRITE).range(min, max).step(scale(typeCode)).flag(SensorFlag.EEPROM);
            }
            Row r = row(b);
            if (typeCode == 8) {
                b.type(DataType.ENUM);
            }
            return r;
        }

        /**
         * An SG Ready switch (type 6, 0/1): not a stored setting but a signal the ISG forgets, so it is held and
         * rewritten ({@link SensorFlag#REFRESH_REQUIRED}) rather than written only on change.
         */
        void control(int number, String id, String name, int refreshSeconds, String description) {
            row(SensorDefinition.builder(id).name(name).kind(RegisterKind.HOLDING).address(wire(number))
                    .type(DataType.ENUM).enumValues(enums(0, "off", 1, "on")).category(CONTROL)
                    .access(AccessMode.READ_WRITE).range(0, 1).step(1.0).refreshSeconds(refreshSeconds)
                    .invalid(NOT_AVAILABLE).description(description));
        }

        /** A total split into kWh (LOW, 0…999) and MWh (HI) registers, pairs of manual numbers. */
        void total(String id, String name, int... lowHighPairs) {
            long[] terms = new long[lowHighPairs.length * 2];
            for (int i = 0; i < lowHighPairs.length; i++) {
                terms[2 * i] = lowHighPairs[i];
                terms[2 * i + 1] = i % 2 == 0 ? 1 : 1000;
            }
            sum(id, name, "kWh", ENERGY, terms);
        }

        /** A value summed from registers: pairs of (manual number, multiplier). */
        void sum(String id, String name, String unit, SensorCategory category, long... numberMultiplier) {
            flush();
            List<StiebelRegister.Term> terms = new ArrayList<>();
            for (int i = 0; i < numberMultiplier.length; i += 2) {
                int number = (int) numberMultiplier[i];
                SensorDefinition raw = SensorDefinition.builder(id + "@" + number).name(name + " (register " + number + ")")
                        .kind(block.kind()).address(wire(number)).type(DataType.UINT16).category(category)
                        .access(AccessMode.READ_ONLY).invalid(NOT_AVAILABLE).build();
                terms.add(new StiebelRegister.Term(raw, numberMultiplier[i + 1]));
            }
            StringBuilder how = new StringBuilder();
            for (StiebelRegister.Term term : terms) {
                how.append(how.length() == 0 ? "" : " + ").append(term.multiplier() == 1 ? "" : term.multiplier() + " × ")
                        .append(term.raw().address() + 1);
            }
            SensorDefinition sensor = SensorDefinition.builder(id).name(name).kind(block.kind())
                    .address(terms.get(0).raw().address()).type(DataType.UINT32).unit(unit).category(category)
                    .access(AccessMode.READ_ONLY)
                    .description("registers " + how + " (manual numbers); no value when any of them is unavailable"
                            + (category == ENERGY ? ". Whole kWh only; the ISG may update totals once a day" : ""))
                    .build();
            rows.add(new StiebelRegister(sensor, block, terms, Set.of()));
        }

        private SensorDefinition.Builder register(String id, String name, int number, int typeCode, String unit,
                                                  SensorCategory category, RegisterKind kind) {
            DataType type = switch (typeCode) {
                case 2, 7 -> DataType.INT16;
                case 6, 8 -> DataType.UINT16;
                default -> throw new IllegalArgumentException(id + ": unknown ISG data type " + typeCode);
            };
            return SensorDefinition.builder(id).name(name).kind(kind).address(wire(number)).type(type)
                    .scale(scale(typeCode)).unit(unit).category(category).access(AccessMode.READ_ONLY)
                    .invalid(NOT_AVAILABLE);
        }

        private static double scale(int typeCode) {
            return switch (typeCode) {
                case 2 -> 0.1;
                case 7 -> 0.01;
                default -> 1.0;
            };
        }

        private Row row(SensorDefinition.Builder b) {
            flush();
            pending = new Row(b, block);
            return pending;
        }

        void flush() {
            if (pending != null) {
                rows.add(pending.build());
                pending = null;
            }
        }
    }

    /** A row under construction. */
    private static final class Row {
        private final SensorDefinition.Builder b;
        private final StiebelBlock block;
        private Set<StiebelController> servedBy = Set.of();

        Row(SensorDefinition.Builder b, StiebelBlock block) {
            this.b = b;
            this.block = block;
        }

        Row circuit(String c) { b.circuit(c); return this; }
        Row description(String d) { b.description(d); return this; }
        Row enumValues(Map<Integer, String> v) { b.enumValues(v); return this; }
        Row flag(SensorFlag f) { b.flag(f); return this; }
        Row servedBy(StiebelController... c) { servedBy = Set.of(c); return this; }

        StiebelRegister build() {
            return new StiebelRegister(b.build(), block, List.of(), servedBy);
        }
    }

    private static Map<Integer, String> enums(Object... pairs) {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((Integer) pairs[i], (String) pairs[i + 1]);
        }
        return m;
    }

    /** Bit number → label, as BITFIELD labels keyed by the bit's value. */
    private static Map<Integer, String> bits(Object... pairs) {
        Map<Integer, String> m = new LinkedHashMap<>();
        m.put(0, "idle");
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(1 << (Integer) pairs[i], (String) pairs[i + 1]);
        }
        return m;
    }
}
