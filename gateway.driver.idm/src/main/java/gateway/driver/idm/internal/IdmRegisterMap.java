package gateway.driver.idm.internal;

import static gateway.core.api.DataType.BITFIELD;
import static gateway.core.api.DataType.BOOL;
import static gateway.core.api.DataType.ENUM;
import static gateway.core.api.DataType.FLOAT32;
import static gateway.core.api.DataType.INT16;
import static gateway.core.api.DataType.UINT16;
import static gateway.core.api.DataType.UINT8;
import static gateway.core.api.SensorCategory.ALARM;
import static gateway.core.api.SensorCategory.BINARY;
import static gateway.core.api.SensorCategory.CONTROL;
import static gateway.core.api.SensorCategory.ENERGY;
import static gateway.core.api.SensorCategory.HUMIDITY;
import static gateway.core.api.SensorCategory.INFO;
import static gateway.core.api.SensorCategory.MODE;
import static gateway.core.api.SensorCategory.PERCENT;
import static gateway.core.api.SensorCategory.POWER;
import static gateway.core.api.SensorCategory.SETPOINT;
import static gateway.core.api.SensorCategory.STATUS;
import static gateway.core.api.SensorCategory.TEMPERATURE;
import static gateway.core.api.SensorFlag.ADVANCED;
import static gateway.core.api.SensorFlag.EEPROM;
import static gateway.core.api.SensorFlag.NO_CYCLIC_WRITE;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import gateway.core.api.AccessMode;
import gateway.core.api.DataType;
import gateway.core.api.DeviceConfig;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.modbus.AddressRange;
import gateway.core.modbus.WordOrder;

/**
 * The iDM Navigator 2.0 Modbus TCP register map (fact sheet {@code idm-navigator-2.0.md}), as data: general registers,
 * heating circuits A–G (16 each) and zone modules 1–10 (43 each, API zone index 0–9).
 *
 * <p>Conventions that hold for every row unless its comment says otherwise:
 * <ul>
 * <li>Addresses are the iDM "Adresse DEZ" used as raw PDU addresses, no ±1. Everything is read as holding registers
 * (FC03); the controller serves the same map on FC04. Writes use FC16.</li>
 * <li>FLOAT = IEEE-754 float32 in two registers, low word first ({@link #WORD_ORDER}); no scaling anywhere.</li>
 * <li>"Not available" sentinels (sheet §2): readable FLOATs use −1.0, except where −1.0 is a real value (outdoor
 * temperatures, values fed by the energy manager, bivalence points) or the register is write-only. UCHAR-based
 * registers use 0xFFFF (kodebach) and 255 (ReneMronet); neither is a legal value of any UCHAR row. WORD registers
 * use −1 only where the legal range starts at 0; for the pumps 1104–1106 −1 means "off" and is a value.</li>
 * <li>iDM access "RW/RO" becomes READ_WRITE with a description: the controller accepts the write only when it is set up
 * to take that value from the building management system (GLT/BMS).</li>
 * </ul>
 * Rows the sheet marks unconfirmed (88, 90, 1068/1070/1072, 4108, 4112, 4116, 4124) are left out: they are not in
 * the iDM table, and a block read that touches an address the controller lacks fails as a whole (exception 02).
 */
public final class IdmRegisterMap {

    /** iDM FLOATs: Reg_L at N, Reg_H at N+1 (sheet §2, evcc trace: 4.14 kW = [0x7AE1, 0x4084]). */
    public static final WordOrder WORD_ORDER = WordOrder.LOW_WORD_FIRST;
    public static final RegisterKind KIND = RegisterKind.HOLDING;

