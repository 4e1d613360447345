package gateway.driver.luxtronik.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import gateway.core.api.AccessMode;
import gateway.core.api.DataType;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorFlag;

/**
 * The Luxtronik 2.0/2.1 calculations (3004) and the useful parameters (3003) as sensors; address = table index.
 * Source of indices, types and enums: /work/shared/reference/luxtronik-2.1.md §3–§6 (python-luxtronik definitions).
 * Indices with no known meaning are left out; unknown trailing indices of a reply are tolerated by the client.
 */
final class LuxtronikMap {

    /** How a raw int32 (or a run of them) becomes a value. */
    enum Conversion {
        /** raw × scale + offset (temperatures ÷10, pressures ÷100, seconds, counts, Hours2 …). */
        SCALED,
        BOOL,
        ENUM,
        /** {@code span} consecutive 0/1 indices packed into one number, bit i = index address+i. */
        BITFIELD,
        /** kWh/10 with the firmware sign bug corrected (fact sheet §7). */
        HEAT_QUANTITY,
        /** The 4 big-endian bytes of the int32 as a.b.c.d. */
        IPV4,
        /** Unix epoch seconds in controller local time; ≤ 0 means "never". */
        TIMESTAMP,
        /** {@code span} indices each holding one ASCII char (firmware version, calculations 81–90). */
        CHARACTERS,
        /** raw // 100 "." raw % 100. */
        MAJOR_MINOR
    }

    /**
     * One sensor with its decoding.
     *
     * @param visibility the 3005 index that says whether the function exists on this controller, or -1 for always
     */
    record Point(SensorDefinition sensor, Conversion conversion, int span, int visibility) {
        String id() {
            return sensor.id();
        }
    }

    // Visibility indices of optional functions. Not in our fact sheet (it only says 0/1 = visible/not visible):
    // these are python-luxtronik's ID_Visi_Schwimmbad/Kuhlung/Lueftung/MK1/MK2 (unconfirmed). Hiding can be
    // switched off per device with the option hide_invisible=false.
    static final int VIS_POOL = 4;
    static final int VIS_COOLING = 5;
    static final int VIS_VENTILATION = 6;
    static final int VIS_MK1 = 7;
    static final int VIS_MK2 = 8;

    static final String FIRMWARE = "firmware_version";
    /** Heat quantities at or above this raw value carry the firmware sign bug; openHAB subtracts it (fact sheet §7). */
    static final int HEAT_QUANTITY_BUG_OFFSET = 214748364;

    // ---- enumerations (fact sheet §6) ----
    static final Map<Integer, String> MODE_HEATING_DHW = labels(0, "Automatic", 1, "Second heat source", 2, "Party",
            3, "Holidays", 4, "Off");
    static final Map<Integer, String> MODE_COOLING = labels(0, "Off", 1, "Automatic");
    static final Map<Integer, String> MODE_POOL_MIXING = labels(0, "Automatic", 2, "Party", 3, "Holidays", 4, "Off");
    static final Map<Integer, String> MODE_VENTILATION = labels(0, "Automatic", 1, "Party", 2, "Holidays", 3, "Off");
    static final Map<Integer, String> MODE_SOLAR = labels(0, "Automatic", 1, "Second heat source", 2, "Party",
            3, "Holidays", 4, "Off");
    static final Map<Integer, String> TIMER_PROGRAM = labels(0, "Week", 1, "5+2", 2, "Days");
    static final Map<Integer, String> ACCESS_LEVEL = labels(0, "User", 1, "After-sales service", 2, "Manufacturer",
            3, "Installer");
    static final Map<Integer, String> OPERATING_STATE = labels(0, "Heating", 1, "Hot water", 2, "Swimming pool/solar",
            3, "EVU (utility lock)", 4, "Defrost", 5, "No request", 6, "Heating external source", 7, "Cooling");
    static final Map<Integer, String> BIVALENCE = labels(1, "One compressor allowed", 2, "Two compressors allowed",
            3, "Additional heat generator allowed");
    static final Map<Integer, String> STATUS_LINE_1 = labels(0, "Heat pump running", 1, "Idle", 2, "Coming",
            3, "Error slot 0", 4, "Defrost", 5, "Waiting on LIN connection", 6, "Compressor heating up",
            7, "Pump forerun");
    static final Map<Integer, String> STATUS_LINE_2 = labels(0, "Since", 1, "In");
    static final Map<Integer, String> STATUS_LINE_3 = labels(0, "Heating", 1, "No request", 2, "Grid switch-on delay",
            3, "Cycle lock", 4, "Lock time", 5, "Domestic water", 6, "Info bake-out program", 7, "Defrost",
            8, "Pump forerun", 9, "Thermal disinfection", 10, "Cooling", 12, "Pool/solar", 13, "Heating ext. energy",
            14, "DHW ext. energy", 16, "Flow monitoring", 17, "Second heat generator 1 active");
    static final Map<Integer, String> SWITCH_OFF_REASON = labels(0, "Heat pump error", 1, "System error",
            2, "Operation mode 2nd heat generator", 3, "EVU lock", 5, "Air defrost", 6, "Max. usage temperature",
            7, "Min. usage temperature", 8, "Lower usage limit", 9, "No request", 10, "External energy source",
            11, "Flow rate", 12, "Low-pressure pause", 13, "Superheating pause", 14, "Inverter pause",
            15, "Desuperheater pause", 16, "Switch-over", 17, "Other shutdown", 18, "Min. flow cooling",
            19, "PV max", 20, "Hot-gas pause", 21, "Overheating hot-gas pause", 22, "No request",
            23, "Min. heat-source out cooling", 24, "LPC", 25, "Restart");
    static final Map<Integer, String> ERROR_CODE = labels(0, "No error", 700, "Sensor ext. return", 701, "Low pressure",
            702, "Low-pressure blockade", 703, "Frost protection", 704, "Hot gas", 705, "Motor protection",
            706, "Motor protection BSUP", 707, "Coding HP", 708, "Sensor return", 709, "Sensor flow",
            710, "Sensor hot gas", 711, "Sensor outdoor", 712, "Sensor DHW", 713, "Sensor heat-source in",
            714, "Hot gas DHW", 715, "HP switch-off", 716, "High pressure", 717, "Flow rate",
            718, "Max. outdoor temperature", 719, "Min. outdoor temperature", 720, "Min. heat-source temperature",
            721, "LP switch-off", 722, "ΔT heating", 723, "ΔT DHW", 724, "ΔT defrost", 725, "DHW error",
            726, "Sensor MK1", 727, "Brine pressure", 728, "Sensor heat-source out", 729, "Phase sequence",
            730, "Screed-heating capacity", 731, "TDI interruption", 732, "Cooling error", 733, "Anode",
            734, "Anode", 735, "Sensor ext. energy", 736, "Sensor solar collector", 737, "Sensor solar tank",
            738, "Sensor MK2", 739, "Sensor MK3", 750, "Sensor ext. return", 751, "Phase monitoring",
            752, "Power supply/flow", 755, "Slave connection lost", 756, "Master connection lost", 757, "LP block",
            758, "Defrost error");
    // Only the codes the fact sheet names; the "MSW 4…30" range 57–67 is left as numbers (which code is which size
    // is not in the sheet).
    static final Map<Integer, String> HEATPUMP_TYPE = labels(0, "ERC", 1, "SW1", 2, "SW2", 3, "WW1", 4, "WW2", 5, "L1I",
            6, "L2I", 7, "L1A", 8, "L2A", 9, "KSW", 10, "KLW", 11, "SWC", 12, "LWC", 13, "L2G", 14, "WZS",
            41, "LD5", 42, "LD7", 48, "LD9", 55, "LW SEC", 81, "LW 8", 82, "LW 12", 87, "LP5V", 88, "LP8V");
    static final Map<Integer, String> SEC_MODE = labels(0, "Off", 1, "Cooling", 2, "Heating", 3, "Fault",
            4, "Transition", 5, "Defrost", 6, "Waiting", 7, "Waiting", 8, "Transition", 9, "Stop", 10, "Manual",
            11, "Simulation start", 12, "EVU lock");

