package gateway.driver.vaillant.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import gateway.core.api.AccessMode;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.CopSources;
import gateway.core.api.DerivedSensors;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.OperatingMode;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.api.SensorRole;
import gateway.driver.vaillant.internal.VaillantMessages.Device;
import gateway.driver.vaillant.internal.VaillantMessages.Point;

/** The message table and driver contract against the fact sheet (§5 names and types, §6 write rules). */
class VaillantDriverTest {

    private final VaillantDriver driver = new VaillantDriver();

    private static Point point(String id) {
        return VaillantMessages.point(id).orElseThrow(() -> new AssertionError("no sensor " + id));
    }

    private static void assertMessage(String id, Device device, String message) {
        Point p = point(id);
        assertEquals(device, p.device(), id);
        assertEquals(message, p.sources().get(0).message(), id);
    }

    @Test
    void contractIds() {
        assertEquals("vaillant", driver.manufacturerId());
        assertEquals("arotherm", driver.modelId());
        assertEquals("ebusd", driver.protocol());
        assertEquals(60, driver.defaultPollIntervalSeconds());
        assertTrue(driver.minPollIntervalSeconds() >= 10);
    }

    @Test
    void controllerAndHeatPumpMessagesHaveTheirEbusdNames() {
        assertMessage("temp_outdoor", Device.CONTROLLER, "DisplayedOutsideTemp");
        assertMessage("temp_system_flow", Device.CONTROLLER, "SystemFlowTemp");
        assertMessage("temp_flow_hc1", Device.CONTROLLER, "Hc1FlowTemp");
        assertMessage("temp_hot_water", Device.CONTROLLER, "HwcStorageTemp");
        assertMessage("hot_water_target", Device.CONTROLLER, "HwcTempDesired");
        assertMessage("hot_water_mode", Device.CONTROLLER, "HwcOpMode");
        assertMessage("room_setpoint_day_z1", Device.CONTROLLER, "z1DayTemp");
        assertMessage("room_setpoint_night_z1", Device.CONTROLLER, "z1NightTemp");
        assertMessage("room_quick_veto_z1", Device.CONTROLLER, "Z1QuickVetoTemp");
        assertMessage("heating_mode_z1", Device.CONTROLLER, "Z1OpMode");
        assertMessage("operating_state", Device.HEAT_PUMP, "State");
        assertEquals("state", point("operating_state").sources().get(0).field());
        assertMessage("temp_flow", Device.HEAT_PUMP, "FlowTemp");
        assertEquals("RunDataFlowTemp", point("temp_flow").sources().get(1).message(), "the #624 substitute");
        assertMessage("electrical_power", Device.HEAT_PUMP, "CurrentConsumedPower");
        assertMessage("environmental_yield_power", Device.HEAT_PUMP, "CurrentYieldPower");
        assertMessage("compressor_modulation", Device.HEAT_PUMP, "CurrentCompressorUtil");
        assertMessage("vendor_cop_heating", Device.HEAT_PUMP, "CopHc");
        assertMessage("flow_rate", Device.HEAT_PUMP, "BuildingCircuitFlow");
    }

    @Test
    void unitConversionsFollowTheDefinitions() {
        // D1B / 10 → kW (0.1 kW resolution); the gateway reports W
        assertEquals(1000, point("electrical_power").sources().get(0).factor());
        assertEquals(1, point("electrical_power").sources().get(1).factor(), "RunDataElectricPowerConsumption is W");
        assertEquals(1000, point("environmental_yield_power").sources().get(0).factor());
        // RunDataCompressorSpeed is rps: × 60 for rpm
        assertEquals(60, point("compressor_speed").sources().get(0).factor());
        assertEquals("rpm", point("compressor_speed").sensor().unit());
        assertEquals("W", point("heat_output").sensor().unit());
    }

    @Test
    void enumsCarryTheDefinitionsValues() {
        assertEquals(Map.of(0, "off", 1, "auto", 2, "manual"), point("heating_mode_z1").sensor().enumValues());
        assertEquals(Map.of(0, "off", 1, "auto", 2, "manual"), point("hot_water_mode").sensor().enumValues());
        assertEquals("load", point("hot_water_special_function").sensor().enumValues().get(6));
        Map<Integer, String> state = point("operating_state").sensor().enumValues();
        assertEquals("ready", state.get(0x01));
        assertEquals("heating", state.get(0x09));
        assertEquals("error", state.get(0x0b));
        assertEquals("cooling", state.get(0x11));
        assertEquals("hot_water", state.get(0x81));
    }

    @Test
    void onlyTheControllerAllowListIsWritableWithTheDefinitionsRanges() {
        Set<String> writable = driver.sensors(DeviceConfig.empty()).stream().filter(SensorDefinition::writable)
                .map(SensorDefinition::id).collect(Collectors.toSet());
        assertEquals(Set.of("hot_water_target", "heating_mode_z1", "room_setpoint_day_z1", "room_setpoint_night_z1",
                "room_quick_veto_z1"), writable);
        for (String id : writable) {
            assertEquals(Device.CONTROLLER, point(id).device(), "never write to the HMU: " + id);
        }
        SensorDefinition dhw = point("hot_water_target").sensor();
        assertEquals(35.0, dhw.min());
        assertEquals(70.0, dhw.max());
        assertEquals(1.0, dhw.step());
        SensorDefinition veto = point("room_quick_veto_z1").sensor();
        assertEquals(5.0, veto.min());
        assertEquals(30.0, veto.max());
        assertEquals(0.5, veto.step());
        for (Point p : VaillantMessages.points()) {
            if (p.device() == Device.HEAT_PUMP) {
                assertEquals(AccessMode.READ_ONLY, p.sensor().access(), p.id());
            }
        }
    }

