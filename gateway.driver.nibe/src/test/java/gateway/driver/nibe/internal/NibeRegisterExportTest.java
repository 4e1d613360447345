package gateway.driver.nibe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import gateway.core.api.AccessMode;
import gateway.core.api.DataType;
import gateway.core.api.DeviceConfig;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorFlag;

/** Our own small export in NIBE's format (tab separated, columns as described in the fact sheet). */
class NibeRegisterExportTest {

    static final String EXPORT = String.join("\n",
            "Title\tRegister type\tRegister\tDivision factor\tUnit\tSize of variable\tMin value\tMax value\tDefault value",
            "Outside sensor test\tMODBUS_INPUT_REGISTER\t1\t100\t°C\ts16\t0\t0\t0",                 // 2: overrides built-in
            "Test DM\tMODBUS_HOLDING_REGISTER\t11\t10\tDM\ts32\t-30000\t30000\t0",                    // 3
            "Test step setting\tMODBUS_HOLDING_REGISTER\t40901\t1\tDM\t2\t10\t1000\t100",             // 4: 4xxxx id, numeric size
            "Test meter\tMODBUS_INPUT_REGISTER\t30400\t100\tkWh\t6\t0\t0\t0",                         // 5: 3xxxx id → 399
            "Too short\tMODBUS_INPUT_REGISTER\t5",                                                       // 6: malformed
            "Bad factor\tMODBUS_INPUT_REGISTER\t5\tten\t°C\ts16\t0\t0\t0",                            // 7: malformed
            "Bad size\tMODBUS_INPUT_REGISTER\t6\t10\t°C\ts64\t0\t0\t0",                               // 8: malformed
            "Wrong table\tMODBUS_HOLDING_REGISTER\t30002\t10\t°C\ts16\t0\t0\t0",                      // 9: id says input
            "Test date\tMODBUS_INPUT_REGISTER\t1700\t1\t\t-\t-\t-\t-",                                // 10: no size
            "",                                                                                          // 11: blank
            "Outside sensor again\tMODBUS_INPUT_REGISTER\t1\t10\t°C\ts16\t0\t0\t0",                   // 12: duplicate, first wins
            "Test flow\tMODBUS_INPUT_REGISTER\t777\t10\tl/m\tu16\t0\t0\t0",                           // 13
            "Test coil\tMODBUS_COIL\t3\t1\t\tu8\t0\t1\t0");                                            // 14: malformed

    @Test
    void goodRowsBecomeSensorsWithRawAddressesAndScaledRanges() {
        NibeRegisterExport.Result r = NibeRegisterExport.parse(EXPORT);
        Map<String, SensorDefinition> byId = r.sensors().stream()
                .collect(Collectors.toMap(SensorDefinition::id, Function.identity()));
        assertEquals(5, r.sensors().size(), byId.keySet().toString());

        SensorDefinition outdoor = byId.get("reg_input_1");
        assertEquals(RegisterKind.INPUT, outdoor.registerKind());
        assertEquals(0.01, outdoor.scale(), 1e-12);
        assertEquals(DataType.INT16, outdoor.dataType());
        assertEquals(AccessMode.READ_ONLY, outdoor.access());
        assertNull(outdoor.min(), "0/0 means no range");
        assertTrue(outdoor.invalidRaw().contains(-32768L));

        SensorDefinition dm = byId.get("reg_holding_11");
        assertEquals(DataType.INT32, dm.dataType());
        assertEquals(-3000.0, dm.min(), 1e-9);
        assertEquals(3000.0, dm.max(), 1e-9);
        assertEquals(AccessMode.READ_WRITE, dm.access());
        assertTrue(dm.has(SensorFlag.EEPROM));

        SensorDefinition step = byId.get("reg_holding_900");
        assertEquals(DataType.INT16, step.dataType(), "size code 2 = s16");
        assertEquals(10.0, step.min(), 1e-9);

        SensorDefinition meter = byId.get("reg_input_399");
        assertEquals(DataType.UINT32, meter.dataType(), "size code 6 = u32");
        assertTrue(meter.invalidRaw().contains(0xFFFFFFFFL));

        assertEquals("l/min", byId.get("reg_input_777").unit());
    }