    private static final List<Point> POINTS = new ArrayList<>();

    static {
        calculations();
        parameters();
    }

    private static void calculations() {
        RegisterKind k = RegisterKind.CALCULATION;
        celsius(k, 10, "temp_flow", "Flow temperature (TVL)");
        celsius(k, 11, "temp_return", "Return temperature (TRL)");
        celsius(k, 12, "temp_return_target", "Return temperature setpoint (heating)");
        celsius(k, 13, "temp_return_external", "External return temperature").flag(SensorFlag.ADVANCED);
        celsius(k, 14, "temp_hot_gas", "Hot-gas temperature (THG)");
        celsius(k, 15, "temp_outdoor", "Outdoor temperature (TA)");
        celsius(k, 16, "temp_outdoor_average", "Averaged outdoor temperature");
        celsius(k, 17, "temp_hot_water", "Hot water temperature (TBW)");
        celsius(k, 18, "temp_hot_water_target", "Hot water setpoint (active)");
        celsius(k, 19, "temp_source_in", "Heat-source inlet temperature (TWE)");
        celsius(k, 20, "temp_source_out", "Heat-source outlet temperature (TWA)");
        celsius(k, 21, "temp_flow_mk1", "Mixing circuit 1 flow temperature").vis(VIS_MK1);
        celsius(k, 22, "temp_flow_target_mk1", "Mixing circuit 1 flow setpoint").vis(VIS_MK1);
        celsius(k, 23, "temp_room_remote", "Room remote station temperature (RFV)").flag(SensorFlag.ADVANCED);
        celsius(k, 24, "temp_flow_mk2", "Mixing circuit 2 flow temperature").vis(VIS_MK2);
        celsius(k, 25, "temp_flow_target_mk2", "Mixing circuit 2 flow setpoint").vis(VIS_MK2);
        celsius(k, 26, "temp_solar_collector", "Solar collector temperature (TSK)").flag(SensorFlag.ADVANCED);
        celsius(k, 27, "temp_solar_storage", "Solar storage temperature (TSS)").flag(SensorFlag.ADVANCED);
        celsius(k, 28, "temp_external_source", "External energy source temperature (TEE)").flag(SensorFlag.ADVANCED);

        String[] inputs = {"ASD", "BWT", "EVU", "HD", "MOT", "ND", "PEX", "SWT"};
        bool(k, 29, "input_asd", "Input ASD (defrost end / brine pressure / flow switch)");
        bool(k, 30, "input_dhw_thermostat", "Input hot water thermostat (BWT)");
        bool(k, 31, "input_evu", "Input EVU utility lock (polarity unconfirmed)");
        bool(k, 32, "input_high_pressure", "Input high-pressure switch (HD)");
        bool(k, 33, "input_motor_protection", "Input motor protection (MOT)");
        bool(k, 34, "input_low_pressure", "Input low-pressure switch (ND)");
        bool(k, 35, "input_pex", "Input PEX").flag(SensorFlag.ADVANCED);
        bool(k, 36, "input_pool_thermostat", "Input pool thermostat (SWT)").vis(VIS_POOL);
        bitfield(k, 29, "digital_inputs", "Digital inputs", inputs);

        String[] outputs = {"AV", "BUP", "HUP", "MA1", "MZ1", "VEN", "VBO", "VD1", "VD2", "ZIP", "ZUP", "ZW1",
            "ZW2/SST", "ZW3/SST", "FP2", "SLP", "SUP", "MZ2", "MA2"};
        bool(k, 37, "output_defrost_valve", "Output defrost valve (AV)");
        bool(k, 38, "output_dhw_pump", "Output hot water pump (BUP)");
        bool(k, 39, "output_heating_pump", "Output heating circulation pump (HUP)");
        bool(k, 40, "output_mixer1_open", "Output mixer 1 open").vis(VIS_MK1);
        bool(k, 41, "output_mixer1_close", "Output mixer 1 close").vis(VIS_MK1);
        bool(k, 42, "output_fan", "Output ventilation/fan (VEN)");
        bool(k, 43, "output_source_pump", "Output brine/well pump (VBO)");
        bool(k, 44, "output_compressor1", "Output compressor 1 (VD1)");
        bool(k, 45, "output_compressor2", "Output compressor 2 (VD2)");
        bool(k, 46, "output_circulation_pump", "Output circulation pump (ZIP)");
        bool(k, 47, "output_aux_pump", "Output auxiliary circulation pump (ZUP)");
        bool(k, 48, "output_second_heater1", "Output 2nd heat generator 1 (ZW1)");
        bool(k, 49, "output_second_heater2", "Output 2nd heat generator 2 / fault signal");
        bool(k, 50, "output_second_heater3", "Output 2nd heat generator 3 / fault signal");
        bool(k, 51, "output_floor_pump2", "Output floor-heating pump 2 (FP2)").vis(VIS_MK2);
        bool(k, 52, "output_solar_pump", "Output solar charge pump (SLP)").flag(SensorFlag.ADVANCED);
        bool(k, 53, "output_pool_pump", "Output pool pump (SUP)").vis(VIS_POOL);
        bool(k, 54, "output_mixer2_close", "Output mixer 2 close").vis(VIS_MK2);
        bool(k, 55, "output_mixer2_open", "Output mixer 2 open").vis(VIS_MK2);
        bitfield(k, 37, "digital_outputs", "Digital outputs", outputs);

        seconds(k, 56, "runtime_compressor1", "Operating time compressor 1");
        count(k, 57, "starts_compressor1", "Starts compressor 1");
        seconds(k, 58, "runtime_compressor2", "Operating time compressor 2");
        count(k, 59, "starts_compressor2", "Starts compressor 2");
        seconds(k, 60, "runtime_second_heater1", "Operating time 2nd heat generator 1");
        seconds(k, 61, "runtime_second_heater2", "Operating time 2nd heat generator 2");
        seconds(k, 62, "runtime_second_heater3", "Operating time 2nd heat generator 3").flag(SensorFlag.ADVANCED);
        seconds(k, 63, "runtime_heatpump", "Operating time heat pump");
        seconds(k, 64, "runtime_heating", "Operating time heating");
        seconds(k, 65, "runtime_hot_water", "Operating time hot water");
        seconds(k, 66, "runtime_cooling", "Operating time cooling").vis(VIS_COOLING);
        seconds(k, 67, "heatpump_running_since", "Heat pump running since");
        seconds(k, 68, "second_heater1_running_since", "2nd heat generator 1 running since").flag(SensorFlag.ADVANCED);
        seconds(k, 69, "second_heater2_running_since", "2nd heat generator 2 running since").flag(SensorFlag.ADVANCED);
        seconds(k, 70, "timer_switch_on_delay", "Switch-on delay timer").flag(SensorFlag.ADVANCED);
        seconds(k, 71, "timer_cycle_lock_off", "Switching-cycle lock off").flag(SensorFlag.ADVANCED);
        seconds(k, 72, "timer_cycle_lock_on", "Switching-cycle lock on").flag(SensorFlag.ADVANCED);
        seconds(k, 73, "compressor_standstill", "Compressor standstill time").flag(SensorFlag.ADVANCED);
        seconds(k, 74, "timer_heating_more", "Heating controller \"more\" time").flag(SensorFlag.ADVANCED);
        seconds(k, 75, "timer_heating_less", "Heating controller \"less\" time").flag(SensorFlag.ADVANCED);
        seconds(k, 76, "timer_thermal_disinfection", "Thermal disinfection timer").flag(SensorFlag.ADVANCED);
        seconds(k, 77, "timer_dhw_lock", "Hot water lock timer").flag(SensorFlag.ADVANCED);
        enumOf(k, 78, "heatpump_type", "Heat pump type", HEATPUMP_TYPE, SensorCategory.INFO);
        enumOf(k, 79, "bivalence_level", "Bivalence level", BIVALENCE, SensorCategory.STATUS);
        enumOf(k, 80, "operating_state", "Operating state", OPERATING_STATE, SensorCategory.STATUS);
        add(k, 81, FIRMWARE, "Firmware version", SensorCategory.INFO, "", DataType.STRING, 1, Conversion.CHARACTERS)
                .span(10);
        ip(k, 91, "ip_address", "IP address");
        ip(k, 92, "subnet_mask", "Subnet mask");
        ip(k, 93, "broadcast_address", "Broadcast address");
        ip(k, 94, "default_gateway", "Default gateway");
        for (int i = 0; i < 5; i++) {
            timestamp(k, 95 + i, "error" + i + "_time", "Error " + i + " time" + (i == 0 ? " (newest)" : ""));
            enumOf(k, 100 + i, "error" + i + "_code", "Error " + i + " code", ERROR_CODE, SensorCategory.ALARM);
        }
        count(k, 105, "error_count", "Number of errors stored");
        for (int i = 0; i < 5; i++) {
            enumOf(k, 106 + i, "switch_off" + i + "_reason", "Switch-off " + i + " reason", SWITCH_OFF_REASON,
                    SensorCategory.STATUS).flag(SensorFlag.ADVANCED);
            timestamp(k, 111 + i, "switch_off" + i + "_time", "Switch-off " + i + " time").flag(SensorFlag.ADVANCED);
        }
        bool(k, 116, "comfort_board", "Comfort board present").category(SensorCategory.INFO);
        enumOf(k, 117, "status_line_1", "Status line 1", STATUS_LINE_1, SensorCategory.STATUS);
        enumOf(k, 118, "status_line_2", "Status line 2", STATUS_LINE_2, SensorCategory.STATUS);
        enumOf(k, 119, "status_line_3", "Status line 3", STATUS_LINE_3, SensorCategory.STATUS);
        seconds(k, 120, "status_time", "Status time");
        count(k, 121, "screed_drying_stage", "Screed-drying (AHP) stage").flag(SensorFlag.ADVANCED);
        celsius(k, 122, "screed_drying_temp", "Screed-drying temperature").flag(SensorFlag.ADVANCED);
        seconds(k, 123, "screed_drying_time", "Screed-drying time").flag(SensorFlag.ADVANCED);
        timestamp(k, 134, "controller_time", "Controller time");
        celsius(k, 136, "temp_flow_target_mk3", "Mixing circuit 3 flow setpoint").flag(SensorFlag.ADVANCED);
        celsius(k, 137, "temp_flow_mk3", "Mixing circuit 3 flow temperature").flag(SensorFlag.ADVANCED);
        bool(k, 138, "output_mixer3_close", "Output mixer 3 close").flag(SensorFlag.ADVANCED);
        bool(k, 139, "output_mixer3_open", "Output mixer 3 open").flag(SensorFlag.ADVANCED);
        bool(k, 140, "output_floor_pump3", "Output floor-heating pump 3 (FP3)").flag(SensorFlag.ADVANCED);
        seconds(k, 141, "defrost_in", "Defrost-in time").flag(SensorFlag.ADVANCED);
        celsius(k, 142, "temp_room_remote2", "Room remote station 2 temperature").flag(SensorFlag.ADVANCED);
        celsius(k, 143, "temp_room_remote3", "Room remote station 3 temperature").flag(SensorFlag.ADVANCED);
        bool(k, 146, "cooling_released", "Cooling released").vis(VIS_COOLING);
        scaled(k, 147, "analog_in", "Analog input", SensorCategory.OTHER, "V", 0.1).flag(SensorFlag.ADVANCED);
        heatQuantity(k, 151, "heat_quantity_heating", "Heat quantity heating");
        heatQuantity(k, 152, "heat_quantity_hot_water", "Heat quantity hot water");
        heatQuantity(k, 153, "heat_quantity_pool", "Heat quantity pool").vis(VIS_POOL);
        heatQuantity(k, 154, "heat_quantity_total", "Heat quantity total since reset");
        scaled(k, 155, "flow_rate_heat_meter", "Flow rate (heat meter)", SensorCategory.FLOW, "l/h", 1);
        scaled(k, 156, "analog_out1", "Analog output 1", SensorCategory.OTHER, "V", 0.1).flag(SensorFlag.ADVANCED);
        scaled(k, 157, "analog_out2", "Analog output 2", SensorCategory.OTHER, "V", 0.1).flag(SensorFlag.ADVANCED);
        seconds(k, 158, "hot_gas_time", "Hot-gas time").flag(SensorFlag.ADVANCED);
        celsius(k, 159, "temp_ventilation_supply", "Ventilation supply air").vis(VIS_VENTILATION);
        celsius(k, 160, "temp_ventilation_exhaust", "Ventilation exhaust air").vis(VIS_VENTILATION);
        seconds(k, 161, "runtime_solar", "Operating time solar").flag(SensorFlag.ADVANCED);
        scaled(k, 162, "analog_out3", "Analog output 3", SensorCategory.OTHER, "V", 0.1).flag(SensorFlag.ADVANCED);
        scaled(k, 163, "analog_out4", "Analog output 4", SensorCategory.OTHER, "V", 0.1).flag(SensorFlag.ADVANCED);
        scaled(k, 164, "output_vzu", "Output VZU", SensorCategory.OTHER, "V", 0.1).flag(SensorFlag.ADVANCED);
        scaled(k, 165, "output_vab", "Output VAB", SensorCategory.OTHER, "V", 0.1).flag(SensorFlag.ADVANCED);
        bool(k, 166, "output_vsk", "Output VSK").flag(SensorFlag.ADVANCED);
        bool(k, 167, "output_frh", "Output FRH").flag(SensorFlag.ADVANCED);
        scaled(k, 168, "analog_in2", "Analog input 2", SensorCategory.OTHER, "V", 0.1).flag(SensorFlag.ADVANCED);
        scaled(k, 169, "analog_in3", "Analog input 3", SensorCategory.OTHER, "V", 0.1).flag(SensorFlag.ADVANCED);
        bool(k, 170, "input_sax", "Input SAX").flag(SensorFlag.ADVANCED);
        bool(k, 171, "input_spl", "Input SPL").flag(SensorFlag.ADVANCED);
        bool(k, 172, "compact_exists", "Compact board present").category(SensorCategory.INFO).flag(SensorFlag.ADVANCED);
        scaled(k, 173, "flow_rate_source", "Flow rate heat source", SensorCategory.FLOW, "l/h", 1);
        bool(k, 174, "lin_exists", "LIN bus present").category(SensorCategory.INFO).flag(SensorFlag.ADVANCED);
        celsius(k, 175, "temp_suction_evaporator", "Suction temperature evaporator");
        celsius(k, 176, "temp_suction_compressor", "Suction temperature compressor");
        celsius(k, 177, "temp_compressor_heating", "Compressor heating temperature (VDH)").flag(SensorFlag.ADVANCED);
        kelvin(k, 178, "superheat", "Superheat");
        kelvin(k, 179, "superheat_target", "Superheat setpoint");
        pressure(k, 180, "pressure_high", "High pressure");
        pressure(k, 181, "pressure_low", "Low pressure");
        bool(k, 182, "output_compressor_heating", "Compressor heating output").flag(SensorFlag.ADVANCED);
        scaled(k, 183, "heating_pump_pwm", "Heating circulation pump PWM", SensorCategory.PERCENT, "%", 1);
        scaled(k, 184, "fan_speed", "Fan speed", SensorCategory.FREQUENCY, "rpm", 1);
        bool(k, 186, "safety_temperature_limiter", "Safety temperature limiter (STB)").flag(SensorFlag.ADVANCED);
        // Typed "Energy" (kWh/10) by python-luxtronik although the name says output; kept as the sheet says.
        scaled(k, 187, "sec_heat_output_target", "SEC heat output setpoint", SensorCategory.ENERGY, "kWh", 0.1)
                .flag(SensorFlag.ADVANCED);
        scaled(k, 188, "sec_heat_output", "SEC heat output actual", SensorCategory.ENERGY, "kWh", 0.1)
                .flag(SensorFlag.ADVANCED);
        celsius(k, 189, "sec_flow_target", "SEC flow setpoint").flag(SensorFlag.ADVANCED);
        enumOf(k, 191, "sec_operating_mode", "SEC operating mode", SEC_MODE, SensorCategory.STATUS)
                .flag(SensorFlag.ADVANCED);
        scaled(k, 193, "sec_compressor_speed", "SEC compressor speed", SensorCategory.FREQUENCY, "rpm", 1)
                .flag(SensorFlag.ADVANCED);
        scaled(k, 202, "sec_inverter_voltage", "SEC inverter voltage", SensorCategory.OTHER, "V", 0.1)
                .flag(SensorFlag.ADVANCED);
        celsius(k, 203, "temp_hot_gas_2", "Hot-gas temperature (2nd refrigerant circuit)").flag(SensorFlag.ADVANCED);
        celsius(k, 204, "temp_source_in_2", "Heat-source inlet (2nd circuit)").flag(SensorFlag.ADVANCED);
        pressure(k, 210, "pressure_high_2", "High pressure (2nd circuit)").flag(SensorFlag.ADVANCED);
        pressure(k, 211, "pressure_low_2", "Low pressure (2nd circuit)").flag(SensorFlag.ADVANCED);
        celsius(k, 227, "temp_room", "Room temperature (RBE room unit)");
        celsius(k, 228, "temp_room_target", "Room temperature setpoint (RBE)");
        celsius(k, 229, "temp_hot_water_top", "Hot water temperature top").flag(SensorFlag.ADVANCED);
        scaled(k, 231, "compressor_frequency", "Compressor frequency", SensorCategory.FREQUENCY, "Hz", 1);
        celsius(k, 232, "temp_vaporisation", "Vaporisation temperature");
        celsius(k, 233, "temp_liquefaction", "Liquefaction temperature");
        scaled(k, 236, "compressor_frequency_target", "Compressor frequency setpoint", SensorCategory.FREQUENCY,
                "Hz", 1).flag(SensorFlag.ADVANCED);
        scaled(k, 237, "compressor_frequency_min", "Compressor frequency min", SensorCategory.FREQUENCY, "Hz", 1)
                .flag(SensorFlag.ADVANCED);
        scaled(k, 238, "compressor_frequency_max", "Compressor frequency max", SensorCategory.FREQUENCY, "Hz", 1)
                .flag(SensorFlag.ADVANCED);
        kelvin(k, 239, "source_spread_target", "Heat-source (VBO) spread setpoint").flag(SensorFlag.ADVANCED);
        kelvin(k, 240, "source_spread", "Heat-source (VBO) spread actual");
        scaled(k, 241, "circulation_pump_pwm", "Heating circulation pump PWM (2)", SensorCategory.PERCENT, "%", 1)
                .flag(SensorFlag.ADVANCED);
        kelvin(k, 242, "heating_spread_target", "Heating (HUP) spread setpoint").flag(SensorFlag.ADVANCED);
        kelvin(k, 243, "heating_spread", "Heating (HUP) spread actual");
        scaled(k, 254, "flow_rate", "Flow rate", SensorCategory.FLOW, "l/h", 1);
        scaled(k, 257, "heat_output", "Heat output (thermal power)", SensorCategory.POWER, "W", 1);
        add(k, 258, "rbe_version", "RBE room unit version", SensorCategory.INFO, "", DataType.STRING, 1,
                Conversion.MAJOR_MINOR).flag(SensorFlag.ADVANCED);
        celsius(k, 267, "temp_room_desired", "Desired room temperature").flag(SensorFlag.ADVANCED);
        scaled(k, 268, "electrical_power", "Electrical power input", SensorCategory.POWER, "W", 1);
    }