    public static final List<String> CIRCUITS = List.of("A", "B", "C", "D", "E", "F", "G");
    public static final int ZONE_MODULES = 10;
    public static final int ROOMS_PER_ZONE = 8;
    public static final int SENSORS_PER_CIRCUIT = 16;
    public static final int SENSORS_PER_ZONE = 2 + ROOMS_PER_ZONE * 5 + 1;
    /** The configuration the original product polled by default: general registers plus circuit A. */
    public static final DeviceConfig DEFAULT_CONFIG = DeviceConfig.of(List.of("A"), List.of());
    /** Every circuit and zone module: what the simulator serves. */
    public static final DeviceConfig FULL_CONFIG = DeviceConfig.of(CIRCUITS, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));

    /**
     * Unused runs of at least this many registers separate two register areas of the controller. Shorter holes (1016–1029,
     * 1400, zone B+58…B+63, …) lie inside an area; longer ones (87–999, 1232–1349, 1875–1998, 2650–4121, …) are address
     * space without an iDM table, which block reads must not cover.
     */
    static final int AREA_SEPARATION = 16;

    private static final String BMS_SOURCE = "Writable only when the controller is configured to take this value from "
            + "the building management system (BMS/GLT source); otherwise the controller measures it and the value is read-only.";
    private static final Map<Integer, String> OFF_ON = Map.of(0, "off", 1, "on");
    private static final Map<Integer, String> NO_YES = Map.of(0, "no", 1, "yes");

    private static final List<SensorDefinition> GENERAL = buildGeneral();
    private static final List<SensorDefinition> ALL = expand(FULL_CONFIG);

    private IdmRegisterMap() {
    }

    /** General registers, then each configured circuit (A–G order), then each configured zone module. */
    public static List<SensorDefinition> sensors(DeviceConfig config) {
        List<String> problems = validate(config);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return expand(config);
    }

    /** Every register of the map (all circuits, all zone modules). */
    public static List<SensorDefinition> all() {
        return ALL;
    }

    public static List<SensorDefinition> general() {
        return GENERAL;
    }

    /** Problems with a device configuration; empty when acceptable. Circuits may be empty. */
    public static List<String> validate(DeviceConfig config) {
        List<String> problems = new ArrayList<>();
        Set<String> seenCircuits = new LinkedHashSet<>();
        for (String c : config.circuits()) {
            String n = normalizeCircuit(c);
            if (n == null || !CIRCUITS.contains(n)) {
                problems.add("unknown heating circuit '" + c + "' (allowed: A–G)");
            } else if (!seenCircuits.add(n)) {
                problems.add("heating circuit " + n + " listed twice");
            }
        }
        Set<Integer> seenZones = new LinkedHashSet<>();
        for (Integer z : config.zones()) {
            if (z == null || z < 0 || z >= ZONE_MODULES) {
                problems.add("unknown zone index " + z + " (allowed: 0–9 for zone modules 1–10)");
            } else if (!seenZones.add(z)) {
                problems.add("zone index " + z + " listed twice");
            }
        }
        return problems;
    }

    /** True for iDM "RW/RO" registers: writable only when the controller takes the value from the BMS. */
    public static boolean bmsSourced(SensorDefinition s) {
        return BMS_SOURCE.equals(s.description());
    }

    static String normalizeCircuit(String c) {
        return c == null ? null : c.trim().toUpperCase(Locale.ROOT);
    }

    private static List<SensorDefinition> expand(DeviceConfig config) {
        List<SensorDefinition> out = new ArrayList<>(general());
        List<String> circuits = config.circuits().stream().map(IdmRegisterMap::normalizeCircuit).distinct()
                .sorted().toList();
        for (String c : circuits) {
            out.addAll(circuit(CIRCUITS.indexOf(c)));
        }
        for (Integer z : config.zones().stream().distinct().sorted().toList()) {
            out.addAll(zone(z));
        }
        return Collections.unmodifiableList(out);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Row helpers: one call per register; defaults carry the sentinel policy described in the class comment.

    private enum Acc { RO, RW, W, RW_RO }

    private static SensorDefinition.Builder reg(int address, String id, String name, DataType type, Acc acc,
                                                SensorCategory category, String unit) {
        SensorDefinition.Builder b = SensorDefinition.builder(id).name(name).address(address).type(type)
                .kind(KIND).category(category).unit(unit);
        switch (acc) {
            case RO -> b.access(AccessMode.READ_ONLY);
            case RW -> b.access(AccessMode.READ_WRITE);
            case W -> b.access(AccessMode.WRITE_ONLY);
            case RW_RO -> b.access(AccessMode.READ_WRITE).description(BMS_SOURCE);
        }
        if (acc != Acc.W) {
            switch (type) {
                case FLOAT32 -> b.invalid(-1);
                case UINT8, ENUM, BITFIELD, BOOL, UINT16 -> b.invalid(0xFFFF, 0xFF);
                default -> { } // WORD (INT16): per row, see wordNa()
            }
        }
        return b;
    }

    /** A FLOAT register (2 registers). */
    private static SensorDefinition.Builder flt(int address, String id, String name, Acc acc, SensorCategory cat,
                                                String unit) {
        return reg(address, id, name, FLOAT32, acc, cat, unit);
    }

    /** A UCHAR register with a plain number. */
    private static SensorDefinition.Builder uchar(int address, String id, String name, Acc acc, SensorCategory cat,
                                                  String unit) {
        return reg(address, id, name, UINT8, acc, cat, unit);
    }

    /** A UCHAR (or 0/1 WORD) register whose numbers are labelled. */
    private static SensorDefinition.Builder enumeration(int address, String id, String name, Acc acc,
                                                        SensorCategory cat, Map<Integer, String> labels) {
        return reg(address, id, name, ENUM, acc, cat, "").enumValues(sorted(labels));
    }

    /** A WORD register (signed int16); sentinel only when added with {@link #wordNa}. */
    private static SensorDefinition.Builder word(int address, String id, String name, Acc acc, SensorCategory cat,
                                                 String unit) {
        return reg(address, id, name, INT16, acc, cat, unit);
    }

    /** −1 as "not available" for WORDs; both spellings in case the codec compares the unsigned raw. */
    private static SensorDefinition.Builder wordNa(SensorDefinition.Builder b) {
        return b.invalid(-1, 0xFFFF);
    }

    private static Map<Integer, String> sorted(Map<Integer, String> labels) {
        Map<Integer, String> m = new java.util.LinkedHashMap<>();
        labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // §4 General registers. Ids reuse the original product's ids (dashboards query idm_heatpump_<id>).

    private static List<SensorDefinition> buildGeneral() {
        List<SensorDefinition.Builder> r = new ArrayList<>();
        // Energy-manager inputs: RW/RO. Defaults 0 (82, 84) mean "no value" is 0, so no −1 sentinel on these floats;
        // an energy manager may also write negative values (battery charging).
        r.add(flt(74, "power_solar_surplus", "PV surplus", Acc.RW_RO, POWER, "kW").clearInvalid());
        r.add(flt(76, "power_resistive_heater", "Electric heater power", Acc.RW_RO, POWER, "kW").clearInvalid());
        r.add(flt(78, "power_solar_production", "PV production", Acc.RW_RO, POWER, "kW").clearInvalid());
        r.add(flt(82, "power_use_house", "House consumption", Acc.RW_RO, POWER, "kW").clearInvalid());
        r.add(flt(84, "power_drain_battery", "Battery discharge", Acc.RW_RO, POWER, "kW").clearInvalid());
        // default −1 = no battery: the sentinel
        r.add(wordNa(word(86, "charge_state_battery", "Battery state of charge", Acc.RW_RO, PERCENT, "%")
                .range(0, 100)));

        // B32 is always fitted and −1.0 °C is an ordinary winter reading: no sentinel on the outdoor temperatures.
        r.add(flt(1000, "temp_outside", "Outdoor temperature (B32)", Acc.RO, TEMPERATURE, "°C").clearInvalid());
        r.add(flt(1002, "temp_outside_avg", "Averaged outdoor temperature", Acc.RO, TEMPERATURE, "°C").clearInvalid());
        // The table says UCHAR with messages 020–999, which cannot fit 8 bits: read the whole register.
        r.add(reg(1004, "failure_id", "Current message number", UINT16, Acc.RO, ALARM, "").clearInvalid()
                .invalid(0xFFFF).description("Navigator message/fault number (020–999), 0 when none"));
        // Value 3 (holiday) is missing from the transcription but used by kodebach. kodebach maps 0xFFFF to OFF; we
        // report it as unavailable.
        r.add(enumeration(1005, "status_system", "System mode", Acc.RW, MODE,
                Map.of(0, "standby", 1, "automatic", 2, "away", 3, "holiday", 4, "hot_water_only",
                        5, "heating_cooling_only")).range(0, 5).flag(EEPROM)
                .description("iDM SYSMODE; EEPROM-backed, write only on change"));
        r.add(enumeration(1006, "status_smart_grid", "Smart grid status", Acc.RO, STATUS,
                Map.of(0, "utility_lock_no_cheap_power", 1, "grid_draw_no_cheap_power",
                        2, "no_grid_draw_cheap_power", 4, "utility_lock_cheap_power")));
        r.add(flt(1008, "temp_heat_storage", "Heat buffer temperature (B38)", Acc.RO, TEMPERATURE, "°C"));
        r.add(flt(1010, "temp_cold_storage", "Cold buffer temperature (B40)", Acc.RO, TEMPERATURE, "°C"));
        // 1012 is the bottom, 1014 the top sensor (kodebach's internal keys have them swapped; sheet §8)
        r.add(flt(1012, "temp_water_heater_bottom", "DHW tank bottom (B41)", Acc.RO, TEMPERATURE, "°C"));
        r.add(flt(1014, "temp_water_heater_top", "DHW tank top (B48)", Acc.RO, TEMPERATURE, "°C"));
        r.add(flt(1030, "temp_water_heater_tap", "DHW tap temperature (B42)", Acc.RO, TEMPERATURE, "°C"));
        r.add(uchar(1032, "temp_water_target", "DHW setpoint", Acc.RW, SETPOINT, "°C").range(35, 95).flag(EEPROM)
                .description("iDM FW030, default 46 °C"));
        r.add(uchar(1033, "temp_water_switch_on", "DHW charge on temperature", Acc.RW, SETPOINT, "°C").range(30, 50)
                .flag(EEPROM).description("iDM FW027, default 46 °C"));
        // iDM table says 46–53; ReneMronet allows 46–67. Keep the manufacturer's bound.
        r.add(uchar(1034, "temp_water_switch_off", "DHW charge off temperature", Acc.RW, SETPOINT, "°C").range(46, 53)
                .flag(EEPROM).description("iDM FW028, default 50 °C"));
        // Unit not stated by iDM; kodebach's ×0.001 is unconfirmed, so the raw float is served.
        r.add(flt(1048, "price_energy", "Current electricity price", Acc.RO, INFO, "").flag(ADVANCED)
                .description("Unit not documented by iDM"));
        r.add(flt(1050, "temp_heat_pump_flow", "Heat pump flow temperature (B33)", Acc.RO, TEMPERATURE, "°C"));
        r.add(flt(1052, "temp_heat_pump_return", "Heat pump return temperature (B34)", Acc.RO, TEMPERATURE, "°C"));
        r.add(flt(1054, "temp_hgl_flow", "Hot-gas (HGL) flow temperature (B35)", Acc.RO, TEMPERATURE, "°C"));
        // Source and air sensors exist only on some unit types; a fitted sensor reading exactly −1.0 °C shows as
        // unavailable for that poll, the price of hiding the not-fitted ones.
        r.add(flt(1056, "temp_heat_source_input", "Heat source inlet (B43)", Acc.RO, TEMPERATURE, "°C"));
        r.add(flt(1058, "temp_heat_source_output", "Heat source outlet (B36)", Acc.RO, TEMPERATURE, "°C"));
        r.add(flt(1060, "temp_air_input", "Air intake temperature (B37)", Acc.RO, TEMPERATURE, "°C"));
        r.add(flt(1062, "temp_air_heat_exchanger", "Air heat exchanger temperature (B72)", Acc.RO, TEMPERATURE, "°C"));
        r.add(flt(1064, "temp_air_input_2", "Air intake temperature 2 (B46)", Acc.RO, TEMPERATURE, "°C"));
        r.add(flt(1066, "temp_charge_sensor", "Charge sensor (B45)", Acc.RO, TEMPERATURE, "°C"));
        // A bit field, not an enum: 5 = heating + DHW (sheet §8)
        r.add(reg(1090, "status_heat_pump", "Heat pump operating state", BITFIELD, Acc.RO, STATUS, "")
                .enumValues(sorted(Map.of(1, "heating", 2, "cooling", 4, "hot_water", 8, "defrost")))
                .description("0 = off"));
        r.add(enumeration(1091, "request_heating_status", "Heating request", Acc.RO, BINARY, NO_YES));
        r.add(enumeration(1092, "request_cooling_status", "Cooling request", Acc.RO, BINARY, NO_YES));
        r.add(enumeration(1093, "request_water_status", "DHW request", Acc.RO, BINARY, NO_YES));
        r.add(enumeration(1098, "evu_lock_status", "Utility lock contact", Acc.RO, STATUS,
                Map.of(0, "locked", 1, "not_locked")));
        r.add(enumeration(1099, "failure_heat_pump", "Common fault", Acc.RO, ALARM, Map.of(0, "none", 1, "fault"))
                .description("Latching: with a fault the heat pump does not restart until acknowledged (1999)"));
        for (int i = 0; i < 4; i++) {
            r.add(enumeration(1100 + i, "state_compressor_" + (i + 1), "Compressor " + (i + 1), Acc.RO, BINARY, OFF_ON));
        }
        // −1 = pump off is a value here (sheet §2, §8): no sentinel, signed.
        r.add(word(1104, "state_charge_pump", "Charge pump (M73)", Acc.RO, PERCENT, "%").description("-1 = off, 0–100 = speed"));
        r.add(word(1105, "state_brine_pump", "Brine/intermediate pump (M16)", Acc.RO, PERCENT, "%")
                .description("-1 = off, 0–100 = speed"));
        r.add(word(1106, "state_ground_water_pump", "Source/ground-water pump (M15)", Acc.RO, PERCENT, "%")
                .description("-1 = off, 0–100 = speed"));
        r.add(wordNa(word(1108, "load_isc_cold_storage_pump", "ISC cold storage pump (M84)", Acc.RO, PERCENT, "%")));
        r.add(wordNa(word(1109, "load_isc_recooling_pump", "ISC recooling pump (M17)", Acc.RO, PERCENT, "%")));
        // Valves are WORDs holding 0/1: labelled, 0xFFFF = unavailable
        Map<Integer, String> heatCool = Map.of(0, "heating", 1, "cooling");
        Map<Integer, String> heatWater = Map.of(0, "heating", 1, "hot_water");
        r.add(word16Enum(1110, "valve_state_circuit_heating_cooling", "Valve circuit heating/cooling (M61)", heatCool));
        r.add(word16Enum(1111, "valve_state_storage_heating_cooling", "Valve storage heating/cooling (M62)", heatCool));
        r.add(word16Enum(1112, "valve_state_main_heating_water", "Valve heating/DHW (M63)", heatWater));
        r.add(word16Enum(1113, "valve_state_source_heating_cooling", "Valve source heating/cooling (M74)", heatCool));
        r.add(word16Enum(1114, "valve_state_solar_heating_water", "Valve solar heating/DHW (M78)", heatWater));
        r.add(word16Enum(1115, "valve_state_solar_storage_source", "Valve solar storage/source (M79)",
                Map.of(0, "storage", 1, "heat_source")));
        r.add(word16Enum(1116, "valve_state_isc_heating_cooling", "Valve ISC source/cold storage (M89)",
                Map.of(0, "heat_source", 1, "cold_storage")));
        r.add(word16Enum(1117, "valve_state_isc_bypass", "Valve ISC storage/bypass (M99)",
                Map.of(0, "storage", 1, "bypass")));
        r.add(word16Enum(1118, "pump_circulation", "DHW circulation pump (M64)", OFF_ON));
        // Ranges are garbled in the transcription; kodebach's bounds. −1 °C is a legal bivalence point: no sentinel.
        r.add(word(1120, "temp_second_source_bivalence_1", "2nd heat source bivalence point 1", Acc.RW, SETPOINT, "°C")
                .range(-50, 50).flag(EEPROM).description("iDM BV002"));
        r.add(word(1121, "temp_second_source_bivalence_2", "2nd heat source bivalence point 2", Acc.RW, SETPOINT, "°C")
                .range(-50, 50).flag(EEPROM).description("iDM BV003"));
        r.add(word(1122, "temp_third_source_bivalence_1", "3rd heat source bivalence point 1", Acc.RW, SETPOINT, "°C")
                .range(-50, 50).flag(EEPROM).description("iDM BV102"));
        r.add(word(1123, "temp_third_source_bivalence_2", "3rd heat source bivalence point 2", Acc.RW, SETPOINT, "°C")
                .range(-30, 40).flag(EEPROM).description("iDM BV103"));
        r.add(enumeration(1124, "status_bivalence", "Bivalence state", Acc.RO, STATUS,
                Map.of(0, "off", 1, "bivalence_1", 2, "bivalence_2", 3, "bivalence_1_and_2")));
        String[] modes = {"heating", "cooling", "water"};
        for (int i = 0; i < 3; i++) {
            r.add(uchar(1147 + i, "cascade_available_stages_" + modes[i], "Cascade available stages " + modes[i],
                    Acc.RO, STATUS, "").flag(ADVANCED));
        }
        for (int i = 0; i < 3; i++) {
            r.add(uchar(1150 + i, "cascade_running_stages_" + modes[i], "Cascade running stages " + modes[i],
                    Acc.RO, STATUS, "").flag(ADVANCED));
        }
        r.add(flt(1200, "cascade_request_heating_temp", "Cascade requested heating temperature", Acc.RO, TEMPERATURE, "°C").flag(ADVANCED));
        r.add(flt(1202, "cascade_request_cooling_temp", "Cascade requested cooling temperature", Acc.RO, TEMPERATURE, "°C").flag(ADVANCED));
        r.add(flt(1204, "cascade_temp_request_water", "Cascade requested DHW temperature", Acc.RO, TEMPERATURE, "°C").flag(ADVANCED));
        r.add(flt(1206, "cascade_temp_flow_avg_heating", "Cascade averaged flow heating", Acc.RO, TEMPERATURE, "°C").flag(ADVANCED));
        r.add(flt(1208, "cascade_temp_flow_avg_cooling", "Cascade averaged flow cooling", Acc.RO, TEMPERATURE, "°C").flag(ADVANCED));
        r.add(flt(1210, "cascade_avg_flow_temp_c_water", "Cascade averaged flow DHW", Acc.RO, TEMPERATURE, "°C").flag(ADVANCED));
        String[] codes = {"SYSCAMLHM", "SYSCAMLH", "SYSCAMLCM", "SYSCAMLC", "SYSCAMLPM", "SYSCAMLP"};
        for (int i = 0; i < 6; i++) {
            String minMax = i % 2 == 0 ? "min" : "max";
            r.add(uchar(1220 + i, "cascade_" + minMax + "_power_" + modes[i / 2],
                    "Cascade " + minMax + " power " + modes[i / 2], Acc.RW, SETPOINT, "%").range(0, 100)
                    .flag(ADVANCED).description("iDM " + codes[i]));
        }
        String[] biv = {"heating_parallel", "heating_alternative", "cooling_parallel", "cooling_alternative",
                "water_parallel", "water_alternative"};
        for (int i = 0; i < 6; i++) {
            // range garbled in the transcription; bounded like the bivalence points BV002
            r.add(word(1226 + i, "cascade_bivalence_" + biv[i], "Cascade bivalence point " + biv[i].replace('_', ' '),
                    Acc.RW, SETPOINT, "°C").range(-50, 50).flag(ADVANCED));
        }
        // 1392 sits between the circuit blocks (1378+ and 1393+), but is a system sensor
        // The iDM table gives a FLOAT at 1392, so its high word is 1393, the UCHAR mode of circuit A (which every
        // implementation confirms). Kept as the table says, but hidden: the value is only right when 1393 reads 0.
        r.add(flt(1392, "humidity", "Humidity sensor (B31)", Acc.RO, HUMIDITY, "%").range(0, 100).flag(ADVANCED)
                .description("The iDM table places this FLOAT at 1392-1393, overlapping the circuit A mode at 1393"));
        r.add(flt(1690, "temp_external_outdoor", "BMS outdoor temperature", Acc.W, TEMPERATURE, "°C")
                .description("Used only with 'BMS Outdoor Temperature' = Yes on the controller"));
        r.add(flt(1692, "temp_external_humidity", "BMS humidity", Acc.W, HUMIDITY, "%").range(0, 100)
                .description("Used only with 'BMS Humidity Value' = Yes on the controller"));
        r.add(uchar(1694, "temp_external_request_heating", "External request temperature heating", Acc.RW, SETPOINT, "°C")
                .range(20, 65).flag(EEPROM).description("iDM PH003, default 40 °C"));
        r.add(uchar(1695, "temp_external_request_cooling", "External request temperature cooling", Acc.RW, SETPOINT, "°C")
                .range(10, 25).flag(EEPROM).description("iDM PC004, default 18 °C"));
        // footnote 7: rewrite every 10 min or the controller drops the request
        r.add(flt(1696, "temp_request_glt_heizen", "BMS heat demand temperature", Acc.W, SETPOINT, "°C")
                .refreshSeconds(600).description("Must be rewritten every 10 minutes (iDM footnote 7); default 0"));
        r.add(flt(1698, "temp_request_glt_kuehlen_100", "BMS cool demand temperature", Acc.W, SETPOINT, "°C")
                .refreshSeconds(600).description("Must be rewritten every 10 minutes (iDM footnote 7); default 100"));
        // "Write cyclically, so the request comes back after a restart of the display or plant" (sheet §3.4). iDM gives no
        // period; we reuse footnote 7's 10 minutes. Safe: not EEPROM (kodebach#93).
        r.add(reg(1710, "request_heating", "BMS heating request", BOOL, Acc.RW, CONTROL, "").range(0, 1).refreshSeconds(600)
                .description("Rewritten periodically so the request survives a restart of the touch display or plant"));
        r.add(reg(1711, "request_cooling", "BMS cooling request", BOOL, Acc.RW, CONTROL, "").range(0, 1).refreshSeconds(600)
                .description("Rewritten periodically so the request survives a restart of the touch display or plant"));
        r.add(reg(1712, "request_water", "BMS DHW charge request", BOOL, Acc.RW, CONTROL, "").range(0, 1)
                .description("Starts a DHW charge regardless of tank temperature; the charge only ends when 0 is written"));
        // Held at 1 it keeps triggering charges (kodebach#93): write 1, about 1 min later 0.
        r.add(reg(1713, "request_water_once", "One-off DHW charge", BOOL, Acc.RW, CONTROL, "").range(0, 1)
                .flag(NO_CYCLIC_WRITE).description("Write 1, then 0 about a minute later; never hold it at 1"));
        r.add(uchar(1714, "request_pump_ground_water_external", "External request ground-water/brine pump (M15/M16)",
                Acc.RW, CONTROL, "").flag(ADVANCED)
                .description("iDM: driving this pump from a BMS is not sensible; the Navigator controls it"));
        r.add(uchar(1715, "request_pump_ground_water_max_external", "External request ground-water pump M15 (SW Max)",
                Acc.RW, CONTROL, "").flag(ADVANCED)
                .description("iDM: driving this pump from a BMS is not sensible; the Navigator controls it"));
        // write-only BMS temperatures; −1 written means "not used" (default), so it must stay writable
        r.add(flt(1716, "temp_heat_storage_glt", "BMS heat buffer temperature", Acc.W, TEMPERATURE, "°C")
                .description("-1 = not used (default)"));
        r.add(flt(1718, "temp_cold_storage_glt", "BMS cold buffer temperature", Acc.W, TEMPERATURE, "°C")
                .description("-1 = not used (default)"));
        r.add(flt(1720, "temp_water_heater_bottom_target_glt", "BMS DHW tank bottom temperature", Acc.W, TEMPERATURE, "°C")
                .description("-1 = not used (default)"));
        r.add(flt(1722, "temp_water_heater_top_target_glt", "BMS DHW tank top temperature", Acc.W, TEMPERATURE, "°C")
                .description("-1 = not used (default)"));
        // heat quantities: footnotes 1–4 (some only with a vortex sensor / flow meter, else −1.0)
        r.add(flt(1748, "energy_heat_heating", "Heat energy heating", Acc.RO, ENERGY, "kWh"));
        r.add(flt(1750, "energy_heat_total", "Heat energy total", Acc.RO, ENERGY, "kWh")
                .description("Without a vortex flow sensor a calculated total (heating + DHW)"));
        r.add(flt(1752, "energy_heat_total_cooling", "Cooling energy", Acc.RO, ENERGY, "kWh"));
        r.add(flt(1754, "energy_heat_total_water", "Heat energy DHW", Acc.RO, ENERGY, "kWh"));
        r.add(flt(1756, "energy_heat_total_defrost", "Heat energy defrost", Acc.RO, ENERGY, "kWh"));
        r.add(flt(1758, "energy_heat_total_passive_cooling", "Passive cooling energy", Acc.RO, ENERGY, "kWh"));
        r.add(flt(1760, "energy_heat_total_solar", "Solar heat energy", Acc.RO, ENERGY, "kWh"));
        r.add(flt(1762, "energy_heat_total_electric", "Electric heater energy", Acc.RO, ENERGY, "kWh"));
        r.add(flt(1790, "power_current", "Thermal power", Acc.RO, POWER, "kW")
                .description("Measured with a vortex sensor, otherwise calculated"));
        r.add(flt(1792, "power_current_solar", "Solar thermal power", Acc.RO, POWER, "kW"));
        r.add(flt(1850, "temp_solar_collector", "Solar collector temperature (B73)", Acc.RO, TEMPERATURE, "°C"));
        r.add(flt(1852, "temp_solar_collector_return", "Solar collector return (B75)", Acc.RO, TEMPERATURE, "°C"));
        r.add(flt(1854, "temp_solar_charge", "Solar charge temperature (B74)", Acc.RO, TEMPERATURE, "°C"));
        r.add(enumeration(1856, "mode_solar", "Solar mode", Acc.RW, MODE,
                Map.of(0, "automatic", 1, "hot_water", 2, "heating", 3, "hot_water_and_heating", 4, "heat_source_pool"))
                .range(0, 4).flag(EEPROM).description("iDM SC002"));
        // a FLOAT at an odd address (1857–1858), right after the UCHAR 1856
        r.add(flt(1857, "temp_solar_reference", "Solar reference/pool temperature (B76)", Acc.RO, TEMPERATURE, "°C"));
        r.add(flt(1870, "temp_isc_charge_cooling", "ISC charge temperature cooling (B44)", Acc.RO, TEMPERATURE, "°C"));
        r.add(flt(1872, "temp_isc_recooling", "ISC recooling temperature (B49)", Acc.RO, TEMPERATURE, "°C"));
        r.add(reg(1874, "mode_isc", "ISC mode", BITFIELD, Acc.RO, STATUS, "")
                .enumValues(sorted(Map.of(1, "heating", 4, "hot_water", 8, "heat_source"))).description("0 = no waste heat"));
        // footnote 6: holding it at 1 stops the controller from showing faults
        r.add(uchar(1999, "acknowledge_faults", "Acknowledge faults", Acc.W, CONTROL, "").range(0, 1)
                .flag(NO_CYCLIC_WRITE).description("Write 1 once; never write it permanently (iDM footnote 6)"));
        // GLT-monitor block, confirmed by the evcc traces
        r.add(flt(4122, "power_current_draw", "Heat pump electrical power", Acc.RO, POWER, "kW")
                .description("No electrical energy counter exists; integrate this value"));
        r.add(flt(4126, "power_thermal", "Thermal power (flow sensor)", Acc.RO, POWER, "kW"));
        r.add(flt(4128, "energy_heat_total_flow_sensor", "Heat energy total (flow sensor)", Acc.RO, ENERGY, "kWh"));
        return r.stream().map(SensorDefinition.Builder::build).toList();
    }

    private static SensorDefinition.Builder word16Enum(int address, String id, String name, Map<Integer, String> labels) {
        return reg(address, id, name, ENUM, Acc.RO, STATUS, "").enumValues(sorted(labels)).clearInvalid().invalid(0xFFFF);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // §5 Heating circuit i (A=0 … G=6): FLOATs step by 2, UCHARs by 1.

    static List<SensorDefinition> circuit(int i) {
        String c = CIRCUITS.get(i);
        String l = c.toLowerCase(Locale.ROOT);
        String s = "_circuit_" + l;
        String in = " circuit " + c;
        String code = "iDM HK" + c;
        List<SensorDefinition.Builder> r = new ArrayList<>();
        r.add(flt(1350 + 2 * i, "temp_flow_current" + s, "Flow temperature" + in + " (B5" + (i + 1) + ")", Acc.RO, TEMPERATURE, "°C"));
        r.add(flt(1364 + 2 * i, "temp_room" + s, "Room temperature" + in + " (B6" + (i + 1) + ")", Acc.RO, TEMPERATURE, "°C"));
        r.add(flt(1378 + 2 * i, "temp_flow_target" + s, "Flow temperature target" + in, Acc.RO, TEMPERATURE, "°C"));
        r.add(enumeration(1393 + i, "mode" + s, "Operating mode" + in, Acc.RW, MODE,
                Map.of(0, "off", 1, "timed", 2, "normal", 3, "eco", 4, "manual_heating", 5, "manual_cooling"))
                .range(0, 5).flag(EEPROM).description(code + "01, default 1 (timed)"));
        // the FLOAT setpoints start at the odd address 1401; 1400 is unused
        r.add(flt(1401 + 2 * i, "temp_room_target_heating_normal" + s, "Room setpoint heating normal" + in, Acc.RW, SETPOINT, "°C")
                .range(15, 30).flag(EEPROM).description(code + "04"));
        r.add(flt(1415 + 2 * i, "temp_room_target_heating_eco" + s, "Room setpoint heating eco" + in, Acc.RW, SETPOINT, "°C")
                .range(10, 25).flag(EEPROM).description(code + "05"));
        SensorDefinition.Builder curve = flt(1429 + 2 * i, "curve" + s, "Heating curve" + in, Acc.RW, SETPOINT, "")
                .range(0.1, 3.5).description(code + "10");
        r.add(i == 6 ? sharedHighWord(curve, "the heating limit of circuit A (1442)") : curve.flag(EEPROM));
        r.add(uchar(1442 + i, "temp_threshold_heating" + s, "Heating limit" + in, Acc.RW, SETPOINT, "°C").range(0, 50)
                .flag(EEPROM).description(code + "08"));
        r.add(uchar(1449 + i, "temp_flow_target_constant" + s, "Constant flow setpoint" + in, Acc.RW, SETPOINT, "°C")
                .range(20, 90).flag(EEPROM).description(code + "03 (constant circuits)"));
        r.add(flt(1457 + 2 * i, "temp_room_target_cooling_normal" + s, "Room setpoint cooling normal" + in, Acc.RW, SETPOINT, "°C")
                .range(15, 30).flag(EEPROM).description(code + "50"));
        SensorDefinition.Builder coolEco = flt(1471 + 2 * i, "temp_room_target_cooling_eco" + s,
                "Room setpoint cooling eco" + in, Acc.RW, SETPOINT, "°C").range(15, 30).description(code + "51");
        r.add(i == 6 ? sharedHighWord(coolEco, "the cooling limit of circuit A (1484)") : coolEco.flag(EEPROM));
        r.add(uchar(1484 + i, "temp_threshold_cooling" + s, "Cooling limit" + in, Acc.RW, SETPOINT, "°C").range(0, 36)
                .flag(EEPROM).description(code + "58"));
        r.add(uchar(1491 + i, "temp_flow_target_cooling" + s, "Flow setpoint cooling" + in, Acc.RW, SETPOINT, "°C")
                .range(8, 30).flag(EEPROM).description(code + "53"));
        r.add(enumeration(1498 + i, "mode_active" + s, "Active mode" + in, Acc.RO, STATUS,
                Map.of(0, "off", 1, "heating", 2, "cooling")));
        // the original product's ids for these two have no "circuit_" infix (dashboards use them as they are)
        r.add(uchar(1505 + i, "curve_offset_" + l, "Parallel shift" + in, Acc.RW, SETPOINT, "°C").range(0, 30)
                .flag(EEPROM).description("Heating curve parallel shift (the transcription's code HKx03 is probably wrong)"));
        r.add(flt(1650 + 2 * i, "temp_external_room_" + l, "BMS room temperature" + in, Acc.W, TEMPERATURE, "°C")
                .range(15, 30).description("Room temperature supplied by the BMS"));
        return r.stream().map(b -> b.circuit(c).build()).toList();
    }

    /**
     * The iDM table puts circuit G's curve at 1441 and its cooling eco setpoint at 1483, both FLOATs, so their high words
     * fall on circuit A's UCHARs 1442 and 1484. A write (FC16, two registers) would overwrite circuit A's EEPROM
     * setting as well, so the gateway only reads these two.
     */
    private static SensorDefinition.Builder sharedHighWord(SensorDefinition.Builder b, String other) {
        return b.access(AccessMode.READ_ONLY).flag(ADVANCED).description("Read-only in the gateway: the iDM table places "
                + "this FLOAT's high word on " + other + ", so a write would change that setting too");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // §6 Zone module index z (0–9) = module z+1: base 2000 + 65·z, room r (1–8) at base + 2 + 7·(r−1).

    public static int zoneBase(int zoneIndex) {
        return 2000 + 65 * zoneIndex;
    }

    static List<SensorDefinition> zone(int z) {
        int base = zoneBase(z);
        int module = z + 1; // ids and names use the module number the controller shows, as the original did
        String zs = "_zone_" + module;
        String zn = " zone " + module;
        List<SensorDefinition.Builder> r = new ArrayList<>();
        r.add(enumeration(base, "mode" + zs, "Zone mode" + zn, Acc.RO, MODE, Map.of(0, "cooling", 1, "heating"))
                .description("iDM A14"));
        r.add(enumeration(base + 1, "dehumidifier" + zs, "Dehumidifier output" + zn, Acc.RO, BINARY, OFF_ON)
                .description("iDM A12"));
        for (int room = 1; room <= ROOMS_PER_ZONE; room++) {
            int a = base + 2 + 7 * (room - 1);
            String rs = zs + "_room_" + room;
            String rn = zn + " room " + room;
            r.add(flt(a, "temp_room" + rs, "Room temperature" + rn, Acc.RW_RO, TEMPERATURE, "°C").range(-30, 80));
            // No range in the iDM table; bounded to plausible room setpoints. Whether zone registers are EEPROM-backed
            // is not stated: flagged so they are never written cyclically.
            r.add(flt(a + 2, "temp_target" + rs, "Room setpoint" + rn, Acc.RW, SETPOINT, "°C").range(5, 35).step(0.5)
                    .flag(EEPROM).description("0.5 °C steps; the room mode must be 'normal' when a BMS sets it"));
            r.add(uchar(a + 4, "humidity" + rs, "Room humidity" + rn, Acc.RW_RO, HUMIDITY, "%").range(0, 100));
            r.add(enumeration(a + 5, "mode" + rs, "Room mode" + rn, Acc.RW, MODE,
                    Map.of(0, "off", 1, "automatic", 2, "eco", 3, "normal", 4, "comfort")).range(0, 4).flag(EEPROM));
            r.add(enumeration(a + 6, "relay" + rs, "Room relay" + rn, Acc.RO, BINARY, OFF_ON));
        }
        r.add(enumeration(base + 64, "relay" + zs + "_room_9", "Relay room 9 (A9)" + zn, Acc.RO, BINARY, OFF_ON));
        return r.stream().map(b -> b.zone(z).build()).toList();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Address space

    /**
     * The controller's register areas, derived from the map: spans of registers in use, merged across holes shorter
     * than {@link #AREA_SEPARATION}. Sorted by start.
     */
    public static List<AddressRange> knownAreas() {
        List<SensorDefinition> byAddress = new ArrayList<>(ALL);
        byAddress.sort(Comparator.comparingInt(SensorDefinition::address));
        List<AddressRange> areas = new ArrayList<>();
        int start = -1;
        int end = -1;
        for (SensorDefinition s : byAddress) {
            int sEnd = s.address() + s.registerCount();
            if (start < 0) {
                start = s.address();
                end = sEnd;
            } else if (s.address() - end >= AREA_SEPARATION) {
                areas.add(new AddressRange(KIND, start, end));
                start = s.address();
                end = sEnd;
            } else {
                end = Math.max(end, sEnd);
            }
        }
        areas.add(new AddressRange(KIND, start, end));
        return List.copyOf(areas);
    }

    /** Everything outside {@link #knownAreas()} within the 16-bit address space: no block read may touch it. */
    public static List<AddressRange> forbiddenRanges() {
        List<AddressRange> out = new ArrayList<>();
        int next = 0;
        for (AddressRange a : knownAreas()) {
            if (a.start() > next) {
                out.add(new AddressRange(KIND, next, a.start()));
            }
            next = a.end();
        }
        if (next < 0x10000) {
            out.add(new AddressRange(KIND, next, 0x10000));
        }
        return List.copyOf(out);
    }
}
