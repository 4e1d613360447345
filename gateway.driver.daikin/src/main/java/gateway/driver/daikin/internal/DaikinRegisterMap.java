package gateway.driver.daikin.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * Daikin Altherma register tables (source: ../shared/reference/daikin-altherma-modbus.md). Daikin documents
 * 1-based register numbers; on the wire the address is number − 1, done once in {@link #in}/{@link #hold}.
 *
 * <p>Every register is INT16. Temperatures in input registers are ÷100; holding setpoints on Altherma 3 are whole
 * °C. 32767 (unsupported), 32766 (unavailable) and 32765 (wait) are sentinels on every register.
 *
 * <p>Writes: Altherma 4 only acts on <em>changes</em> (Daikin), and the Home Hub forwards settings to the unit, so
 * every writable register is flagged {@link SensorFlag#EEPROM}: the manager sends it only when the requested value
 * differs from what the device reports.
 */
public final class DaikinRegisterMap {

    public static final String MAIN = "main";
    public static final String ADDITIONAL = "additional";
    public static final List<String> CIRCUITS = List.of(MAIN, ADDITIONAL);

    /** 32767 unsupported, 32766 unavailable (e.g. no additional zone), 32765 wait for value (Domoticz PR #6891). */
    public static final long[] SENTINELS = {32767, 32766, 32765};

    /**
     * Holding register 60 (wire 59) is never read: the EKRHH serves 1–60 and 61+ as separate blocks (gerione splits
     * there; Domoticz reads 1–60 only), and register 60 is used by no implementation. Forbidding it keeps the planner
     * from ever crossing the 60|61 boundary.
     */
    public static final AddressRange HOLDING_BLOCK_BOUNDARY = AddressRange.of(RegisterKind.HOLDING, 59, 59);
    /** Gaps inside the proven block reads (e.g. holding 14–52) are read through, as the implementations do. */
    public static final int MAX_GAP = 40;

    private static final String CHANGE_BASED = "Change-based: sent only when it differs from the device's value.";

    private DaikinRegisterMap() {
    }

    public static ModbusDeviceProfile profile(DaikinModel model) {
        // no 32-bit values in this map; FC06 single writes as gerione and Domoticz send them
        return new ModbusDeviceProfile(WordOrder.HIGH_WORD_FIRST, WordOrder.HIGH_WORD_FIRST, model.maxBlock(), MAX_GAP,
                List.of(HOLDING_BLOCK_BOUNDARY), true);
    }

    public static List<SensorDefinition> sensors(DaikinModel model, DeviceConfig config) {
        boolean additional = config.circuits().contains(ADDITIONAL);
        List<SensorDefinition> out = new ArrayList<>();
        commonInputs(out, additional);
        if (model == DaikinModel.ALTHERMA_3_EKRHH) {
            altherma3Holding(out, additional);
        } else {
            altherma4Inputs(out, additional);
            altherma4Holding(out, additional);
            altherma4Bits(out, additional);
        }
        return List.copyOf(out);
    }

    /** Input registers 21–61, the same on both models. */
    private static void commonInputs(List<SensorDefinition> out, boolean additional) {
        out.add(in("unit_error", "Unit error", 21, 1, "", SensorCategory.ALARM)
                .type(DataType.ENUM).enumValues(enums(0, "No error", 1, "Error", 2, "Warning")).build());
        // TEXT16: two ASCII characters, high byte first ("U4")
        out.add(in("unit_error_code", "Unit error code", 22, 1, "", SensorCategory.ALARM).type(DataType.STRING).build());
        // here 32766 is not "unavailable" but "no error" (gerione treats the unit healthy when it reads 32766)
        out.add(in("unit_error_sub_code", "Unit error sub code", 23, 1, "", SensorCategory.ALARM).type(DataType.ENUM)
                .clearInvalid().invalid(32767, 32765).enumValue(32766, "No error").build());
        out.add(binary("circulation_pump_running", "Circulation pump running", 30));
        out.add(binary("compressor_running", "Compressor running", 31));
        out.add(binary("booster_heater_running", "Booster heater running", 32));
        out.add(binary("disinfection_running", "Disinfection operation", 33));
        out.add(binary("defrost", "Defrost / startup", 35));
        out.add(binary("hot_start", "Hot start", 36));
        out.add(in("three_way_valve", "3-way valve", 37, 1, "", SensorCategory.STATUS).type(DataType.ENUM)
                .enumValues(enums(0, "Space heating", 1, "Hot water")).build());
        // 0 is "Auto" in gerione and "Off" in joklee: left unlabelled
        out.add(in("operation_mode_actual", "Operation mode (actual)", 38, 1, "", SensorCategory.MODE).type(DataType.ENUM)
                .enumValues(enums(1, "Heating", 2, "Cooling")).build());
        out.add(temp("temp_leaving_water_phe", "Leaving water temperature (PHE)", 40));
        out.add(temp("temp_leaving_water_buh", "Leaving water temperature (after backup heater)", 41));
        out.add(temp("temp_return_water", "Return water temperature", 42));
        out.add(temp("temp_hot_water", "DHW temperature", 43));
        out.add(temp("temp_outdoor", "Outside air temperature", 44));
        out.add(temp("temp_liquid_refrigerant", "Liquid refrigerant temperature", 45));
        out.add(in("flow_rate", "Flow rate", 49, 100, "l/min", SensorCategory.FLOW).build());
        out.add(temp("temp_room", "Remote controller room temperature", 50));
        out.add(in("power_consumption", "Heat pump power consumption", 51, 100, "kW", SensorCategory.POWER).build());
        out.add(in("hot_water_operation", "DHW normal operation", 52, 1, "", SensorCategory.STATUS).type(DataType.ENUM)
                .enumValues(enums(0, "Idle/buffering", 1, "Operation")).build());
        out.add(in("space_operation", "Space heating/cooling normal operation", 53, 1, "", SensorCategory.STATUS)
                .type(DataType.ENUM).enumValues(enums(0, "Idle/buffering", 1, "Operation")).build());
        out.add(temp("lw_heating_setpoint_min", "LW main heating setpoint lower limit", 54));
        out.add(temp("lw_heating_setpoint_max", "LW main heating setpoint upper limit", 55));
        out.add(temp("lw_cooling_setpoint_min", "LW main cooling setpoint lower limit", 56));
        out.add(temp("lw_cooling_setpoint_max", "LW main cooling setpoint upper limit", 57));
        if (additional) {
            out.add(addZone(temp("lw_add_heating_setpoint_min", "LW additional zone heating setpoint lower limit", 58)));
            out.add(addZone(temp("lw_add_heating_setpoint_max", "LW additional zone heating setpoint upper limit", 59)));
            out.add(addZone(temp("lw_add_cooling_setpoint_min", "LW additional zone cooling setpoint lower limit", 60)));
            out.add(addZone(temp("lw_add_cooling_setpoint_max", "LW additional zone cooling setpoint upper limit", 61)));
        }
    }

    /** Altherma 3 / EKRHH holding registers (FC03 read, FC06 write); setpoints whole °C. */
    private static void altherma3Holding(List<SensorDefinition> out, boolean additional) {
        out.add(setpoint("lw_heating_setpoint", "Leaving water main heating setpoint", 1, 1, 12, 65));
        out.add(setpoint("lw_cooling_setpoint", "Leaving water main cooling setpoint", 2, 1, 5, 30));
        out.add(mode("operation_mode", "Operation mode", 3, enums(0, "Auto", 1, "Heating", 2, "Cooling")));
        out.add(mode("space_on", "Space heating/cooling on/off", 4, enums(0, "Off", 1, "On")));
        out.add(setpoint("room_heating_setpoint", "Room thermostat heating setpoint", 6, 1, 12, 30));
        out.add(setpoint("room_cooling_setpoint", "Room thermostat cooling setpoint", 7, 1, 15, 35));
        out.add(mode("quiet_mode", "Quiet mode", 9, enums(0, "Off", 1, "On (automatic)", 2, "On (manual)")));
        out.add(setpoint("hot_water_setpoint", "DHW reheat setpoint", 10, 1, 30, 60));
        out.add(mode("hot_water_reheat", "DHW reheat on/off", 12, enums(0, "Off", 1, "On")));
        out.add(mode("hot_water_booster", "DHW booster (powerful) on/off", 13, enums(0, "Off", 1, "On")));
        out.add(mode("weather_dependent_mode", "Weather-dependent mode main", 53, enums(0, "Fixed", 1, "Weather-dependent",
                2, "Fixed + scheduled", 3, "Weather-dependent + scheduled")));
        out.add(offset("wd_heating_offset", "WD main LWT heating setpoint offset", 54));
        out.add(offset("wd_cooling_offset", "WD main LWT cooling setpoint offset", 55));
        out.add(mode("smart_grid_mode", "Smart grid operation mode", 56, smartGrid()));
        out.add(setpoint("power_limit_recommended", "Power limit during \"recommended on\" / buffering", 57, 100, 0, 20)
                .toBuilder().unit("kW").category(SensorCategory.POWER).build());
        out.add(setpoint("power_limit", "General power limit", 58, 100, 0, 20)
                .toBuilder().unit("kW").category(SensorCategory.POWER).build());
        out.add(mode("thermostat_input_main", "Thermostat main input A", 59, enums(0, "Off", 1, "On")));
        if (additional) {
            out.add(addZone(mode("thermostat_input_add", "Thermostat additional input A", 61, enums(0, "Off", 1, "On"))));
            out.add(addZone(setpoint("lw_add_heating_setpoint", "LW additional heating setpoint", 63, 1, 12, 65)));
            out.add(addZone(setpoint("lw_add_cooling_setpoint", "LW additional cooling setpoint", 64, 1, 5, 30)));
            out.add(addZone(mode("weather_dependent_mode_add", "Weather-dependent mode additional", 65,
                    enums(0, "Fixed", 1, "Weather-dependent", 2, "Fixed + scheduled", 3, "Weather-dependent + scheduled"))));
            out.add(addZone(offset("wd_add_heating_offset", "WD additional LWT heating offset", 66)));
            out.add(addZone(offset("wd_add_cooling_offset", "WD additional LWT cooling offset", 67)));
        }
    }

    /** Altherma 4's extra input registers 63–87. */
    private static void altherma4Inputs(List<SensorDefinition> out, boolean additional) {
        out.add(in("disinfection_state", "Disinfection state", 63, 1, "", SensorCategory.STATUS).type(DataType.ENUM)
                .enumValues(enums(0, "Unsuccessful", 1, "Successful", 2, "Maintain", 3, "Heat-up")).build());
        out.add(binary("holiday_mode", "Holiday mode", 64));
        out.add(in("demand_response_mode", "Demand response mode", 65, 1, "", SensorCategory.MODE).type(DataType.ENUM)
                .enumValues(enums(0, "Free", 1, "Forced off", 2, "Forced on", 3, "Recommended on", 4, "Reduced")).build());
        out.add(in("bypass_valve_position", "Bypass valve position", 66, 1, "%", SensorCategory.PERCENT).build());
        out.add(in("tank_valve_position", "Tank valve position", 67, 1, "%", SensorCategory.PERCENT).build());
        out.add(in("circulation_pump_speed", "Circulation pump speed", 68, 1, "", SensorCategory.OTHER)
                .description("unit unclear (joklee: l/min)").build());
        out.add(in("mixed_pump_pwm", "Mixed pump PWM (mixing kit)", 69, 1, "%", SensorCategory.PERCENT).build());
        out.add(in("direct_pump_pwm", "Direct pump PWM (mixing kit)", 70, 1, "%", SensorCategory.PERCENT).build());
        out.add(in("mixing_valve_position", "Mixing valve position (mixing kit)", 71, 1, "%", SensorCategory.PERCENT).build());
        out.add(temp("temp_mixing_leaving_water", "Mixing leaving water temperature (mixing kit)", 72));
        out.add(temp("temp_main_zone_target_mixing", "Space target main zone (mixing kit)", 73));
        out.add(temp("temp_leaving_water_pre_phe", "Leaving water temp pre-PHE outdoor", 74));
        out.add(temp("temp_leaving_water_tank_valve", "Leaving water temp tank valve", 75));
        out.add(temp("temp_hot_water_upper", "DHW upper temperature", 76));
        out.add(temp("temp_hot_water_lower", "DHW lower temperature", 77));
        if (additional) {
            out.add(addZone(temp("temp_room_add", "Remote controller room temperature (additional zone)", 78)));
        }
        out.add(in("water_pressure", "Water pressure", 79, 100, "bar", SensorCategory.PRESSURE).build());
        out.add(temp("temp_main_zone_target", "Space heating/cooling target main zone", 80));
        if (additional) {
            out.add(addZone(temp("temp_add_zone_target", "Space heating/cooling target additional zone", 81)));
        }
        out.add(in("abnormality_counter", "Abnormality counter (user)", 82, 1, "", SensorCategory.COUNTER).build());
        out.add(in("unit_operation_mode", "Unit operation mode", 83, 1, "", SensorCategory.MODE).type(DataType.ENUM)
                .enumValues(enums(0, "Stop", 1, "Tank heat-up", 2, "Space heating", 3, "Space cooling", 4, "Actuator")).build());
        out.add(temp("room_heating_setpoint_min", "Room heating setpoint lower limit", 84));
        out.add(temp("room_heating_setpoint_max", "Room heating setpoint upper limit", 85));
        out.add(temp("room_cooling_setpoint_min", "Room cooling setpoint lower limit", 86));
        out.add(temp("room_cooling_setpoint_max", "Room cooling setpoint upper limit", 87));
    }

    /** Altherma 4 holding registers. */
    private static void altherma4Holding(List<SensorDefinition> out, boolean additional) {
        out.add(setpoint("lw_heating_setpoint", "Leaving water main heating setpoint", 1, 1, 0, 100));
        out.add(setpoint("lw_cooling_setpoint", "Leaving water main cooling setpoint", 2, 1, 0, 100));
        // joklee puts the operation mode at 2; gerione and Domoticz at 3 (2 of 3 sources)
        out.add(mode("operation_mode", "Operation mode", 3, enums(0, "Auto", 1, "Heating", 2, "Cooling")));
        out.add(mode("space_on", "Space heating/cooling on/off", 4, enums(0, "Off", 1, "On")));
        out.add(mode("quiet_mode", "Quiet mode", 9, enums(0, "Off", 1, "On (automatic)", 2, "On (manual)")));
        out.add(setpoint("hot_water_setpoint", "DHW reheat setpoint", 10, 1, 30, 85));
        out.add(mode("hot_water_booster", "DHW booster (powerful) on/off", 13, enums(0, "Off", 1, "On")));
        // ÷100 in both gerione and joklee, still marked unconfirmed in the sheet
        out.add(setpoint("hot_water_booster_setpoint", "DHW boost (powerful) setpoint", 14, 100, 30, 85).toBuilder()
                .description("scale ÷100 per gerione and joklee, unconfirmed on a device. " + CHANGE_BASED).build());
        out.add(mode("hot_water_single_heat_up", "DHW single heat-up (manual) on/off", 15, enums(0, "Off", 1, "On")));
        out.add(setpoint("hot_water_single_heat_up_setpoint", "DHW single heat-up (manual) setpoint", 16, 100, 30, 85)
                .toBuilder().description("scale ÷100 per gerione and joklee, unconfirmed on a device. " + CHANGE_BASED).build());
        out.add(offset("wd_heating_offset", "WD main LWT heating setpoint offset", 54));
        out.add(offset("wd_cooling_offset", "WD main LWT cooling setpoint offset", 55));
        out.add(mode("smart_grid_mode", "Smart grid operation mode", 56, smartGrid()));
        out.add(setpoint("power_limit", "General power limit", 58, 100, 0, 20)
                .toBuilder().unit("kW").category(SensorCategory.POWER).build());
        // joklee#88: writing this dropped the Modbus connection; never write it cyclically
        out.add(mode("weather_dependent_heating", "Weather-dependent mode heating main", 68, enums(0, "Fixed", 1, "Weather-dependent"))
                .toBuilder().flag(SensorFlag.NO_CYCLIC_WRITE)
                .description("a write has been reported to reset the Modbus connection (joklee#88). " + CHANGE_BASED).build());
        out.add(mode("weather_dependent_cooling", "Weather-dependent mode cooling main", 69, enums(0, "Fixed", 1, "Weather-dependent")));
        out.add(mode("thermostat_request_main", "Thermostat request main", 74, enums(0, "None", 1, "Heating", 2, "Cooling")));
        // 76–79: ÷100 (gerione) or whole °C (joklee); read-only until confirmed on a device
        out.add(roomSetpointUnconfirmed("room_heating_setpoint", "Room thermostat heating setpoint main", 76));
        out.add(roomSetpointUnconfirmed("room_cooling_setpoint", "Room thermostat cooling setpoint main", 77));
        out.add(mode("hot_water_mode", "DHW mode setting", 80, enums(0, "Reheat", 1, "Schedule + reheat", 2, "Scheduled")));
        if (additional) {
            out.add(addZone(setpoint("lw_add_heating_setpoint", "LW additional heating setpoint", 63, 1, 3, 65)));
            out.add(addZone(setpoint("lw_add_cooling_setpoint", "LW additional cooling setpoint", 64, 1, 3, 65)));
            out.add(addZone(offset("wd_add_heating_offset", "WD additional LWT heating offset", 66)));
            out.add(addZone(offset("wd_add_cooling_offset", "WD additional LWT cooling offset", 67)));
            out.add(addZone(mode("thermostat_request_add", "Thermostat request additional", 75, enums(0, "None", 1, "Heating", 2, "Cooling"))));
            out.add(addZone(roomSetpointUnconfirmed("room_heating_setpoint_add", "Room thermostat heating setpoint additional", 78)));
            out.add(addZone(roomSetpointUnconfirmed("room_cooling_setpoint_add", "Room thermostat cooling setpoint additional", 79)));
        }
    }

    /** Altherma 4 coils (FC01/FC05) and discrete inputs (FC02), 1-based like the registers. */
    private static void altherma4Bits(List<SensorDefinition> out, boolean additional) {
        out.add(coil("hot_water_on", "DHW on/off", 1));
        out.add(coil("main_zone_on", "Main zone on/off", 2));
        if (additional) {
            out.add(addZone(coil("add_zone_on", "Additional zone on/off", 3)));
        }
        out.add(coil("room_heating_schedule_main", "Room heating schedule main", 4));
        out.add(coil("room_cooling_schedule_main", "Room cooling schedule main", 5));
        if (additional) {
            out.add(addZone(coil("room_heating_schedule_add", "Room heating schedule additional", 6)));
            out.add(addZone(coil("room_cooling_schedule_add", "Room cooling schedule additional", 7)));
        }
        String[] di = {"shut_off_valve", "backup_heater_relay_1", "backup_heater_relay_2", "backup_heater_relay_3",
            "backup_heater_relay_4", "backup_heater_relay_5", "backup_heater_relay_6", "booster_heater", "tank_boiler",
            "bivalent", "compressor_run", "quiet_mode_active", "holiday_active", "antifrost", "water_pipe_freeze_prevention",
            "disinfection", "defrost_active", "hot_start_active", "hot_water_running", "main_zone_running",
            "add_zone_running", "powerful_tank_heat_up_request", "manual_tank_heat_up_request", "emergency_active",
            "circulation_pump", "imposed_limit_acceptance"};
        for (int i = 0; i < di.length; i++) {
            SensorDefinition s = SensorDefinition.builder("di_" + di[i]).name(label(di[i]))
                    .kind(RegisterKind.DISCRETE_INPUT).address(i).type(DataType.BOOL).access(AccessMode.READ_ONLY)
                    .category(SensorCategory.BINARY).flag(SensorFlag.ADVANCED).build();
            out.add(di[i].equals("add_zone_running") ? s.toBuilder().circuit(ADDITIONAL).build() : s);
        }
        if (!additional) {
            out.removeIf(s -> s.id().equals("di_add_zone_running"));
        }
    }

    private static String label(String id) {
        String s = id.replace('_', ' ');
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** An input register (FC04) by Daikin's 1-based number. */
    static SensorDefinition.Builder in(String id, String name, int number, int divisor, String unit,
                                       SensorCategory category) {
        return SensorDefinition.builder(id).name(name).kind(RegisterKind.INPUT).address(number - 1)
                .type(DataType.INT16).scale(1.0 / divisor).unit(unit).category(category)
                .access(AccessMode.READ_ONLY).invalid(SENTINELS);
    }

    private static SensorDefinition temp(String id, String name, int number) {
        return in(id, name, number, 100, "°C", SensorCategory.TEMPERATURE).build();
    }

    private static SensorDefinition binary(String id, String name, int number) {
        return in(id, name, number, 1, "", SensorCategory.BINARY).type(DataType.ENUM)
                .enumValues(enums(0, "Off", 1, "On")).build();
    }

    /** A holding register (FC03/FC06) by Daikin's 1-based number; change-based, so flagged EEPROM. */
    static SensorDefinition.Builder hold(String id, String name, int number) {
        return SensorDefinition.builder(id).name(name).kind(RegisterKind.HOLDING).address(number - 1)
                .type(DataType.INT16).access(AccessMode.READ_WRITE).invalid(SENTINELS).flag(SensorFlag.EEPROM)
                .description(CHANGE_BASED);
    }

    private static SensorDefinition setpoint(String id, String name, int number, int divisor, double min, double max) {
        return hold(id, name, number).scale(1.0 / divisor).unit("°C").category(SensorCategory.SETPOINT)
                .range(min, max).step(1.0 / divisor).build();
    }

    private static SensorDefinition offset(String id, String name, int number) {
        return hold(id, name, number).unit("K").category(SensorCategory.SETPOINT).range(-10, 10).step(1.0).build();
    }

    private static SensorDefinition mode(String id, String name, int number, Map<Integer, String> labels) {
        int max = labels.keySet().stream().mapToInt(Integer::intValue).max().orElse(1);
        return hold(id, name, number).type(DataType.ENUM).enumValues(labels).category(SensorCategory.MODE)
                .range(0, max).step(1.0).build();
    }

    private static SensorDefinition roomSetpointUnconfirmed(String id, String name, int number) {
        return in(id, name, number, 100, "°C", SensorCategory.SETPOINT).kind(RegisterKind.HOLDING)
                .flag(SensorFlag.ADVANCED)
                .description("scale unconfirmed (÷100 per gerione, whole °C per joklee); read-only until confirmed")
                .build();
    }

    private static SensorDefinition coil(String id, String name, int number) {
        return SensorDefinition.builder(id).name(name).kind(RegisterKind.COIL).address(number - 1).type(DataType.BOOL)
                .access(AccessMode.READ_WRITE).category(SensorCategory.CONTROL).range(0, 1).step(1.0)
                .enumValues(enums(0, "Off", 1, "On")).flag(SensorFlag.EEPROM).description(CHANGE_BASED).build();
    }

    private static SensorDefinition addZone(SensorDefinition s) {
        return s.toBuilder().circuit(ADDITIONAL).build();
    }

    private static Map<Integer, String> smartGrid() {
        return enums(0, "Free", 1, "Forced off", 2, "Recommended on", 3, "Forced on");
    }

    private static Map<Integer, String> enums(Object... pairs) {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((Integer) pairs[i], (String) pairs[i + 1]);
        }
        return m;
    }
}