    private static void parameters() {
        RegisterKind p = RegisterKind.PARAMETER;
        // Writable: the allow-list. Ranges and steps are the gateway's own safety limits (the fact sheet gives none).
        celsius(p, 1, "heating_curve_offset", "Heating curve correction (Temperature +/-)").setpoint()
                .writable(-5, 5, 0.5);
        celsius(p, 2, "hot_water_target_alt", "Hot water setpoint (older index, see hot_water_target)")
                .setpoint().flag(SensorFlag.ADVANCED);
        enumOf(p, 3, "heating_mode", "Heating operating mode", MODE_HEATING_DHW, SensorCategory.MODE).writable(0, 4, 1.0);
        enumOf(p, 4, "hot_water_mode", "Hot water operating mode", MODE_HEATING_DHW, SensorCategory.MODE)
                .writable(0, 4, 1.0);
        celsius(p, 11, "heating_curve_end_point", "Heating curve end point (HK)").setpoint().writable(20, 70, 0.5);
        celsius(p, 12, "heating_curve_parallel_shift", "Heating curve parallel shift (HK)").setpoint()
                .writable(5, 35, 0.5);
        celsius(p, 13, "heating_night_setback", "Heating night setback (HK)").setpoint();
        celsius(p, 14, "mk1_curve_end_point", "MK1 heating curve end point").setpoint().vis(VIS_MK1)
                .writable(20, 70, 0.5);
        celsius(p, 15, "mk1_curve_parallel_shift", "MK1 heating curve parallel shift").setpoint().vis(VIS_MK1)
                .writable(5, 35, 0.5);
        celsius(p, 16, "mk1_night_setback", "MK1 night setback").setpoint().vis(VIS_MK1);
        celsius(p, 47, "thermal_disinfection_temp", "Thermal disinfection temperature").setpoint();
        kelvin(p, 74, "hot_water_hysteresis", "Hot water hysteresis").setpoint();
        celsius(p, 79, "return_target_fixed", "Return setpoint for fixed-value mode").setpoint();
        kelvin(p, 88, "heating_hysteresis", "Heating hysteresis (return)").setpoint();
        kelvin(p, 89, "return_increase_max", "Max. return temperature increase").setpoint().flag(SensorFlag.ADVANCED);
        celsius(p, 90, "second_heater_release_temp", "2nd heat generator release temperature").setpoint();
        celsius(p, 105, "hot_water_target", "Hot water target temperature").setpoint().writable(30, 65, 0.5);
        enumOf(p, 107, "access_level", "Access level", ACCESS_LEVEL, SensorCategory.INFO).flag(SensorFlag.ADVANCED);
        enumOf(p, 108, "cooling_mode", "Cooling operating mode", MODE_COOLING, SensorCategory.MODE).vis(VIS_COOLING)
                .writable(0, 1, 1.0);
        celsius(p, 110, "cooling_release_temp", "Cooling release outdoor temperature").setpoint().vis(VIS_COOLING)
                .writable(10, 45, 0.5);
        celsius(p, 111, "outdoor_temp_min", "Min. outdoor temperature (TAbsMin)").setpoint().flag(SensorFlag.ADVANCED);
        enumOf(p, 119, "pool_mode", "Pool operating mode", MODE_POOL_MIXING, SensorCategory.MODE).vis(VIS_POOL);
        celsius(p, 124, "tdc_max_temp", "Max. temperature TDC").setpoint().flag(SensorFlag.ADVANCED);
        celsius(p, 132, "cooling_target_mk1", "Cooling setpoint MK1").setpoint().vis(VIS_COOLING);
        celsius(p, 133, "cooling_target_mk2", "Cooling setpoint MK2").setpoint().vis(VIS_COOLING);
        celsius(p, 134, "cooling_outdoor_diff_mk1", "Cooling outdoor-temperature difference MK1").setpoint()
                .vis(VIS_COOLING);
        celsius(p, 135, "cooling_outdoor_diff_mk2", "Cooling outdoor-temperature difference MK2").setpoint()
                .vis(VIS_COOLING);
        celsius(p, 141, "mk2_curve_end_point", "MK2 heating curve end point").setpoint().vis(VIS_MK2)
                .writable(20, 70, 0.5);
        celsius(p, 142, "mk2_curve_parallel_shift", "MK2 heating curve parallel shift").setpoint().vis(VIS_MK2)
                .writable(5, 35, 0.5);
        celsius(p, 143, "mk2_night_setback", "MK2 night setback").setpoint().vis(VIS_MK2);
        enumOf(p, 222, "heating_timer_program", "Heating timer program", TIMER_PROGRAM, SensorCategory.MODE)
                .flag(SensorFlag.ADVANCED);
        enumOf(p, 405, "hot_water_timer_program", "Hot water timer program", TIMER_PROGRAM, SensorCategory.MODE)
                .flag(SensorFlag.ADVANCED);
        enumOf(p, 506, "circulation_timer_program", "Circulation timer program", TIMER_PROGRAM, SensorCategory.MODE)
                .flag(SensorFlag.ADVANCED);
        seconds(p, 668, "runtime_heatpump_param", "Operating time heat pump (parameter)").flag(SensorFlag.ADVANCED);
        seconds(p, 669, "runtime_compressor1_param", "Operating time compressor 1 (parameter)")
                .flag(SensorFlag.ADVANCED);
        count(p, 674, "starts_compressor1_param", "Starts compressor 1 (parameter)").flag(SensorFlag.ADVANCED);
        enumOf(p, 695, "mk1_mode", "Mixing circuit 1 mode", MODE_POOL_MIXING, SensorCategory.MODE).vis(VIS_MK1);
        enumOf(p, 696, "mk2_mode", "Mixing circuit 2 mode", MODE_POOL_MIXING, SensorCategory.MODE).vis(VIS_MK2);
        celsius(p, 700, "heating_limit_temp", "Heating limit temperature").setpoint();
        celsius(p, 774, "mk3_curve_end_point", "MK3 heating curve end point").setpoint().flag(SensorFlag.ADVANCED);
        celsius(p, 775, "mk3_curve_parallel_shift", "MK3 heating curve parallel shift").setpoint()
                .flag(SensorFlag.ADVANCED);
        celsius(p, 776, "mk3_night_setback", "MK3 night setback").setpoint().flag(SensorFlag.ADVANCED);
        enumOf(p, 779, "mk3_mode", "Mixing circuit 3 mode", MODE_POOL_MIXING, SensorCategory.MODE)
                .flag(SensorFlag.ADVANCED);
        scaled(p, 850, "cooling_switch_on_delay", "Cooling switch-on delay", SensorCategory.TIME, "h", 0.1)
                .vis(VIS_COOLING);
        scaled(p, 851, "cooling_switch_off_delay", "Cooling switch-off delay", SensorCategory.TIME, "h", 0.1)
                .vis(VIS_COOLING);
        // The sign bug is documented for calculations 151–154 only; parameter heat quantities are taken as they come.
        scaled(p, 852, "heat_quantity_total_param", "Heat quantity total since (parameter)", SensorCategory.ENERGY,
                "kWh", 0.1).flag(SensorFlag.ADVANCED);
        scaled(p, 854, "heat_quantity_heating_param", "Heat quantity heating (parameter)", SensorCategory.ENERGY,
                "kWh", 0.1).flag(SensorFlag.ADVANCED);
        scaled(p, 864, "pump_run_on_time", "Pump run-on time", SensorCategory.TIME, "min", 1).flag(SensorFlag.ADVANCED);
        scaled(p, 878, "heat_quantity_hot_water_param", "Heat quantity hot water (parameter)", SensorCategory.ENERGY,
                "kWh", 0.1).flag(SensorFlag.ADVANCED);
        scaled(p, 879, "heat_quantity_pool_param", "Heat quantity pool (parameter)", SensorCategory.ENERGY, "kWh", 0.1)
                .vis(VIS_POOL).flag(SensorFlag.ADVANCED);
        enumOf(p, 881, "solar_mode", "Solar mode", MODE_SOLAR, SensorCategory.MODE).flag(SensorFlag.ADVANCED);
        enumOf(p, 894, "ventilation_mode", "Ventilation mode", MODE_VENTILATION, SensorCategory.MODE)
                .vis(VIS_VENTILATION);
        celsius(p, 966, "cooling_target_mk3", "Cooling setpoint MK3").setpoint().flag(SensorFlag.ADVANCED);
        celsius(p, 967, "cooling_outdoor_diff_mk3", "Cooling outdoor-temperature difference MK3").setpoint()
                .flag(SensorFlag.ADVANCED);
        celsius(p, 979, "return_target_min", "Min. return setpoint").setpoint();
        scaled(p, 992, "second_heater_release_delay", "2nd heat generator release delay", SensorCategory.TIME, "min", 1)
                .flag(SensorFlag.ADVANCED);
        bool(p, 994, "hot_water_post_heating", "Hot water post-heating with 2nd heat generator")
                .category(SensorCategory.MODE);
        // Hours2: 1 + raw/2 h (fact sheet §3)
        scaled(p, 1020, "hot_water_post_heating_max", "Hot water post-heating max. duration", SensorCategory.TIME,
                "h", 0.5).offset(1).flag(SensorFlag.ADVANCED);
        scaled(p, 1059, "heat_quantity_second_heater", "Heat quantity 2nd heat generator", SensorCategory.ENERGY,
                "kWh", 0.1);
        // OnOffMode: the sheet names no values; read as on/off.
        bool(p, 1087, "silent_mode", "Silent mode").category(SensorCategory.MODE);
        scaled(p, 1136, "energy_input_heating", "Electrical energy input heating", SensorCategory.ENERGY, "kWh", 0.1);
        scaled(p, 1137, "energy_input_hot_water", "Electrical energy input hot water", SensorCategory.ENERGY, "kWh",
                0.1);
        scaled(p, 1139, "energy_input_cooling", "Electrical energy input cooling", SensorCategory.ENERGY, "kWh", 0.1)
                .vis(VIS_COOLING);
        celsius(p, 1148, "heating_target_room_thermostat", "Heating target temperature (room thermostat)").setpoint()
                .flag(SensorFlag.ADVANCED);
    }

