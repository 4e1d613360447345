package gateway.driver.daikin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import gateway.core.api.AccessMode;
import gateway.core.api.DeviceConfig;
import gateway.core.api.ReadGroup;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorFlag;
import gateway.core.modbus.ModbusDeviceProfile;
import gateway.core.modbus.RequestPlanner;

/** Golden values from ../shared/reference/daikin-altherma-modbus.md (1-based numbers, wire = number − 1). */
class DaikinRegisterMapTest {

    static final DeviceConfig MAIN = new DeviceConfig(List.of("main"), List.of(), Map.of());
    static final DeviceConfig BOTH = new DeviceConfig(List.of("main", "additional"), List.of(), Map.of());

    private static SensorDefinition find(DaikinModel model, String id) {
        return DaikinRegisterMap.sensors(model, BOTH).stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " on " + model));
    }

    @ParameterizedTest(name = "input {0} = register {1}")
    @CsvSource({
        "unit_error, 21, 1",
        "unit_error_sub_code, 23, 1",
        "compressor_running, 31, 1",
        "three_way_valve, 37, 1",
        "operation_mode_actual, 38, 1",
        "temp_leaving_water_phe, 40, 100",
        "temp_leaving_water_buh, 41, 100",
        "temp_return_water, 42, 100",
        "temp_hot_water, 43, 100",
        "temp_outdoor, 44, 100",
        "temp_liquid_refrigerant, 45, 100",
        "flow_rate, 49, 100",
        "temp_room, 50, 100",
        "power_consumption, 51, 100",
        "lw_heating_setpoint_min, 54, 100",
        "lw_add_cooling_setpoint_max, 61, 100",
    })
    void inputRegistersAreOneBasedNumbersMinusOneAndTemperaturesDivideBy100(String id, int number, int divisor) {
        for (DaikinModel m : DaikinModel.values()) {
            SensorDefinition s = find(m, id);
            assertEquals(RegisterKind.INPUT, s.registerKind(), id);
            assertEquals(number - 1, s.address(), id);
            assertEquals(1.0 / divisor, s.scale(), 1e-12, id);
            assertEquals(AccessMode.READ_ONLY, s.access(), id);
        }
    }

    @ParameterizedTest(name = "Altherma 3 holding {0} = register {1}")
    @CsvSource({
        "lw_heating_setpoint, 1, 1, 12, 65",
        "lw_cooling_setpoint, 2, 1, 5, 30",
        "operation_mode, 3, 1, 0, 2",
        "space_on, 4, 1, 0, 1",
        "room_heating_setpoint, 6, 1, 12, 30",
        "room_cooling_setpoint, 7, 1, 15, 35",
        "quiet_mode, 9, 1, 0, 2",
        "hot_water_setpoint, 10, 1, 30, 60",
        "hot_water_reheat, 12, 1, 0, 1",
        "hot_water_booster, 13, 1, 0, 1",
        "weather_dependent_mode, 53, 1, 0, 3",
        "wd_heating_offset, 54, 1, -10, 10",
        "wd_cooling_offset, 55, 1, -10, 10",
        "smart_grid_mode, 56, 1, 0, 3",
        "power_limit_recommended, 57, 100, 0, 20",
        "power_limit, 58, 100, 0, 20",
        "lw_add_heating_setpoint, 63, 1, 12, 65",
        "wd_add_cooling_offset, 67, 1, -10, 10",
    })
    void altherma3HoldingSetpointsAreWholeDegreesWithTheSheetsRanges(String id, int number, int divisor, double min,
                                                                      double max) {
        SensorDefinition s = find(DaikinModel.ALTHERMA_3_EKRHH, id);
        assertEquals(RegisterKind.HOLDING, s.registerKind());
        assertEquals(number - 1, s.address());
        assertEquals(1.0 / divisor, s.scale(), 1e-12);
        assertEquals(min, s.min(), 1e-9);
        assertEquals(max, s.max(), 1e-9);
        assertTrue(s.writable());
        assertTrue(s.has(SensorFlag.EEPROM), id + " is change-based: the manager skips unchanged writes");
    }

    @ParameterizedTest(name = "Altherma 4 {0} = register {1}")
    @CsvSource({
        "disinfection_state, INPUT, 63, 1",
        "holiday_mode, INPUT, 64, 1",
        "demand_response_mode, INPUT, 65, 1",
        "temp_mixing_leaving_water, INPUT, 72, 100",
        "temp_hot_water_upper, INPUT, 76, 100",
        "temp_hot_water_lower, INPUT, 77, 100",
        "water_pressure, INPUT, 79, 100",
        "unit_operation_mode, INPUT, 83, 1",
        "room_cooling_setpoint_max, INPUT, 87, 100",
        "operation_mode, HOLDING, 3, 1",
        "hot_water_setpoint, HOLDING, 10, 1",
        "hot_water_booster_setpoint, HOLDING, 14, 100",
        "hot_water_single_heat_up, HOLDING, 15, 1",
        "power_limit, HOLDING, 58, 100",
        "weather_dependent_heating, HOLDING, 68, 1",
        "hot_water_mode, HOLDING, 80, 1",
        "hot_water_on, COIL, 1, 1",
        "main_zone_on, COIL, 2, 1",
        "di_shut_off_valve, DISCRETE_INPUT, 1, 1",
        "di_compressor_run, DISCRETE_INPUT, 11, 1",
        "di_imposed_limit_acceptance, DISCRETE_INPUT, 26, 1",
    })
    void altherma4ExtrasMatchTheSheet(String id, RegisterKind kind, int number, int divisor) {
        SensorDefinition s = find(DaikinModel.ALTHERMA_4, id);
        assertEquals(kind, s.registerKind());
        assertEquals(number - 1, s.address());
        assertEquals(1.0 / divisor, s.scale(), 1e-12);
    }

    @Test
    void sentinels32767To32765AreInvalidOnEveryRegister() {
        for (DaikinModel m : DaikinModel.values()) {
            for (SensorDefinition s : DaikinRegisterMap.sensors(m, BOTH)) {
                if (s.registerKind() == RegisterKind.INPUT || s.registerKind() == RegisterKind.HOLDING) {
                    if (s.id().equals("unit_error_code")) {
                        continue; // text: two ASCII characters
                    }
                    assertTrue(s.invalidRaw().containsAll(Set.of(32767L, 32765L)), s.id());
                    if (!s.id().equals("unit_error_sub_code")) {
                        assertTrue(s.invalidRaw().contains(32766L), s.id());
                    }
                }
            }
        }
        assertEquals("No error", find(DaikinModel.ALTHERMA_3_EKRHH, "unit_error_sub_code").enumValues().get(32766));
    }

    @Test
    void sensorCountsMatchTheSheet() {
        // §5: Altherma 3 30 input + 23 holding = 53 with the additional zone (4 input + 6 holding of them)
        assertEquals(30, count(DaikinModel.ALTHERMA_3_EKRHH, BOTH, RegisterKind.INPUT));
        assertEquals(23, count(DaikinModel.ALTHERMA_3_EKRHH, BOTH, RegisterKind.HOLDING));
        assertEquals(26, count(DaikinModel.ALTHERMA_3_EKRHH, MAIN, RegisterKind.INPUT));
        assertEquals(17, count(DaikinModel.ALTHERMA_3_EKRHH, MAIN, RegisterKind.HOLDING));
        // §5: Altherma 4 (gerione) 55 input, 27 holding, 7 coils, 26 discrete inputs = 115
        assertEquals(55, count(DaikinModel.ALTHERMA_4, BOTH, RegisterKind.INPUT));
        assertEquals(27, count(DaikinModel.ALTHERMA_4, BOTH, RegisterKind.HOLDING));
        assertEquals(7, count(DaikinModel.ALTHERMA_4, BOTH, RegisterKind.COIL));
        assertEquals(26, count(DaikinModel.ALTHERMA_4, BOTH, RegisterKind.DISCRETE_INPUT));
        assertEquals(115, DaikinRegisterMap.sensors(DaikinModel.ALTHERMA_4, BOTH).size());
    }

    @Test
    void idsAreUnique() {
        for (DaikinModel m : DaikinModel.values()) {
            List<SensorDefinition> all = DaikinRegisterMap.sensors(m, BOTH);
            assertEquals(all.size(), new HashSet<>(all.stream().map(SensorDefinition::id).toList()).size());
        }
    }

    @Test
    void plannerNeverCrossesTheHoldingBoundaryBetween60And61() {
        for (DaikinModel m : DaikinModel.values()) {
            ModbusDeviceProfile p = DaikinRegisterMap.profile(m);
            List<ReadGroup> groups = RequestPlanner.plan(DaikinRegisterMap.sensors(m, BOTH), p.limits());
            for (ReadGroup g : groups) {
                if (g.kind() == RegisterKind.HOLDING) {
                    // wire 59 = register 60, wire 60 = register 61
                    assertFalse(g.start() <= 59 && g.end() > 60, m + " group " + g.start() + ".." + (g.end() - 1));
                }
                assertTrue(g.count() <= m.maxBlock());
            }
            long holdingGroups = groups.stream().filter(g -> g.kind() == RegisterKind.HOLDING).count();
            assertEquals(2, holdingGroups, m + ": registers 1–60 and 61+ in two requests");
        }
    }

    @Test
    void altherma3WritesUseFc06() {
        assertTrue(DaikinRegisterMap.profile(DaikinModel.ALTHERMA_3_EKRHH).singleWriteFunction());
    }

    @Test
    void validateRejectsCircuitsAndZonesTheModelLacks() {
        DaikinDriver d = new DaikinAltherma3EkrhhDriver();
        assertTrue(d.validate(BOTH).isEmpty());
        List<String> p = d.validate(new DeviceConfig(List.of("A"), List.of(), Map.of()));
        assertEquals(1, p.size());
        assertTrue(p.get(0).contains("'A'"), p.get(0));
        assertFalse(new DaikinAltherma4Driver().validate(new DeviceConfig(List.of(), List.of(1), Map.of())).isEmpty());
    }

    @Test
    void driversUseTheContractIds() {
        assertEquals("daikin", new DaikinAltherma4Driver().manufacturerId());
        assertEquals("altherma_3_ekrhh", new DaikinAltherma3EkrhhDriver().modelId());
        assertEquals("altherma_4", new DaikinAltherma4Driver().modelId());
        assertEquals(30, new DaikinAltherma4Driver().defaultPollIntervalSeconds());
        assertTrue(new DaikinAltherma3EkrhhDriver().setupInstructions().contains("use case 3"));
        assertTrue(new DaikinAltherma4Driver().setupInstructions().contains("at most 3"));
    }

    @Test
    void dashboardTemplateOnlyNamesSensorsTheModelHas() {
        for (DaikinDriver d : List.of(new DaikinAltherma3EkrhhDriver(), new DaikinAltherma4Driver())) {
            Set<String> ids = d.sensors(MAIN).stream().map(SensorDefinition::id).collect(Collectors.toSet());
            d.dashboardTemplate(MAIN).charts().forEach(c -> c.sensors().forEach(
                    id -> assertTrue(ids.contains(id), d.modelId() + " dashboard names unknown " + id)));
        }
    }

    private static long count(DaikinModel m, DeviceConfig c, RegisterKind kind) {
        return DaikinRegisterMap.sensors(m, c).stream().filter(s -> s.registerKind() == kind).count();
    }
}
