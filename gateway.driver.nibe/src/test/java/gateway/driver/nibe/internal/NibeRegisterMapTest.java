package gateway.driver.nibe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import gateway.core.api.DataType;
import gateway.core.api.DeviceConfig;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorFlag;
import gateway.core.modbus.ModbusDeviceProfile;
import gateway.core.modbus.WordOrder;

/** Golden values from ../shared/reference/nibe-s-series.md §3–§4. */
class NibeRegisterMapTest {

    private static final DeviceConfig ALL_S1155 = new DeviceConfig(List.of("1", "2", "3"), List.of(), Map.of());

    private static SensorDefinition find(NibeModel model, String id) {
        return NibeRegisterMap.builtIn(model, ALL_S1155).stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no sensor " + id + " on " + model));
    }

    @ParameterizedTest(name = "S1155 input {0} at PDU {1}")
    @CsvSource({
        "temp_outdoor, 1, INT16, 10",
        "temp_supply_circuit_1, 5, INT16, 10",
        "temp_return, 7, INT16, 10",
        "temp_hot_water_top, 8, INT16, 10",
        "temp_hot_water_charging, 9, INT16, 10",
        "temp_condenser, 12, INT16, 10",
        "temp_discharge, 13, INT16, 10",
        "temp_liquid_line, 14, INT16, 10",
        "temp_suction_gas, 16, INT16, 10",
        "temp_outdoor_average, 37, INT16, 10",
        "temp_external_supply, 39, INT16, 10",
        "flow_bf1, 40, INT16, 10",
        "current_be3, 46, UINT32, 10",
        "current_be2, 48, UINT32, 10",
        "current_be1, 50, UINT32, 10",
        "temp_room_circuit_1, 116, INT16, 10",
        "compressor_freq_requested, 140, UINT16, 1",
        "energy_pulse_meter, 398, UINT32, 100",
        "power_heating_generated, 406, UINT16, 10",
        "temp_supply_calculated_circuit_1, 1017, INT16, 10",
        "runtime_add_heat, 1025, INT32, 10",
        "power_add_heat_internal, 1027, INT16, 100",
        "priority, 1028, UINT8, 1",
        "compressor_freq_current, 1046, UINT16, 10",
        "compressor_power_input, 1048, UINT16, 1",
        "compressor_freq, 1065, UINT16, 1",
        "compressor_power_input_avg, 1075, INT16, 1",
        "compressor_mode, 1094, UINT8, 1",
        "pump_speed_gp1, 1102, UINT8, 1",
        "sg_ready_mode, 1911, UINT8, 1",
        "alarm_number, 1975, INT16, 1",
        "alarm_class1, 2195, UINT8, 1",
        "energy_heating_produced_hour, 2283, UINT32, 100",
        "energy_hot_water_produced_hour, 2285, UINT32, 100",
        "energy_heating_used_hour, 2291, UINT32, 100",
        "energy_hot_water_used_hour, 2293, UINT32, 100",
        "power_consumption, 2305, UINT32, 100",
    })
    void inputRegistersOfS1155MatchTheSheet(String id, int pdu, DataType type, int factor) {
        for (NibeModel model : List.of(NibeModel.S1155, NibeModel.S1255)) {
            SensorDefinition s = find(model, id);
            assertEquals(RegisterKind.INPUT, s.registerKind(), id);
            assertEquals(AccessMode.READ_ONLY, s.access(), id);
            assertEquals(pdu, s.address(), id);
            assertEquals(type, s.dataType(), id);
            assertEquals(1.0 / factor, s.scale(), 1e-12, id);
        }
    }

    @ParameterizedTest(name = "S1155 holding {0} at PDU {1}")
    @CsvSource({
        "degree_minutes, 11, INT32, 10, -3000, 3000",
        "heating_curve_circuit_1, 26, INT8, 1, 0, 15",
        "heating_offset_circuit_1, 30, INT8, 1, -10, 10",
        "supply_min_circuit_1, 34, INT16, 10, 5, 80",
        "supply_max_circuit_1, 38, INT16, 10, 5, 80",
        "ext_adjustment_circuit_1, 51, INT8, 1, -10, 10",
        "ext_adjustment_room_circuit_1, 55, INT16, 10, 5, 30",
        "hot_water_demand_mode, 56, INT8, 1, 0, 4",
        "add_heat_dm_step, 100, INT16, 1, 10, 1000",
        "add_heat_max_internal, 102, INT16, 100, 0, 45",
        "room_setpoint_circuit_1, 206, INT16, 10, 5, 30",
        "sg_ready_heating, 760, UINT8, 1, 0, 1",
        "sg_ready_cooling, 761, UINT8, 1, 0, 1",
        "sg_ready_hot_water, 762, UINT8, 1, 0, 1",
        "operating_mode, 2743, UINT8, 1, 0, 2",
    })
    void holdingRegistersOfS1155MatchTheSheetWithScaledRanges(String id, int pdu, DataType type, int factor,
                                                              double min, double max) {
        SensorDefinition s = find(NibeModel.S1155, id);
        assertEquals(RegisterKind.HOLDING, s.registerKind(), id);
        assertEquals(AccessMode.READ_WRITE, s.access(), id);
        assertEquals(pdu, s.address(), id);
        assertEquals(type, s.dataType(), id);
        assertEquals(1.0 / factor, s.scale(), 1e-12, id);
        assertEquals(min, s.min(), 1e-9, id);
        assertEquals(max, s.max(), 1e-9, id);
        assertTrue(s.has(SensorFlag.EEPROM), id + " is a stored setting");
    }