    private static final List<Point> FROZEN;
    private static final Map<String, Point> BY_ID;

    static {
        Map<String, Point> byId = new LinkedHashMap<>();
        for (Point p : POINTS) {
            if (byId.put(p.id(), p) != null) {
                throw new IllegalStateException("duplicate sensor id " + p.id());
            }
        }
        FROZEN = Collections.unmodifiableList(new ArrayList<>(POINTS));
        BY_ID = Collections.unmodifiableMap(byId);
    }

    private LuxtronikMap() {
    }

    static List<Point> points() {
        return FROZEN;
    }

    static List<SensorDefinition> sensors() {
        return FROZEN.stream().map(Point::sensor).toList();
    }

    static Optional<Point> point(String sensorId) {
        return Optional.ofNullable(BY_ID.get(sensorId));
    }

    /** The write allow-list: the parameters marked writable above. */
    static boolean allowListed(SensorDefinition sensor) {
        Point p = BY_ID.get(sensor.id());
        return p != null && p.sensor().registerKind() == RegisterKind.PARAMETER && p.sensor().writable()
                && p.sensor().address() == sensor.address();
    }

    // ---- table helpers ----

    /** A row under construction; it replaces its own entry in POINTS on every change. */
    private static final class Row {
        private final int position;
        private final SensorDefinition.Builder builder;
        private final Conversion conversion;
        private int span = 1;
        private int visibility = -1;

