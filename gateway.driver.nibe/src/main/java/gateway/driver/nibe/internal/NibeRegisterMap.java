package gateway.driver.nibe.internal;

import static gateway.core.api.DataType.INT16;
import static gateway.core.api.DataType.INT32;
import static gateway.core.api.DataType.INT8;
import static gateway.core.api.DataType.UINT16;
import static gateway.core.api.DataType.UINT32;
import static gateway.core.api.DataType.UINT8;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import gateway.core.api.AccessMode;
import gateway.core.api.DataType;
import gateway.core.api.DeviceConfig;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorFlag;
import gateway.core.modbus.AddressRange;
import gateway.core.modbus.ModbusDeviceProfile;
import gateway.core.modbus.WordOrder;

/**
 * The built-in NIBE S-series register tables (source: ../shared/reference/nibe-s-series.md, addresses checked
 * against NIBE's own export). Addresses are raw PDU addresses; values are raw / division factor.
 *
 * <p>Sensor values are input registers (FC04), settings holding registers (FC03 read, FC16 write). Settings are
 * flagged {@link SensorFlag#EEPROM}: they persist in the controller, so the manager writes them only on change.
 */
public final class NibeRegisterMap {

    /** NIBE: "when reading multiple registers, the registers appear in reverse order" (low word first). */
    public static final WordOrder READ_WORD_ORDER = WordOrder.LOW_WORD_FIRST;
    /** yozik04/nibe#314: low-word-first 32-bit writes are acknowledged and silently discarded (unconfirmed). */
    public static final WordOrder WRITE_WORD_ORDER = WordOrder.HIGH_WORD_FIRST;
    /** Bulk reads are unverified on real pumps (HA reads one register per request): stay modest. */
    public static final int DEFAULT_MAX_BLOCK = 20;
    /** The register space has holes; a block across undefined registers may be refused, so do not bridge gaps. */
    public static final int DEFAULT_MAX_GAP = 0;

    public static final String OPTION_WORD_ORDER_READ = "word_order_read";
    public static final String OPTION_WORD_ORDER_WRITE = "word_order_write";
    public static final String OPTION_MAX_BLOCK = "max_block";
    public static final String OPTION_MAX_GAP = "max_gap";

    private NibeRegisterMap() {
    }

    /** The "not available" raw values of each NIBE size (the nibe library maps these to no value). */
    public static long[] sentinels(DataType type) {
        return switch (type) {
            // s8 is sign-extended into the register: 0xFF80 decodes to -128; an unextended 0x0080 reads as 128
            case INT8 -> new long[] {-128, 0x80};
            case UINT8 -> new long[] {0xFF, 0xFFFF};
            case INT16 -> new long[] {-32768};
            case UINT16 -> new long[] {0xFFFF};
            case INT32 -> new long[] {Integer.MIN_VALUE};
            case UINT32 -> new long[] {0xFFFFFFFFL};
            default -> new long[0];
        };
    }

    /** The built-in sensors of a model for the chosen climate systems (default: climate system 1). */
    public static List<SensorDefinition> builtIn(NibeModel model, DeviceConfig config) {
        List<String> systems = config.circuits().isEmpty() ? List.of("1") : config.circuits();
        List<SensorDefinition> out = new ArrayList<>();
        common(out);
        if (model.groundSource()) {
            groundSource(out);
        } else {
            outdoorUnit(out);
        }
        settings(out, model);
        for (String cs : systems) {
            if (model.climateSystems().contains(cs)) {
                climateSystem(out, Integer.parseInt(cs));
            }
        }
        return List.copyOf(out);
    }