    @Test
    void hotWaterDemandModeAndPriorityCarryTheSheetsEnums() {
        assertEquals(Map.of(0, "Small", 1, "Medium", 2, "Large", 4, "Smart control"),
                find(NibeModel.S1155, "hot_water_demand_mode").enumValues());
        Map<Integer, String> priority = find(NibeModel.S1155, "priority").enumValues();
        assertEquals("Hot water", priority.get(20));
        assertEquals("Heat", priority.get(30));
        assertEquals("Cooling", priority.get(60));
        assertEquals("Free electricity", find(NibeModel.S1155, "sg_ready_mode").enumValues().get(40));
    }

    @ParameterizedTest(name = "S2125 {0} at PDU {1}")
    @CsvSource({
        "compressor_freq_current, 1803, 10, Hz",
        "compressor_power, 1806, 1, kW",
        "compressor_freq_requested, 1854, 1, Hz",
        "power_heating_generated, 941, 10, kW",
        "temp_outdoor, 1, 10, °C",
        "temp_supply_circuit_1, 5, 10, °C",
        "temp_return, 7, 10, °C",
        "temp_hot_water_top, 8, 10, °C",
        "temp_hot_water_charging, 9, 10, °C",
    })
    void s2125UsesItsOwnCompressorRegisters(String id, int pdu, int factor, String unit) {
        SensorDefinition s = find(NibeModel.S2125, id);
        assertEquals(RegisterKind.INPUT, s.registerKind());
        assertEquals(pdu, s.address());
        assertEquals(1.0 / factor, s.scale(), 1e-12);
        assertEquals(unit, s.unit());
    }

    @Test
    void s2125HasNoBrineCircuitAndOnlyClimateSystem1() {
        Set<String> ids = ids(NibeModel.S2125, DeviceConfig.empty());
        assertFalse(ids.contains("temp_brine_in"));
        assertFalse(ids.contains("compressor_power_input")); // 1048 is an S1155 register
        assertTrue(ids.contains("temp_unit_outdoor"));
        assertEquals(List.of("1"), NibeModel.S2125.climateSystems());
        assertEquals(DataType.UINT8, find(NibeModel.S2125, "compressor_power").dataType());
    }

    @Test
    void sensorsAreInputOrHoldingRegistersOnlyNeverCoils() {
        for (NibeModel m : NibeModel.values()) {
            for (SensorDefinition s : NibeRegisterMap.builtIn(m, new DeviceConfig(m.climateSystems(), List.of(), Map.of()))) {
                assertTrue(s.registerKind() == RegisterKind.INPUT || s.registerKind() == RegisterKind.HOLDING, s.id());
                assertEquals(s.registerKind() == RegisterKind.HOLDING, s.writable(), s.id());
            }
        }
    }

    @Test
    void everySensorCarriesTheSentinelOfItsSize() {
        Map<DataType, Long> sentinel = Map.of(DataType.INT8, -128L, DataType.UINT8, 0xFFL, DataType.INT16, -32768L,
                DataType.UINT16, 0xFFFFL, DataType.INT32, -2147483648L, DataType.UINT32, 0xFFFFFFFFL);
        for (NibeModel m : NibeModel.values()) {
            for (SensorDefinition s : NibeRegisterMap.builtIn(m, DeviceConfig.empty())) {
                assertTrue(s.invalidRaw().contains(sentinel.get(s.dataType())), s.id() + " " + s.invalidRaw());
            }
        }
    }

    @Test
    void sensorIdsAreUniquePerModelAndConfiguration() {
        for (NibeModel m : NibeModel.values()) {
            List<SensorDefinition> all = NibeRegisterMap.builtIn(m, new DeviceConfig(m.climateSystems(), List.of(), Map.of()));
            assertEquals(all.size(), new HashSet<>(all.stream().map(SensorDefinition::id).toList()).size(), m.name());
        }
    }