        Row(SensorDefinition.Builder builder, Conversion conversion) {
            this.builder = builder;
            this.conversion = conversion;
            this.position = POINTS.size();
            POINTS.add(null);
            commit();
        }

        private Row commit() {
            POINTS.set(position, new Point(builder.build(), conversion, span, visibility));
            return this;
        }

        Row flag(SensorFlag f) { builder.flag(f); return commit(); }
        Row category(SensorCategory c) { builder.category(c); return commit(); }
        Row vis(int index) { visibility = index; return commit(); }
        Row span(int n) { span = n; return commit(); }
        Row offset(double o) { builder.offset(o); return commit(); }
        Row setpoint() { builder.category(SensorCategory.SETPOINT); return commit(); }

        Row writable(double min, double max, double step) {
            builder.access(AccessMode.READ_WRITE).range(min, max).step(step).flag(SensorFlag.EEPROM,
                    SensorFlag.NO_CYCLIC_WRITE).description("Persistent controller setting; written only when it "
                    + "changes. Refused on firmware *.90.* (the controller reboots on every parameter write).");
            return commit();
        }
    }

    private static Row add(RegisterKind kind, int index, String id, String name, SensorCategory category, String unit,
                           DataType type, double scale, Conversion conversion) {
        return new Row(SensorDefinition.builder(id).name(name).category(category).unit(unit).type(type)
                .access(AccessMode.READ_ONLY).kind(kind).address(index).scale(scale), conversion);
    }