    /** Input registers at the same address on S1155/S1255 and S2125. */
    private static void common(List<SensorDefinition> out) {
        out.add(in("temp_outdoor", "Outdoor temperature (BT1)", 1, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("temp_return", "Return line (BT3)", 7, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("temp_hot_water_top", "Hot water top (BT7)", 8, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("temp_hot_water_charging", "Hot water charging (BT6)", 9, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("temp_outdoor_average", "Average outdoor temperature (BT1)", 37, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("flow_bf1", "Flow sensor (BF1)", 40, INT16, 10, "l/min", SensorCategory.FLOW).build());
        out.add(in("current_be3", "Phase current BE3", 46, UINT32, 10, "A", SensorCategory.OTHER).build());
        out.add(in("runtime_add_heat", "Total run time additional heat", 1025, INT32, 10, "h", SensorCategory.TIME).build());
        out.add(in("power_add_heat_internal", "Power internal additional heat", 1027, INT16, 100, "kW", SensorCategory.POWER).build());
        out.add(in("priority", "Priority", 1028, UINT8, 1, "", SensorCategory.MODE)
                .enumValues(enums(10, "Off", 20, "Hot water", 30, "Heat", 40, "Pool", 60, "Cooling")).build());
        out.add(in("add_heat_mode", "Operating mode internal additional heat", 1029, UINT8, 1, "", SensorCategory.MODE)
                .description("enum meanings not in NIBE's export").build());
        out.add(in("runtime_add_heat_hot_water", "Total hot water run time additional heat", 1069, INT32, 10, "h", SensorCategory.TIME).build());
        out.add(in("more_hot_water_status", "More hot water status", 1078, UINT8, 1, "", SensorCategory.STATUS).build());
        out.add(in("pump_speed_gp1", "Heating medium pump speed (GP1)", 1102, UINT8, 1, "%", SensorCategory.PERCENT).build());
        out.add(in("sg_ready_mode", "Operating mode (SG Ready)", 1911, UINT8, 1, "", SensorCategory.MODE)
                .enumValues(enums(10, "Normal", 20, "High price", 30, "Low price", 40, "Free electricity")).build());
        out.add(in("smart_price_mode", "Operating mode (Smart Price Adaption)", 1918, UINT8, 1, "", SensorCategory.MODE).build());
        out.add(in("alarm_number", "Alarm number", 1975, INT16, 1, "", SensorCategory.ALARM)
                .description("0 = no alarm").build());
        out.add(in("alarm_class1", "Class 1 alarm", 2195, UINT8, 1, "", SensorCategory.ALARM)
                .enumValues(enums(0, "No alarm", 1, "Alarm")).build());
        out.add(in("energy_heating_produced_hour", "Produced energy for heating, past hour", 2283, UINT32, 100, "kWh", SensorCategory.ENERGY).build());
        out.add(in("energy_hot_water_produced_hour", "Produced energy for hot water, past hour", 2285, UINT32, 100, "kWh", SensorCategory.ENERGY).build());
        out.add(in("energy_heating_used_hour", "Used energy for heating, past hour", 2291, UINT32, 100, "kWh", SensorCategory.ENERGY).build());
        out.add(in("energy_hot_water_used_hour", "Used energy for hot water, past hour", 2293, UINT32, 100, "kWh", SensorCategory.ENERGY).build());
        // exported as "kWh"; a current consumption is a power, so kW (unit unconfirmed in the sheet)
        out.add(in("power_consumption", "Current power consumption (energy log)", 2305, UINT32, 100, "kW", SensorCategory.POWER)
                .description("NIBE exports the unit as kWh; it is most likely kW").build());
    }

    /** S1155/S1255: compressor module inside the indoor unit, brine circuit. */
    private static void groundSource(List<SensorDefinition> out) {
        out.add(in("temp_brine_in", "Brine in (BT10)", 10, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("temp_brine_out", "Brine out (BT11)", 11, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("temp_condenser", "Condenser (BT12)", 12, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("temp_discharge", "Discharge (BT14)", 13, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("temp_liquid_line", "Liquid line (BT15)", 14, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("temp_suction_gas", "Suction gas (BT17)", 16, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("temp_external_supply", "External supply line (BT25)", 39, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("current_be2", "Phase current BE2", 48, UINT32, 10, "A", SensorCategory.OTHER).build());
        out.add(in("current_be1", "Phase current BE1", 50, UINT32, 10, "A", SensorCategory.OTHER).build());
        out.add(in("compressor_freq_requested", "Requested compressor frequency", 140, UINT16, 1, "Hz", SensorCategory.FREQUENCY).build());
        out.add(in("energy_pulse_meter", "Pulse energy meter (BE6)", 398, UINT32, 100, "kWh", SensorCategory.ENERGY).build());
        out.add(in("power_heating_generated", "Generated power heating (EB101)", 406, UINT16, 10, "kW", SensorCategory.POWER).build());
        out.add(in("compressor_freq_current", "Compressor frequency, current", 1046, UINT16, 10, "Hz", SensorCategory.FREQUENCY).build());
        out.add(in("compressor_power_input", "Compressor power input", 1048, UINT16, 1, "W", SensorCategory.POWER).build());
        out.add(in("compressor_freq", "Compressor frequency", 1065, UINT16, 1, "Hz", SensorCategory.FREQUENCY).build());
        out.add(in("compressor_power_input_avg", "Compressor power input, average", 1075, INT16, 1, "W", SensorCategory.POWER).build());
        out.add(in("compressor_mode", "Operating mode compressor", 1094, UINT8, 1, "", SensorCategory.STATUS)
                .description("enum meanings unconfirmed").build());
        out.add(in("energy_produced_total", "Total produced energy", 3821, UINT32, 10, "kWh", SensorCategory.ENERGY).build());
        out.add(in("energy_consumed_total", "Total consumed energy", 3823, UINT32, 10, "kWh", SensorCategory.ENERGY).build());
    }

    /** S2125: the outdoor unit (EB101/EB100) reports its own refrigerant and water temperatures at high addresses. */
    private static void outdoorUnit(List<SensorDefinition> out) {
        out.add(in("power_heating_generated", "Generated power heating (EB100)", 941, UINT16, 10, "kW", SensorCategory.POWER).build());
        out.add(in("temp_unit_return", "Outdoor unit return line (EB101-BT3)", 1475, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("temp_unit_supply", "Outdoor unit supply line (EB101-BT12)", 1478, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("temp_discharge", "Discharge (EB101-BT14)", 1479, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("temp_liquid_line", "Liquid line (EB101-BT15)", 1480, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("temp_suction_gas", "Suction gas (EB101-BT17)", 1481, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("compressor_starts", "Compressor starts (EB101-EP14)", 1489, UINT32, 1, "", SensorCategory.COUNTER).build());
        out.add(in("compressor_hours", "Compressor operating time (EB101-EP14)", 1491, UINT32, 1, "h", SensorCategory.TIME).build());
        out.add(in("temp_unit_outdoor", "Outdoor unit air temperature (EB101-BT28)", 1621, INT16, 10, "°C", SensorCategory.TEMPERATURE).build());
        out.add(in("compressor_freq_current", "Current compressor frequency (EB101)", 1803, INT16, 10, "Hz", SensorCategory.FREQUENCY).build());
        out.add(in("defrosting", "Defrosting (EB101)", 1805, UINT8, 1, "", SensorCategory.STATUS)
                .enumValues(enums(0, "No", 1, "Yes")).build());
        out.add(in("compressor_power", "Compressor power (EB101-EP14)", 1806, UINT8, 1, "kW", SensorCategory.POWER).build());
        out.add(in("compressor_freq_requested", "Requested compressor frequency (EB101)", 1854, UINT8, 1, "Hz", SensorCategory.FREQUENCY).build());
        out.add(in("energy_produced_total", "Total produced energy", 3821, UINT32, 10, "kWh", SensorCategory.ENERGY).build());
        out.add(in("energy_consumed_total", "Total consumed energy", 3823, UINT32, 10, "kWh", SensorCategory.ENERGY).build());
    }

    /** Holding registers that are not per climate system. */
    private static void settings(List<SensorDefinition> out, NibeModel model) {
        out.add(hold("degree_minutes", "Degree minutes", 11, INT32, 10, "DM", SensorCategory.CONTROL, -30000, 30000)
                .description("Two registers (11, 12); written high word first, read low word first").build());
        out.add(hold("degree_minutes_cooling", "Cooling degree minutes", 20, INT16, 10, "DM", SensorCategory.CONTROL, -30000, 30000).build());
        // writing 0 is ignored by the pump (the nibe library uses it as a connectivity probe); 1 resets
        out.add(hold("alarm_reset", "Reset alarm", 22, UINT8, 1, "", SensorCategory.ALARM, 0, 1)
                .flag(SensorFlag.NO_CYCLIC_WRITE).description("write 1 to reset the active alarm").build());
        out.add(hold("ext_adjustment_circuit_1", "External adjustment climate system 1", 51, INT8, 1, "", SensorCategory.CONTROL, -10, 10).circuit("1").build());
        out.add(hold("ext_adjustment_room_circuit_1", "External adjustment with room sensor, climate system 1", 55, INT16, 10, "°C", SensorCategory.SETPOINT, 50, 300).circuit("1").build());
        out.add(hold("hot_water_demand_mode", "Hot water demand mode", 56, INT8, 1, "", SensorCategory.MODE, 0, 4)
                .enumValues(enums(0, "Small", 1, "Medium", 2, "Large", 4, "Smart control")).build());
        out.add(hold("add_heat_dm_step", "DM between additional heat steps", 100, INT16, 1, "DM", SensorCategory.CONTROL, 10, 1000).build());
        out.add(hold("add_heat_max_internal", "Max. internal additional heat", 102, INT16, 100, "kW", SensorCategory.SETPOINT, 0, 4500).build());
        out.add(hold("more_hot_water_minutes", "More hot water (number of minutes)", 225, UINT16, 1, "min", SensorCategory.CONTROL, null, null).build());
        out.add(hold("more_hot_water", "More hot water", 697, INT8, 1, "", SensorCategory.MODE, null, null)
                .description("enum meanings unconfirmed").build());
        out.add(hold("sg_ready_heating", "SG Ready affects heating", 760, UINT8, 1, "", SensorCategory.CONTROL, 0, 1).build());
        if (model.groundSource()) {
            // 761/762 are not in the S2125 export
            out.add(hold("sg_ready_cooling", "SG Ready affects cooling", 761, UINT8, 1, "", SensorCategory.CONTROL, 0, 1).build());
            out.add(hold("sg_ready_hot_water", "SG Ready affects hot water", 762, UINT8, 1, "", SensorCategory.CONTROL, 0, 1).build());
        }
        out.add(hold("operating_mode", "Operating mode", 2743, UINT8, 1, "", SensorCategory.MODE, 0, 2)
                .enumValues(enums(0, "Auto", 1, "Manual", 2, "Additional heat only"))
                .description("labels likely but unconfirmed").build());
    }

    /**
     * Climate system n (1..3). NIBE numbers the supply sensors of systems 2..4 downwards from 4 (EP21, EP22, EP23)
     * and the per-system settings downwards from system 1's address.
     */
    private static void climateSystem(List<SensorDefinition> out, int n) {
        String c = Integer.toString(n);
        String sys = "climate system " + n;
        int supply = n == 1 ? 5 : 6 - n; // BT2 = 5, EP21-BT2 = 4, EP22-BT2 = 3
        out.add(in("temp_supply_circuit_" + c, "Supply line " + sys, supply, INT16, 10, "°C", SensorCategory.TEMPERATURE).circuit(c).build());
        out.add(in("temp_supply_calculated_circuit_" + c, "Calculated supply " + sys, 1018 - n, INT16, 10, "°C", SensorCategory.TEMPERATURE).circuit(c).build());
        if (n == 1) {
            out.add(in("temp_room_circuit_1", "Room average temperature " + sys + " (BT50)", 116, INT16, 10, "°C", SensorCategory.TEMPERATURE).circuit(c).build());
        }
        out.add(hold("heating_curve_circuit_" + c, "Heating curve " + sys, 27 - n, INT8, 1, "", SensorCategory.CONTROL, 0, 15).circuit(c).build());
        out.add(hold("heating_offset_circuit_" + c, "Heating offset " + sys, 31 - n, INT8, 1, "", SensorCategory.CONTROL, -10, 10).circuit(c).build());
        out.add(hold("supply_min_circuit_" + c, "Min supply " + sys, 35 - n, INT16, 10, "°C", SensorCategory.SETPOINT, 50, 800).circuit(c).build());
        out.add(hold("supply_max_circuit_" + c, "Max supply " + sys, 39 - n, INT16, 10, "°C", SensorCategory.SETPOINT, 50, 800).circuit(c).build());
        out.add(hold("room_setpoint_circuit_" + c, "Room sensor set point " + sys, 207 - n, INT16, 10, "°C", SensorCategory.SETPOINT, 50, 300).circuit(c).build());
    }

    /**
     * The Modbus profile: read/write word orders (overridable with the connection options
     * {@code word_order_read}/{@code word_order_write}: {@code low_word_first} or {@code high_word_first}), request
     * limits ({@code max_block}, {@code max_gap}). No forbidden ranges are known.
     */
    public static ModbusDeviceProfile profile(Map<String, String> options) {
        WordOrder read = wordOrder(options.get(OPTION_WORD_ORDER_READ), READ_WORD_ORDER);
        WordOrder write = wordOrder(options.get(OPTION_WORD_ORDER_WRITE), WRITE_WORD_ORDER);
        int maxBlock = intOption(options, OPTION_MAX_BLOCK, DEFAULT_MAX_BLOCK, 1, ModbusDeviceProfile.MODBUS_MAX_BLOCK);
        int maxGap = intOption(options, OPTION_MAX_GAP, DEFAULT_MAX_GAP, 0, ModbusDeviceProfile.MODBUS_MAX_BLOCK);
        return new ModbusDeviceProfile(read, write, maxBlock, maxGap, List.<AddressRange>of(), false);
    }

    /** Parses a word order option; null or blank gives the fallback. */
    public static WordOrder wordOrder(String text, WordOrder fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "low_word_first", "low", "little", "cdab", "word_swap", "swapped" -> WordOrder.LOW_WORD_FIRST;
            case "high_word_first", "high", "big", "abcd" -> WordOrder.HIGH_WORD_FIRST;
            default -> throw new IllegalArgumentException("word order '" + text
                    + "' is not one of low_word_first, high_word_first");
        };
    }

    private static int intOption(Map<String, String> options, String key, int fallback, int lo, int hi) {
        String v = options.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + v + "' is not a whole number", e);
        }
        if (n < lo || n > hi) {
            throw new IllegalArgumentException(key + " must be " + lo + ".." + hi + ", was " + n);
        }
        return n;
    }

    /** An input register (FC04, read-only). */
    static SensorDefinition.Builder in(String id, String name, int pdu, DataType type, int factor, String unit,
                                       SensorCategory category) {
        return SensorDefinition.builder(id).name(name).kind(RegisterKind.INPUT).address(pdu).type(type)
                .scale(1.0 / factor).unit(unit).category(category).access(AccessMode.READ_ONLY)
                .invalid(sentinels(type));
    }

    /**
     * A holding register (FC03/FC16) with its raw min/max from NIBE's export, scaled to engineering units. Settings
     * persist in the controller, hence {@link SensorFlag#EEPROM}.
     */
    static SensorDefinition.Builder hold(String id, String name, int pdu, DataType type, int factor, String unit,
                                         SensorCategory category, Integer rawMin, Integer rawMax) {
        SensorDefinition.Builder b = SensorDefinition.builder(id).name(name).kind(RegisterKind.HOLDING).address(pdu)
                .type(type).scale(1.0 / factor).unit(unit).category(category).access(AccessMode.READ_WRITE)
                .invalid(sentinels(type)).step(1.0 / factor).flag(SensorFlag.EEPROM);
        if (rawMin != null && rawMax != null) {
            b.range((double) rawMin / factor, (double) rawMax / factor);
        }
        return b;
    }

    private static Map<Integer, String> enums(Object... pairs) {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((Integer) pairs[i], (String) pairs[i + 1]);
        }
        return m;
    }
}
