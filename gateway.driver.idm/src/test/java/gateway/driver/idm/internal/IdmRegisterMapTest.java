package gateway.driver.idm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import gateway.core.api.AccessMode;
import gateway.core.api.DataType;
import gateway.core.api.DeviceConfig;
import gateway.core.api.Quality;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorFlag;
import gateway.core.api.SensorReading;
import gateway.core.modbus.AddressRange;
import gateway.core.modbus.RegisterCodec;
import gateway.core.modbus.WordOrder;

/** The map against the fact sheet idm-navigator-2.0.md (golden values typed from the sheet, not from the code). */
class IdmRegisterMapTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static SensorDefinition at(int address) {
        List<SensorDefinition> hits = IdmRegisterMap.all().stream().filter(s -> s.address() == address).toList();
        assertEquals(1, hits.size(), "one sensor at " + address);
        return hits.get(0);
    }

    private static SensorDefinition id(String id) {
        return IdmRegisterMap.all().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no sensor " + id));
    }

    private static SensorReading decode(SensorDefinition s, int... regs) {
        return RegisterCodec.decode(s, regs, 0, WordOrder.LOW_WORD_FIRST, T);
    }

    @Test
    void countsPerBlockMatchTheIdmTable() {
        // §7: 663 table rows = general 120 + 1392 humidity + 7 × 16 circuit rows + 10 × 43 zone rows
        assertEquals(121, IdmRegisterMap.general().size());
        for (int i = 0; i < 7; i++) {
            assertEquals(16, IdmRegisterMap.circuit(i).size());
        }
        for (int z = 0; z < 10; z++) {
            assertEquals(43, IdmRegisterMap.zone(z).size());
        }
        assertEquals(121 + 16, IdmRegisterMap.sensors(IdmRegisterMap.DEFAULT_CONFIG).size());
        assertEquals(663, IdmRegisterMap.sensors(IdmRegisterMap.FULL_CONFIG).size());
        assertEquals(121, IdmRegisterMap.sensors(DeviceConfig.empty()).size());
    }

    @Test
    void leavesOutRegistersTheSheetMarksUnconfirmed() {
        for (int a : new int[] {88, 90, 1068, 1070, 1072, 4108, 4112, 4116, 4124}) {
            int address = a;
            assertTrue(IdmRegisterMap.all().stream().noneMatch(s -> s.address() == address), "unconfirmed " + a);
        }
    }

    @Test
    void circuitAddressesFollowTheExpandedMatrix() {
        assertEquals(1354, id("temp_flow_current_circuit_c").address());
        assertEquals(1441, id("curve_circuit_g").address());
        assertEquals(1364, id("temp_room_circuit_a").address());
        assertEquals(1390, id("temp_flow_target_circuit_g").address());
        assertEquals(1396, id("mode_circuit_d").address());
        assertEquals(1413, id("temp_room_target_heating_normal_circuit_g").address());
        assertEquals(1419, id("temp_room_target_heating_eco_circuit_c").address());
        assertEquals(1446, id("temp_threshold_heating_circuit_e").address());
        assertEquals(1455, id("temp_flow_target_constant_circuit_g").address());
        assertEquals(1459, id("temp_room_target_cooling_normal_circuit_b").address());
        assertEquals(1477, id("temp_room_target_cooling_eco_circuit_d").address());
        assertEquals(1490, id("temp_threshold_cooling_circuit_g").address());
        assertEquals(1491, id("temp_flow_target_cooling_circuit_a").address());
        assertEquals(1504, id("mode_active_circuit_g").address());
        assertEquals(1511, id("curve_offset_g").address());
        assertEquals(1662, id("temp_external_room_g").address());
        assertEquals("C", id("temp_flow_current_circuit_c").circuit());
    }

    @Test
    void zoneAddressesFollowBasePlusRoomOffset() {
        // module 3 = index 2: base 2130, room 2 offset 9, setpoint +2
        assertEquals(2141, id("temp_target_zone_3_room_2").address());
        assertEquals(2, id("temp_target_zone_3_room_2").zone());
        assertEquals(2064, id("relay_zone_1_room_9").address());
        assertEquals(2002, id("temp_room_zone_1_room_1").address());
        assertEquals(2004, id("temp_target_zone_1_room_1").address());
        assertEquals(2006, id("humidity_zone_1_room_1").address());
        assertEquals(2007, id("mode_zone_1_room_1").address());
        assertEquals(2008, id("relay_zone_1_room_1").address());
        assertEquals(2009, id("temp_room_zone_1_room_2").address());
        assertEquals(2000 + 57, id("relay_zone_1_room_8").address());
        int[] bases = {2000, 2065, 2130, 2195, 2260, 2325, 2390, 2455, 2520, 2585};
        for (int z = 0; z < 10; z++) {
            assertEquals(bases[z], id("mode_zone_" + (z + 1)).address());
            assertEquals(bases[z] + 1, id("dehumidifier_zone_" + (z + 1)).address());
        }
        assertEquals(0.5, id("temp_target_zone_3_room_2").step());
    }

    @Test
    void typesAccessAndFlagsFollowTheSheet() {
        SensorDefinition sysMode = at(1005);
        assertEquals(DataType.ENUM, sysMode.dataType());
        assertEquals(AccessMode.READ_WRITE, sysMode.access());
        assertTrue(sysMode.has(SensorFlag.EEPROM));
        assertEquals("holiday", sysMode.enumValues().get(3));
        assertEquals(5.0, sysMode.max());

        SensorDefinition chargePump = at(1104);
        assertEquals(DataType.INT16, chargePump.dataType());
        assertEquals(AccessMode.READ_ONLY, chargePump.access());

        SensorDefinition bmsOutdoor = at(1690);
        assertEquals(DataType.FLOAT32, bmsOutdoor.dataType());
        assertEquals(AccessMode.WRITE_ONLY, bmsOutdoor.access());

        for (int a : new int[] {1696, 1698}) {
            assertTrue(at(a).has(SensorFlag.REFRESH_REQUIRED), "cyclic " + a);
            assertEquals(600, at(a).refreshSeconds());
            assertEquals(AccessMode.WRITE_ONLY, at(a).access());
        }
        SensorDefinition ack = at(1999);
        assertEquals(AccessMode.WRITE_ONLY, ack.access());
        assertTrue(ack.has(SensorFlag.NO_CYCLIC_WRITE));
        assertFalse(ack.has(SensorFlag.REFRESH_REQUIRED));
        assertTrue(at(1713).has(SensorFlag.NO_CYCLIC_WRITE));

        SensorDefinition dhw = at(1032);
        assertEquals(DataType.UINT8, dhw.dataType());
        assertEquals(35.0, dhw.min());
        assertEquals(95.0, dhw.max());
        assertEquals(RegisterKind.HOLDING, dhw.registerKind());

        assertEquals(DataType.BITFIELD, at(1090).dataType());
        assertEquals(DataType.BITFIELD, at(1874).dataType());
        assertEquals(DataType.BOOL, at(1710).dataType());
        assertEquals(0.1, at(1429).min());
        assertEquals(3.5, at(1429).max());

        // RW/RO: writable, with a note that the controller needs a BMS source
        for (int a : new int[] {74, 76, 78, 82, 84, 86, 2002, 2006}) {
            assertEquals(AccessMode.READ_WRITE, at(a).access(), "RW/RO " + a);
            assertTrue(at(a).description().contains("BMS"), "BMS note " + a);
        }
    }

    @Test
    void eepromFlagsMatchTheTableStars() {
        Set<Integer> general = IdmRegisterMap.general().stream().filter(s -> s.has(SensorFlag.EEPROM))
                .map(SensorDefinition::address).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of(1005, 1032, 1033, 1034, 1120, 1121, 1122, 1123, 1694, 1695, 1856)),
                general);
        // every circuit RW register is EEPROM-backed; the BMS room temperature (W) is not
        for (SensorDefinition s : IdmRegisterMap.circuit(3)) {
            assertEquals(s.access() == AccessMode.READ_WRITE, s.has(SensorFlag.EEPROM), s.id());
        }
        // "safe to write" list of kodebach#93
        for (int a : new int[] {74, 76, 78, 82, 84, 86, 1650, 1690, 1692, 1696, 1698, 1710, 1711, 1712, 1713, 1716,
                1718, 1720, 1722}) {
            assertFalse(at(a).has(SensorFlag.EEPROM), "not EEPROM " + a);
        }
    }

    @Test
    void heatingAndCoolingRequestsHaveDistinctIds() {
        assertEquals("request_heating", at(1710).id());
        assertEquals("request_cooling", at(1711).id());
        assertFalse(at(1091).id().equals(at(1710).id()));
        assertFalse(at(1092).id().equals(at(1711).id()));
    }

    @Test
    void idsAreUniqueAndRegistersNeverOverlap() {
        List<SensorDefinition> all = IdmRegisterMap.all();
        Set<String> ids = new HashSet<>();
        for (SensorDefinition s : all) {
            assertTrue(ids.add(s.id()), "duplicate id " + s.id());
            assertTrue(s.id().matches("[a-z0-9_]+"), "snake_case " + s.id());
            assertEquals(RegisterKind.HOLDING, s.registerKind());
        }
        // The iDM table's own overlaps: FLOATs whose high word is a circuit A UCHAR (1392 + 2 = 1393 is the §5 note;
        // 1429 + 2·6 = 1441 and 1471 + 2·6 = 1483 follow from the address formulas)
        Map<Integer, Set<String>> shared = Map.of(1393, Set.of("humidity", "mode_circuit_a"),
                1442, Set.of("curve_circuit_g", "temp_threshold_heating_circuit_a"),
                1484, Set.of("temp_room_target_cooling_eco_circuit_g", "temp_threshold_cooling_circuit_a"));
        Map<Integer, String> owner = new HashMap<>();
        Map<Integer, Set<String>> overlaps = new HashMap<>();
        for (SensorDefinition s : all) {
            for (int a = s.address(); a < s.address() + s.registerCount(); a++) {
                String before = owner.put(a, s.id());
                if (before != null) {
                    overlaps.put(a, Set.of(before, s.id()));
                }
            }
        }
        assertEquals(shared, overlaps);
        // the gateway never writes a FLOAT whose high word belongs to another setting
        assertEquals(AccessMode.READ_ONLY, id("curve_circuit_g").access());
        assertEquals(AccessMode.READ_ONLY, id("temp_room_target_cooling_eco_circuit_g").access());
        assertEquals(AccessMode.READ_WRITE, id("curve_circuit_f").access());
    }

    @Test
    void decodesPvSurplusFromTheEvccTrace() {
        SensorReading r = decode(at(74), 0x7AE1, 0x4084);
        assertEquals(Quality.GOOD, r.quality());
        assertEquals(4.14, r.value(), 1e-6);
        int[] regs = RegisterCodec.encode(at(74), 4.14, IdmRegisterMap.WORD_ORDER);
        assertEquals(0x7AE1, regs[0]);
        assertEquals(0x4084, regs[1]);
    }

    @Test
    void reportsSentinelsAsInvalidButPumpOffAsValue() {
        // −1.0f = 0xBF800000, low word first
        assertEquals(Quality.INVALID, decode(id("temp_solar_collector"), 0x0000, 0xBF80).quality());
        assertEquals(Quality.INVALID, decode(id("power_current"), 0x0000, 0xBF80).quality());
        SensorReading outdoor = decode(id("temp_outside"), 0x0000, 0xBF80);
        assertEquals(Quality.GOOD, outdoor.quality());
        assertEquals(-1.0, outdoor.value());
        SensorReading pump = decode(at(1104), 0xFFFF);
        assertEquals(Quality.GOOD, pump.quality());
        assertEquals(-1.0, pump.value());
        assertEquals(Quality.INVALID, decode(at(1108), 0xFFFF).quality());
        assertEquals(Quality.INVALID, decode(at(86), 0xFFFF).quality());
        assertEquals(Quality.INVALID, decode(at(1032), 0xFFFF).quality());
        assertEquals(Quality.INVALID, decode(at(1032), 0x00FF).quality());
        assertEquals(46.0, decode(at(1032), 46).value());
        assertEquals(Quality.INVALID, decode(at(1005), 0xFFFF).quality());
        assertEquals(Quality.INVALID, decode(at(1090), 0xFFFF).quality());
        // a bit field: 5 = heating + DHW
        SensorReading state = decode(at(1090), 5);
        assertEquals(5.0, state.value());
        assertTrue(state.text().contains("heating") && state.text().contains("hot_water"), state.text());
        // a bivalence point of −1 °C is a value
        assertEquals(-1.0, decode(at(1120), 0xFFFF).value());
    }

    @Test
    void addressSpaceSeparatesTheKnownAreas() {
        List<AddressRange> areas = IdmRegisterMap.knownAreas();
        assertTrue(areas.contains(AddressRange.of(RegisterKind.HOLDING, 74, 86)), areas.toString());
        // 1999 (acknowledge faults) sits right before zone module 1
        assertTrue(areas.contains(AddressRange.of(RegisterKind.HOLDING, 1999, 2649)), areas.toString());
        assertTrue(areas.contains(AddressRange.of(RegisterKind.HOLDING, 4122, 4129)), areas.toString());
        List<AddressRange> forbidden = IdmRegisterMap.forbiddenRanges();
        for (int[] gap : new int[][] {{0, 73}, {87, 999}, {1232, 1349}, {1875, 1998}, {2650, 4121}, {4130, 65535}}) {
            assertTrue(forbidden.contains(AddressRange.of(RegisterKind.HOLDING, gap[0], gap[1])),
                    "forbidden " + gap[0] + ".." + gap[1] + " in " + forbidden);
        }
        // no sensor lies in a forbidden range
        for (SensorDefinition s : IdmRegisterMap.all()) {
            for (AddressRange f : forbidden) {
                assertFalse(f.overlaps(s.registerKind(), s.address(), s.address() + s.registerCount()), s.id());
            }
        }
        // short holes such as 1400 and zone B+58..B+63 stay inside their areas
        for (int hole : new int[] {1400, 2058, 2063, 1016}) {
            assertTrue(areas.stream().anyMatch(a -> a.overlaps(RegisterKind.HOLDING, hole, hole + 1)), "hole " + hole);
        }
    }

    @Test
    void validatesCircuitsAndZones() {
        assertTrue(IdmRegisterMap.validate(DeviceConfig.of(List.of(), List.of())).isEmpty());
        assertTrue(IdmRegisterMap.validate(DeviceConfig.of(List.of("A", "g"), List.of(0, 9))).isEmpty());
        assertEquals(1, IdmRegisterMap.validate(DeviceConfig.of(List.of("H"), List.of())).size());
        assertEquals(1, IdmRegisterMap.validate(DeviceConfig.of(List.of("A", "a"), List.of())).size());
        assertEquals(1, IdmRegisterMap.validate(DeviceConfig.of(List.of(), List.of(10))).size());
        assertEquals(1, IdmRegisterMap.validate(DeviceConfig.of(List.of(), List.of(-1))).size());
        assertEquals(1, IdmRegisterMap.validate(DeviceConfig.of(List.of(), List.of(3, 3))).size());
        assertThrows(IllegalArgumentException.class,
                () -> IdmRegisterMap.sensors(DeviceConfig.of(List.of("Z"), List.of())));
        // lower-case circuits expand like upper-case ones
        assertTrue(IdmRegisterMap.sensors(DeviceConfig.of(List.of("b"), List.of())).stream()
                .anyMatch(s -> s.id().equals("temp_flow_current_circuit_b")));
    }
}