    private static Row celsius(RegisterKind k, int i, String id, String name) {
        return add(k, i, id, name, SensorCategory.TEMPERATURE, "°C", DataType.INT32, 0.1, Conversion.SCALED);
    }

    private static Row kelvin(RegisterKind k, int i, String id, String name) {
        return add(k, i, id, name, SensorCategory.TEMPERATURE, "K", DataType.INT32, 0.1, Conversion.SCALED);
    }

    private static Row pressure(RegisterKind k, int i, String id, String name) {
        return add(k, i, id, name, SensorCategory.PRESSURE, "bar", DataType.INT32, 0.01, Conversion.SCALED);
    }

    private static Row seconds(RegisterKind k, int i, String id, String name) {
        return add(k, i, id, name, SensorCategory.TIME, "s", DataType.INT32, 1, Conversion.SCALED);
    }

    private static Row count(RegisterKind k, int i, String id, String name) {
        return add(k, i, id, name, SensorCategory.COUNTER, "", DataType.INT32, 1, Conversion.SCALED);
    }

    private static Row scaled(RegisterKind k, int i, String id, String name, SensorCategory c, String unit, double s) {
        return add(k, i, id, name, c, unit, DataType.INT32, s, Conversion.SCALED);
    }

    private static Row bool(RegisterKind k, int i, String id, String name) {
        return add(k, i, id, name, SensorCategory.BINARY, "", DataType.BOOL, 1, Conversion.BOOL);
    }