    @Test
    void sensorCountsPerModel() {
        // counted by hand from the tables: 23 shared inputs; S1155/S1255 19 more inputs and 14 settings, S2125 15
        // and 12; climate system 1 adds 8 sensors (with the BT50 room sensor), systems 2 and 3 add 7 each
        assertEquals(64, NibeRegisterMap.builtIn(NibeModel.S1155, DeviceConfig.empty()).size());
        assertEquals(64, NibeRegisterMap.builtIn(NibeModel.S1255, DeviceConfig.empty()).size());
        assertEquals(78, NibeRegisterMap.builtIn(NibeModel.S1155, ALL_S1155).size());
        assertEquals(58, NibeRegisterMap.builtIn(NibeModel.S2125, DeviceConfig.empty()).size());
    }

    @Test
    void climateSystems2And3FollowNibesAddressPattern() {
        assertEquals(25, find(NibeModel.S1155, "heating_curve_circuit_2").address());
        assertEquals(28, find(NibeModel.S1155, "heating_offset_circuit_3").address());
        assertEquals(4, find(NibeModel.S1155, "temp_supply_circuit_2").address()); // EP21-BT2
        assertEquals(1015, find(NibeModel.S1155, "temp_supply_calculated_circuit_3").address());
        assertEquals(205, find(NibeModel.S1155, "room_setpoint_circuit_2").address());
    }

    @Test
    void readWordOrderIsLowWordFirstAndWriteIsHighWordFirst() {
        ModbusDeviceProfile p = NibeRegisterMap.profile(Map.of());
        assertEquals(WordOrder.LOW_WORD_FIRST, p.readWordOrder());
        assertEquals(WordOrder.HIGH_WORD_FIRST, p.writeWordOrder());
        assertFalse(p.singleWriteFunction(), "the nibe library writes with FC16");
    }

    @Test
    void wordOrdersCanBeOverriddenByConnectionOptions() {
        ModbusDeviceProfile p = NibeRegisterMap.profile(Map.of("word_order_read", "high_word_first",
                "word_order_write", "low_word_first"));
        assertEquals(WordOrder.HIGH_WORD_FIRST, p.readWordOrder());
        assertEquals(WordOrder.LOW_WORD_FIRST, p.writeWordOrder());
        assertThrows(IllegalArgumentException.class, () -> NibeRegisterMap.profile(Map.of("word_order_read", "sideways")));
    }

    @Test
    void validateRejectsClimateSystemsAndZonesTheModelLacks() {
        NibeDriver s1155 = new NibeS1155Driver();
        NibeDriver s2125 = new NibeS2125Driver();
        assertTrue(s1155.validate(new DeviceConfig(List.of("1", "3"), List.of(), Map.of())).isEmpty());
        List<String> p = s1155.validate(new DeviceConfig(List.of("4"), List.of(), Map.of()));
        assertEquals(1, p.size());
        assertTrue(p.get(0).contains("climate system '4'"), p.get(0));
        assertFalse(s2125.validate(new DeviceConfig(List.of("2"), List.of(), Map.of())).isEmpty());
        assertFalse(s1155.validate(new DeviceConfig(List.of(), List.of(0), Map.of())).isEmpty());
    }

    @Test
    void driversUseTheContractIdsAndThirtySecondPolls() {
        assertEquals("nibe", new NibeS1155Driver().manufacturerId());
        assertEquals(Set.of("s1155", "s1255", "s2125"), Set.of(new NibeS1155Driver().modelId(),
                new NibeS1255Driver().modelId(), new NibeS2125Driver().modelId()));
        assertEquals(30, new NibeS1255Driver().defaultPollIntervalSeconds());
        assertEquals(502, new NibeS1255Driver().defaultPort());
        assertTrue(new NibeS1155Driver().setupInstructions().contains("7.5.9"));
    }

    @Test
    void dashboardTemplateOnlyNamesSensorsTheModelHas() {
        for (NibeDriver d : List.of(new NibeS1155Driver(), new NibeS2125Driver())) {
            Set<String> ids = ids(d.model(), DeviceConfig.empty());
            d.dashboardTemplate(DeviceConfig.empty()).charts().forEach(c -> c.sensors().forEach(
                    id -> assertTrue(ids.contains(id), d.modelId() + " dashboard names unknown " + id)));
            assertNotNull(d.capabilities(DeviceConfig.empty()));
        }
    }

    private static Set<String> ids(NibeModel m, DeviceConfig c) {
        return NibeRegisterMap.builtIn(m, c).stream().map(SensorDefinition::id).collect(Collectors.toSet());
    }
}
