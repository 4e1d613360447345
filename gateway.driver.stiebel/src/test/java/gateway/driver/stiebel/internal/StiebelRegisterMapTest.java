package gateway.driver.stiebel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import gateway.core.api.AccessMode;
import gateway.core.api.DataType;
import gateway.core.api.Quality;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorFlag;
import gateway.core.api.SensorReading;
import gateway.core.modbus.RegisterCodec;
import gateway.core.modbus.WordOrder;

/**
 * The register tables against facts from ../shared/reference/stiebel-eltron-isg.md, written here by hand: manual
 * numbers are 1-based and the wire address is one less, FC04 values / FC03+FC06 parameters, type codes 2 (×0.1),
 * 7 (×0.01), 6/8 (u16), 0x8000 not available, split totals HI × 1000 + LOW.
 */
class StiebelRegisterMapTest {

    private static StiebelRegister row(StiebelModel model, String id) {
        return StiebelRegisterMap.rows(model).stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + id + " in " + model));
    }

    private static SensorDefinition sensor(StiebelModel model, String id) {
        return row(model, id).sensor();
    }

    private static SensorReading decode(SensorDefinition s, int raw) {
        return RegisterCodec.decode(s, new int[] {raw}, 0, WordOrder.HIGH_WORD_FIRST, Instant.EPOCH);
    }

    @Test
    void manualNumbersAreOneBasedSoTheWireAddressIsOneLess() {
        // §2: manual 507 OUTSIDE TEMPERATURE = FC04 PDU 506; manual 1502 COMFORT TEMPERATURE = FC03/06 PDU 1501
        SensorDefinition outdoor = sensor(StiebelModel.WPM, "temp_outdoor");
        assertEquals(RegisterKind.INPUT, outdoor.registerKind());
        assertEquals(506, outdoor.address());
        SensorDefinition comfort = sensor(StiebelModel.WPM, "comfort_temp_circuit_1");
        assertEquals(RegisterKind.HOLDING, comfort.registerKind());
        assertEquals(1501, comfort.address());
        // evcc's PDU numbers: 522 → 521 DHW actual, 4002/4003 → 4001/4002, 5001 → 5000 SG Ready state
        assertEquals(521, sensor(StiebelModel.WPM, "temp_hot_water").address());
        assertEquals(4001, sensor(StiebelModel.WPM, "sg_ready_input_1").address());
        assertEquals(4002, sensor(StiebelModel.WPM, "sg_ready_input_2").address());
        assertEquals(5000, sensor(StiebelModel.WPM, "sg_ready_state").address());
        // §4: identification is manual 5002, PDU 5001, FC04
        assertEquals(5001, StiebelRegisterMap.wire(StiebelRegisterMap.IDENTIFICATION_NUMBER));
        assertEquals(5001, sensor(StiebelModel.LWZ, "controller_id").address());
        assertEquals(RegisterKind.INPUT, sensor(StiebelModel.LWZ, "controller_id").registerKind());
        // §6 LWZ: 7 outside, 12 flow, 13 return, 16 DHW actual
        assertEquals(6, sensor(StiebelModel.LWZ, "temp_outdoor").address());
        assertEquals(11, sensor(StiebelModel.LWZ, "temp_flow").address());
        assertEquals(12, sensor(StiebelModel.LWZ, "temp_return").address());
        assertEquals(15, sensor(StiebelModel.LWZ, "temp_hot_water").address());
        // §5.1: 515 flow, 516 return (pail23#104), WPM 3i HK 1 setpoint on 510 (not 509)
        assertEquals(514, sensor(StiebelModel.WPM, "temp_flow").address());
        assertEquals(515, sensor(StiebelModel.WPM, "temp_return").address());
        assertEquals(509, sensor(StiebelModel.WPM, "temp_circuit_1_setpoint").address());
    }

    @Test
    void valuesAreInputRegistersAndParametersHoldingRegisters() {
        for (StiebelModel model : StiebelModel.values()) {
            for (StiebelRegister r : StiebelRegisterMap.rows(model)) {
                SensorDefinition s = r.sensor();
                if (s.writable()) {
                    assertEquals(RegisterKind.HOLDING, s.registerKind(), s.id());
                }
                assertEquals(r.block().kind(), s.registerKind(), s.id() + " lives in its block's table");
                int manual = s.address() + 1;
                boolean parameterRange = manual >= 1001 && manual <= 1999 || manual >= 4001 && manual <= 4003;
                assertEquals(parameterRange, s.registerKind() == RegisterKind.HOLDING, s.id() + " at " + manual);
            }
        }
    }

    @Test
    void typeTwoIsTenthsTypeSevenHundredthsAndNegativeValuesAreTwosComplement() {
        SensorDefinition outdoor = sensor(StiebelModel.WPM, "temp_outdoor");
        assertEquals(DataType.INT16, outdoor.dataType());
        // the gist: −19.5 °C arrives as 65341
        assertEquals(-19.5, decode(outdoor, 65341).value(), 1e-9);
        assertEquals(21.5, decode(outdoor, 215).value(), 1e-9);
        // 520 HEATING PRESSURE, type 7: 185 → 1.85 bar
        SensorDefinition pressure = sensor(StiebelModel.WPM, "pressure_heating");
        assertEquals(1.85, decode(pressure, 185).value(), 1e-9);
        assertEquals("bar", pressure.unit());
        // 1504 HEATING CURVE RISE, type 7
        assertEquals(0.6, decode(sensor(StiebelModel.WPM, "heating_curve_circuit_1"), 60).value(), 1e-9);
        // LWZ 29 HIGH PRESSURE type 7, 14 PRESSURE HTG CIRC type 2
        assertEquals(22.4, decode(sensor(StiebelModel.LWZ, "pressure_high"), 2240).value(), 1e-9);
        assertEquals(1.7, decode(sensor(StiebelModel.LWZ, "pressure_heating"), 17).value(), 1e-9);
        // WPM 3i 540 HIGH PRESSURE is type 2 (unlike the per-unit type-7 pressures)
        assertEquals(24.5, decode(sensor(StiebelModel.WPM, "pressure_high"), 245).value(), 1e-9);
        assertEquals(24.5, decode(sensor(StiebelModel.WPM, "hp1_pressure_high"), 2450).value(), 1e-9);
        // type 6: u16 as is, 2507 ACTIVE ERROR up to 65535
        assertEquals(65535, decode(sensor(StiebelModel.WPM, "active_error"), 0xFFFF).value(), 1e-9);
    }

    @Test
    void rawHex8000IsNotAvailableForEveryTypeCode() {
        for (String id : List.of("temp_outdoor", "pressure_heating", "active_error", "operating_mode",
                "operating_status", "hot_water_comfort_temp", "sg_ready_input_1", "bus_status")) {
            SensorReading r = decode(sensor(StiebelModel.WPM, id), 0x8000);
            assertEquals(Quality.INVALID, r.quality(), id);
            assertNull(r.value(), id);
        }
        assertEquals(Quality.INVALID, decode(sensor(StiebelModel.LWZ, "temp_hot_water"), 0x8000).quality());
    }

    @Test
    void busStatusMinusFourIsReadSigned() {
        // manual range −4…0 on an unsigned type: the inferred wire form 0xFFFC reads −4
        assertEquals(-4, decode(sensor(StiebelModel.WPM, "bus_status"), 0xFFFC).value(), 1e-9);
    }

    @Test
    void energyTotalsAreKwhPlusThousandTimesMwh() {
        // §5.3: 3502 LOW (kWh, 0…999) / 3503 HI (MWh); total = HI × 1000 + LOW
        StiebelRegister heating = row(StiebelModel.WPM, "energy_heating_total");
        assertEquals(List.of(3501, 3502), heating.terms().stream().map(t -> t.raw().address()).toList());
        assertEquals(List.of(1L, 1000L), heating.terms().stream().map(StiebelRegister.Term::multiplier).toList());
        assertEquals("kWh", heating.sensor().unit());
        assertTrue(heating.sensor().description().contains("once a day"), "the sheet's caveat reaches the user");
        Map<String, int[]> pairs = Map.of(
                "energy_hot_water_total", new int[] {3505, 3506},
                "energy_booster_heating_total", new int[] {3507, 3508},
                "energy_booster_hot_water_total", new int[] {3509, 3510},
                "energy_heating_consumed_total", new int[] {3512, 3513},
                "energy_hot_water_consumed_total", new int[] {3515, 3516});
        pairs.forEach((id, manual) -> assertEquals(List.of(manual[0] - 1, manual[1] - 1),
                row(StiebelModel.WPM, id).terms().stream().map(t -> t.raw().address()).toList(), id));
        // §6 LWZ: heat 3002/3003, electric heating 3023/3024 and DHW 3026/3027
        assertEquals(List.of(3001, 3002), row(StiebelModel.LWZ, "energy_heating_total").terms().stream()
                .map(t -> t.raw().address()).toList());
        assertEquals(List.of(3022, 3023), row(StiebelModel.LWZ, "energy_heating_consumed_total").terms().stream()
                .map(t -> t.raw().address()).toList());
        assertEquals(List.of(3025, 3026), row(StiebelModel.LWZ, "energy_hot_water_consumed_total").terms().stream()
                .map(t -> t.raw().address()).toList());
        // every term is a u16 with the 0x8000 sentinel
        for (StiebelRegister.Term t : heating.terms()) {
            assertEquals(DataType.UINT16, t.raw().dataType());
            assertTrue(t.raw().invalidRaw().contains((long) 0x8000));
        }
    }

    @Test
    void lwzCompressorStartsAreHighOn31AndLowOn34() {
        StiebelRegister starts = row(StiebelModel.LWZ, "compressor_starts");
        Map<Integer, Long> byManual = starts.terms().stream()
                .collect(Collectors.toMap(t -> t.raw().address() + 1, StiebelRegister.Term::multiplier));
        assertEquals(Map.of(34, 1L, 31, 1000L), byManual);
    }

    @Test
    void onlyTheAllowListIsWritableWithTheManualsRanges() {
        Map<String, double[]> wpm = Map.of(
                "operating_mode", new double[] {0, 5},
                "comfort_temp_circuit_1", new double[] {5, 30}, "eco_temp_circuit_1", new double[] {5, 30},
                "comfort_temp_circuit_2", new double[] {5, 30}, "eco_temp_circuit_2", new double[] {5, 30},
                "hot_water_comfort_temp", new double[] {10, 60}, "hot_water_eco_temp", new double[] {10, 60},
                "sg_ready_enabled", new double[] {0, 1}, "sg_ready_input_1", new double[] {0, 1},
                "sg_ready_input_2", new double[] {0, 1});
        assertWritable(StiebelModel.WPM, wpm);
        // LWZ DHW: the manual's 55 °C (65 only for LWZ 5S Plus/Smart/INV, not in this map)
        Map<String, double[]> lwz = Map.of(
                "operating_mode", new double[] {0, 14},
                "room_temp_day_circuit_1", new double[] {10, 30}, "room_temp_night_circuit_1", new double[] {10, 30},
                "hot_water_temp_day", new double[] {10, 55}, "hot_water_temp_night", new double[] {10, 55},
                "hot_water_temp_manual", new double[] {10, 55},
                "sg_ready_enabled", new double[] {0, 1}, "sg_ready_input_1", new double[] {0, 1},
                "sg_ready_input_2", new double[] {0, 1});
        assertWritable(StiebelModel.LWZ, lwz);
    }

    private static void assertWritable(StiebelModel model, Map<String, double[]> expected) {
        Set<String> writable = new TreeSet<>();
        for (StiebelRegister r : StiebelRegisterMap.rows(model)) {
            if (r.sensor().writable()) {
                writable.add(r.id());
                assertEquals(AccessMode.READ_WRITE, r.sensor().access());
            }
            int manual = r.sensor().address() + 1;
            // RESET (1520 / LWZ 1026) and RESTART ISG (1521 / 1027) are never offered
            assertFalse(Set.of(1520, 1521, 1026, 1027).contains(manual) && r.sensor().registerKind()
                    == RegisterKind.HOLDING, r.id());
        }
        assertEquals(new TreeSet<>(expected.keySet()), writable, model + " allow-list");
        expected.forEach((id, range) -> {
            SensorDefinition s = sensor(model, id);
            assertEquals(range[0], s.min(), 1e-9, id + " min");
            assertEquals(range[1], s.max(), 1e-9, id + " max");
        });
    }

    @Test
    void operatingModeLabelsAreTheDocumentedOnes() {
        Map<Integer, String> wpm = sensor(StiebelModel.WPM, "operating_mode").enumValues();
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), wpm.keySet());
        assertEquals(DataType.ENUM, sensor(StiebelModel.WPM, "operating_mode").dataType());
        // lwz.py OperatingMode: 0, 1, 3, 4, 5, 11, 14
        assertEquals(Set.of(0, 1, 3, 4, 5, 11, 14), sensor(StiebelModel.LWZ, "operating_mode").enumValues().keySet());
    }

    @Test
    void sgReadyIsHeldAndRewrittenWhileSettingsAreWrittenOnlyOnChange() {
        for (String id : List.of("sg_ready_enabled", "sg_ready_input_1", "sg_ready_input_2")) {
            SensorDefinition s = sensor(StiebelModel.WPM, id);
            assertTrue(s.has(SensorFlag.REFRESH_REQUIRED), id);
            assertFalse(s.has(SensorFlag.EEPROM), id + ": the EEPROM rule would forbid the rewrite");
            // below the 30 s the shortest reported fall-back takes
            assertEquals(25, s.refreshSeconds(), id);
            assertTrue(s.refreshSeconds() < 30);
        }
        for (StiebelModel model : StiebelModel.values()) {
            for (StiebelRegister r : StiebelRegisterMap.rows(model)) {
                SensorDefinition s = r.sensor();
                if (s.writable() && !s.id().startsWith("sg_ready")) {
                    assertTrue(s.has(SensorFlag.EEPROM), s.id() + " is written only on change");
                    assertEquals(0, s.refreshSeconds(), s.id() + " is never rewritten");
                }
            }
        }
        assertEquals(120, StiebelRegisterMap.rows(StiebelModel.WPM, 120).stream()
                .filter(r -> r.id().equals("sg_ready_input_1")).findFirst().orElseThrow().sensor().refreshSeconds());
        assertThrows(IllegalArgumentException.class,
                () -> StiebelRegisterMap.sgReadyRefresh(Map.of(StiebelRegisterMap.OPTION_SG_READY_REFRESH, "5")));
        assertThrows(IllegalArgumentException.class,
                () -> StiebelRegisterMap.sgReadyRefresh(Map.of(StiebelRegisterMap.OPTION_SG_READY_REFRESH, "soon")));
    }

    @Test
    void idsAreUniqueAndOptionalBlocksAreTheOnesSomeControllersLack() {
        for (StiebelModel model : StiebelModel.values()) {
            Set<String> ids = new HashSet<>();
            for (StiebelRegister r : StiebelRegisterMap.rows(model)) {
                assertTrue(ids.add(r.id()), "duplicate " + r.id());
                assertTrue(r.block().servedBy().stream().allMatch(c -> c.model() == model)
                        || r.block() == StiebelBlock.SG_READY || r.block() == StiebelBlock.SYSTEM_INFO, r.id());
            }
        }
        // §7: inverter power only on WPMsystem; 539–541 only on the WPM 3i; per-HP blocks not on the 3i
        assertEquals(Set.of(StiebelController.WPM_SYSTEM), StiebelBlock.WPM_INVERTER_POWER.servedBy());
        assertEquals(3679, sensor(StiebelModel.WPM, "power_inverter").address());
        assertTrue(row(StiebelModel.WPM, "power_inverter").block().optional());
        assertEquals(Set.of(StiebelController.WPM_3I), StiebelBlock.WPM_3I_REFRIGERANT.servedBy());
        assertFalse(StiebelBlock.WPM_HP1.servedBy().contains(StiebelController.WPM_3I));
        assertTrue(StiebelBlock.SYSTEM_INFO.optional(), "openhab-addons#12773: 5001-5002 may be refused");
        assertFalse(StiebelBlock.WPM_VALUES.optional());
    }

    @Test
    void controllerIdsMapToTheirModel() {
        assertEquals(StiebelModel.LWZ, StiebelController.byId(103).orElseThrow().model());
        assertEquals(StiebelModel.LWZ, StiebelController.byId(104).orElseThrow().model());
        assertEquals(StiebelModel.LWZ, StiebelController.byId(551).orElseThrow().model());
        assertEquals(StiebelModel.WPM, StiebelController.byId(390).orElseThrow().model());
        assertEquals(StiebelModel.WPM, StiebelController.byId(391).orElseThrow().model());
        assertEquals(StiebelModel.WPM, StiebelController.byId(449).orElseThrow().model());
        assertTrue(StiebelController.byId(165).isEmpty(), "WPM II has no published map");
    }
}