    private static Row heatQuantity(RegisterKind k, int i, String id, String name) {
        return add(k, i, id, name, SensorCategory.ENERGY, "kWh", DataType.INT32, 0.1, Conversion.HEAT_QUANTITY);
    }

    private static Row ip(RegisterKind k, int i, String id, String name) {
        return add(k, i, id, name, SensorCategory.INFO, "", DataType.STRING, 1, Conversion.IPV4)
                .flag(SensorFlag.ADVANCED);
    }

    private static Row timestamp(RegisterKind k, int i, String id, String name) {
        return add(k, i, id, name, SensorCategory.TIME, "", DataType.INT32, 1, Conversion.TIMESTAMP);
    }

    private static Row enumOf(RegisterKind k, int i, String id, String name, Map<Integer, String> values,
                              SensorCategory category) {
        Row row = add(k, i, id, name, category, "", DataType.ENUM, 1, Conversion.ENUM);
        row.builder.enumValues(values);
        return row.commit();
    }

    private static Row bitfield(RegisterKind k, int first, String id, String name, String[] labels) {
        Row row = add(k, first, id, name, SensorCategory.STATUS, "", DataType.BITFIELD, 1, Conversion.BITFIELD);
        for (int bit = 0; bit < labels.length; bit++) {
            row.builder.enumValue(1 << bit, labels[bit]);
        }
        row.span = labels.length;
        return row.commit();
    }

    private static Map<Integer, String> labels(Object... pairs) {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((Integer) pairs[i], (String) pairs[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