    @Test
    void malformedRowsAreSkippedAndReportedByLineNumber() {
        NibeRegisterExport.Result r = NibeRegisterExport.parse(EXPORT);
        assertEquals(List.of(6, 7, 8, 9, 10, 14), r.errors().stream().map(NibeRegisterExport.LineError::line).toList(),
                r.errors().toString());
        assertTrue(r.errors().get(0).message().contains("columns"));
        assertTrue(r.errors().get(3).message().contains("input"), r.errors().get(3).message());
    }

    @Test
    void numericSizeCodesMapToNibeTypes() {
        assertEquals(DataType.INT8, NibeRegisterExport.size("1"));
        assertEquals(DataType.INT16, NibeRegisterExport.size("2"));
        assertEquals(DataType.INT32, NibeRegisterExport.size("3"));
        assertEquals(DataType.UINT8, NibeRegisterExport.size("4"));
        assertEquals(DataType.UINT16, NibeRegisterExport.size("5"));
        assertEquals(DataType.UINT32, NibeRegisterExport.size("6"));
    }

    @Test
    void modiconIdsAreConvertedToRawAddresses() {
        assertEquals(new NibeAddress(RegisterKind.INPUT, 1), NibeAddress.parse("30002"));
        assertEquals(new NibeAddress(RegisterKind.HOLDING, 11), NibeAddress.parse("40012"));
        assertEquals(new NibeAddress(RegisterKind.INPUT, 0), NibeAddress.parse(" 30001 "));
        assertEquals(new NibeAddress(RegisterKind.HOLDING, 2743), NibeAddress.parse("2743", RegisterKind.HOLDING));
        assertEquals(new NibeAddress(null, 5), NibeAddress.parse("5"));
        assertThrows(IllegalArgumentException.class, () -> NibeAddress.parse("30002", RegisterKind.HOLDING));
        assertThrows(IllegalArgumentException.class, () -> NibeAddress.parse("00001"), "coils");
        assertThrows(IllegalArgumentException.class, () -> NibeAddress.parse("10001"), "discrete inputs");
        assertThrows(IllegalArgumentException.class, () -> NibeAddress.parse("20000"));
        assertThrows(IllegalArgumentException.class, () -> NibeAddress.parse("4x12"));
    }

    @Test
    void driverMergesTheExportOverTheBuiltInMap() {
        NibeDriver driver = new NibeS1155Driver();
        DeviceConfig config = new DeviceConfig(List.of(), List.of(), Map.of(NibeRegisterExport.OPTION, EXPORT));
        List<SensorDefinition> sensors = driver.sensors(config);
        Map<String, SensorDefinition> byId = sensors.stream()
                .collect(Collectors.toMap(SensorDefinition::id, Function.identity()));
        // built-in id kept, decoding taken from the export
        assertEquals(0.01, byId.get("temp_outdoor").scale(), 1e-12);
        assertTrue(!byId.containsKey("reg_input_1"), "merged, not duplicated");
        assertTrue(!byId.containsKey("reg_holding_11"));
        // export-only registers added as advanced sensors
        assertTrue(byId.get("reg_input_399").has(SensorFlag.ADVANCED));
        // built-in sensors the export does not mention stay
        assertTrue(byId.containsKey("temp_return"));
        assertEquals(NibeRegisterMap.builtIn(NibeModel.S1155, DeviceConfig.empty()).size() + 3, sensors.size());
        assertTrue(driver.validate(config).isEmpty(), driver.validate(config).toString());
    }

    @Test
    void anExportWithoutUsableRowsIsRejectedByValidate() {
        NibeDriver driver = new NibeS1155Driver();
        List<String> problems = driver.validate(new DeviceConfig(List.of(), List.of(),
                Map.of(NibeRegisterExport.OPTION, "garbage line\nmore garbage")));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("line 1"), problems.get(0));
    }

    @Test
    void importReportCountsUsableRowsAndNamesMalformedLines() {
        gateway.core.api.RegisterImport report = new NibeS1155Driver().importRegisters(EXPORT).orElseThrow();
        // rows 2, 3, 4, 5 and 13; the duplicate on line 12 is neither accepted twice nor an error
        assertEquals(5, report.rowsAccepted());
        assertEquals(List.of(6, 7, 8, 9, 10, 14), report.errors().stream().map(e -> e.line()).toList());
        assertEquals(gateway.core.api.RegisterImport.DEVICE_OPTION, NibeRegisterExport.OPTION);
    }
}