    @Test
    void refuseWriteNamesTheAllowList() {
        SensorDefinition flow = point("temp_flow").sensor();
        // even a definition someone marked writable is refused by id
        SensorDefinition forged = flow.toBuilder().access(AccessMode.READ_WRITE).build();
        assertTrue(driver.refuseWrite(forged, 30, null).orElseThrow().contains("allow-list"));
        assertTrue(driver.refuseWrite(point("hot_water_target").sensor(), 50, null).isEmpty());
    }

    @Test
    void sessionRefusesOffListOutOfRangeOffStepAndUnknownEnumValuesBeforeSending() {
        SensorDefinition dhw = point("hot_water_target").sensor();
        assertEquals("50", assertDoesNotThrow(() -> VaillantSession.wireValue(dhw, 50)));
        assertThrows(VaillantWriteRefusedException.class, () -> VaillantSession.wireValue(dhw, 71));
        assertThrows(VaillantWriteRefusedException.class, () -> VaillantSession.wireValue(dhw, 34));
        assertThrows(VaillantWriteRefusedException.class, () -> VaillantSession.wireValue(dhw, 50.5));
        assertThrows(VaillantWriteRefusedException.class, () -> VaillantSession.wireValue(dhw, Double.NaN));
        SensorDefinition mode = point("heating_mode_z1").sensor();
        assertEquals("manual", assertDoesNotThrow(() -> VaillantSession.wireValue(mode, 2)));
        assertThrows(VaillantWriteRefusedException.class, () -> VaillantSession.wireValue(mode, 3));
        SensorDefinition day = point("room_setpoint_day_z1").sensor();
        assertEquals("20.5", assertDoesNotThrow(() -> VaillantSession.wireValue(day, 20.5)));
        assertThrows(VaillantWriteRefusedException.class, () -> VaillantSession.wireValue(day, 20.3));
    }

    private static String assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<String> s) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
    }

    @Test
    void idsAreUniqueStableAndLeaveTheDerivedIdsFree() {
        List<SensorDefinition> sensors = driver.sensors(DeviceConfig.empty());
        Set<String> ids = new HashSet<>();
        Set<Integer> addresses = new HashSet<>();
        for (SensorDefinition s : sensors) {
            assertTrue(ids.add(s.id()), "duplicate " + s.id());
            assertTrue(addresses.add(s.address()), "duplicate address " + s.address());
        }
        DerivedSensors.COP_SENSORS.forEach(d -> assertFalse(ids.contains(d.id()), d.id() + " is reserved"));
        assertEquals(44, sensors.size(), "sensor count (report it when it changes)");
    }

    @Test
    void rolesNameReadableSensorsAndCopUsesHeatOutputOverElectricalPower() {
        Map<SensorRole, String> roles = driver.sensorRoles(DeviceConfig.empty());
        assertEquals(EnumSet.of(SensorRole.OUTDOOR_TEMPERATURE, SensorRole.FLOW_TEMPERATURE,
                SensorRole.RETURN_TEMPERATURE, SensorRole.HOT_WATER_TEMPERATURE), EnumSet.copyOf(roles.keySet()));
        Set<String> readable = driver.sensors(DeviceConfig.empty()).stream().filter(SensorDefinition::readable)
                .map(SensorDefinition::id).collect(Collectors.toSet());
        roles.forEach((role, id) -> assertTrue(readable.contains(id), role + " -> " + id));
        CopSources cop = driver.copSources(DeviceConfig.empty()).orElseThrow();
        assertEquals("heat_output", cop.heatPower());
        assertEquals("electrical_power", cop.electricPower());
        driver.dashboardTemplate(DeviceConfig.empty()).charts().forEach(c -> c.sensors()
                .forEach(id -> assertTrue(readable.contains(id), c.title() + ": " + id)));
    }

    @Test
    void operatingModeComesFromTheHmuState() {
        assertEquals(OperatingMode.HEATING, driver.operatingMode(snapshot(0x09)));
        assertEquals(OperatingMode.HOT_WATER, driver.operatingMode(snapshot(0x81)));
        assertEquals(OperatingMode.COOLING, driver.operatingMode(snapshot(0x11)));
        assertEquals(OperatingMode.STANDBY, driver.operatingMode(snapshot(0x01)));
        assertEquals(OperatingMode.UNKNOWN, driver.operatingMode(snapshot(0x0b)));
    }

    private static DeviceSnapshot snapshot(int state) {
        return new DeviceSnapshot("hp", "vaillant", "arotherm", Instant.now(),
                Map.of("operating_state", SensorReading.good("operating_state", state, null, Instant.now())));
    }

    @Test
    void badOptionsAreNamedByValidateAndRefusedByOpen() {
        assertTrue(driver.validate(DeviceConfig.empty()).isEmpty());
        List<String> problems = driver.validate(new DeviceConfig(List.of("A"), List.of(2),
                Map.of("controller_circuit", "ctl v2", "max_age", "soon")));
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("controller_circuit")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("max_age")), problems.toString());
        DeviceException e = assertThrows(DeviceException.class, () -> driver.open(new ConnectionConfig("127.0.0.1",
                8888, 1, 1000, Map.of("heatpump_circuit", "hmu\nwrite")), DeviceConfig.empty()));
        assertTrue(e.getMessage().contains("heatpump_circuit"), e.getMessage());
    }

    @Test
    void setupInstructionsSayWhatIsNeededAndHowToCheckIt() {
        String text = driver.setupInstructions();
        for (String needed : new String[] {"eBUS adapter", "ebusd", "8888", "info", "hmu", "ctlv2",
                "heatpump_circuit", "controller_circuit", "no signal"}) {
            assertTrue(text.contains(needed), needed);
        }
    }
}
