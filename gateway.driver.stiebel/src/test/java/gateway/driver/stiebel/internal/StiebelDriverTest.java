package gateway.driver.stiebel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import gateway.core.api.AnomalyFeatures;
import gateway.core.api.CopSources;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.OperatingMode;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.api.SensorRole;
import gateway.core.testing.SimulatorSnapshots;

/** What the driver services tell the gateway: ids, roles, COP sources, modes, validation, instructions. */
class StiebelDriverTest {

    private static final List<StiebelDriver> DRIVERS = List.of(new StiebelWpmDriver(), new StiebelLwzDriver());

    @Test
    void identityIsTheIssuesContract() {
        assertEquals("stiebel_eltron", DRIVERS.get(0).manufacturerId());
        assertEquals("wpm", DRIVERS.get(0).modelId());
        assertEquals("lwz", DRIVERS.get(1).modelId());
        for (StiebelDriver d : DRIVERS) {
            assertEquals("modbus_tcp", d.protocol());
            assertEquals(502, d.defaultPort());
            assertEquals(30, d.defaultPollIntervalSeconds());
        }
    }

    @Test
    void everyRoleAndCopSourceNamesAReadableSensor() {
        for (StiebelDriver d : DRIVERS) {
            Map<String, SensorDefinition> byId = d.sensors(DeviceConfig.empty()).stream()
                    .collect(Collectors.toMap(SensorDefinition::id, s -> s));
            Map<SensorRole, String> roles = d.sensorRoles(DeviceConfig.empty());
            Set<SensorRole> expected = EnumSet.of(SensorRole.OUTDOOR_TEMPERATURE, SensorRole.FLOW_TEMPERATURE,
                    SensorRole.RETURN_TEMPERATURE, SensorRole.HOT_WATER_TEMPERATURE, SensorRole.COMMON_FAULT);
            if (d.model() == StiebelModel.WPM) {
                expected.add(SensorRole.UTILITY_LOCK);
                assertEquals("locked", byId.get(roles.get(SensorRole.UTILITY_LOCK)).enumValues().get(1),
                        "2502 POWER OFF: 1 = utility lock");
            }
            assertEquals(expected, EnumSet.copyOf(roles.keySet()), d.modelId());
            roles.forEach((role, id) -> assertTrue(byId.containsKey(id) && byId.get(id).readable(), role + " " + id));
            assertEquals("°C", byId.get(roles.get(SensorRole.OUTDOOR_TEMPERATURE)).unit());

            CopSources cop = d.copSources(DeviceConfig.empty()).orElseThrow();
            assertEquals("kWh", byId.get(cop.heatEnergy()).unit());
            assertEquals("kWh", byId.get(cop.electricEnergy()).unit());
            AnomalyFeatures f = d.anomalyFeatures(DeviceConfig.empty());
            assertFalse(f.isEmpty());
            f.sensors().forEach(id -> assertTrue(byId.containsKey(id), id));
        }
    }

    @Test
    void operatingModeComesFromTheStatusBits() {
        StiebelDriver wpm = DRIVERS.get(0);
        // WPM 2501: bit 4 heating, 5 DHW, 6 compressor, 8 cooling, 9 defrost
        assertEquals(OperatingMode.HEATING, wpm.operatingMode(status(wpm, (1 << 4) | (1 << 6))));
        assertEquals(OperatingMode.HOT_WATER, wpm.operatingMode(status(wpm, (1 << 5) | (1 << 6))));
        assertEquals(OperatingMode.DEFROST, wpm.operatingMode(status(wpm, (1 << 9) | (1 << 4))));
        assertEquals(OperatingMode.COOLING, wpm.operatingMode(status(wpm, 1 << 8)));
        assertEquals(OperatingMode.STANDBY, wpm.operatingMode(status(wpm, 1 << 7)));
        StiebelDriver lwz = DRIVERS.get(1);
        // LWZ 2001: bit 2 heating, 3 cooling, 4 DHW, 11 defrost
        assertEquals(OperatingMode.HEATING, lwz.operatingMode(status(lwz, (1 << 1) | (1 << 2))));
        assertEquals(OperatingMode.HOT_WATER, lwz.operatingMode(status(lwz, (1 << 1) | (1 << 4))));
        assertEquals(OperatingMode.DEFROST, lwz.operatingMode(status(lwz, 1 << 11)));
        assertEquals(OperatingMode.UNKNOWN, lwz.operatingMode(new DeviceSnapshot("hp", "stiebel_eltron", "lwz",
                Instant.EPOCH, Map.of("operating_status", SensorReading.invalid("operating_status", "0x8000",
                        Instant.EPOCH)))));
    }

    private static DeviceSnapshot status(StiebelDriver d, int bits) {
        return new DeviceSnapshot("hp", d.manufacturerId(), d.modelId(), Instant.EPOCH,
                Map.of("operating_status", SensorReading.good("operating_status", bits, null, Instant.EPOCH)));
    }

    @Test
    void theSimulatorsModeIsOneTheDriverRecognises() throws Exception {
        for (StiebelDriver d : DRIVERS) {
            try (StiebelSimulator sim = StiebelSimulator.start(StiebelSimulator.defaultController(d.model()), 0, 0)) {
                sim.step(120);
                OperatingMode mode = d.operatingMode(SimulatorSnapshots.snapshot(d, DeviceConfig.empty(), sim,
                        Instant.now()));
                assertTrue(mode != OperatingMode.UNKNOWN, d.modelId() + ": " + mode);
            }
        }
    }

    @Test
    void validationNamesTheProblem() {
        StiebelDriver wpm = DRIVERS.get(0);
        assertTrue(wpm.validate(DeviceConfig.empty()).isEmpty());
        assertTrue(wpm.validate(DeviceConfig.of(List.of("1", "2"), List.of())).isEmpty());
        assertTrue(wpm.validate(DeviceConfig.of(List.of("3"), List.of())).get(0).contains("'3'"));
        assertTrue(DRIVERS.get(1).validate(DeviceConfig.of(List.of("2"), List.of())).get(0).contains("'2'"));
        List<String> bad = wpm.validate(new DeviceConfig(List.of(), List.of(),
                Map.of(StiebelRegisterMap.OPTION_SG_READY_REFRESH, "3")));
        assertTrue(bad.get(0).contains(StiebelRegisterMap.OPTION_SG_READY_REFRESH), bad.toString());
        // circuit 1 only: circuit 2's sensors are left out, circuit-less ones stay
        Set<String> one = wpm.sensors(DeviceConfig.of(List.of("1"), List.of())).stream().map(SensorDefinition::id)
                .collect(Collectors.toSet());
        assertTrue(one.contains("comfort_temp_circuit_1") && one.contains("temp_outdoor"));
        assertFalse(one.contains("comfort_temp_circuit_2"));
    }

    @Test
    void setupInstructionsSayWhatTheIsgNeeds() {
        for (HeatpumpDriver d : DRIVERS) {
            String text = d.setupInstructions();
            for (String needed : List.of("ISG", "Modbus", "502", "unit id 1", "5002", "SG Ready", "30 s")) {
                assertTrue(text.contains(needed), d.modelId() + " instructions mention " + needed);
            }
        }
    }

    @Test
    void dashboardNamesOnlySensorsOfTheModel() {
        for (StiebelDriver d : DRIVERS) {
            Set<String> ids = d.sensors(DeviceConfig.empty()).stream().map(SensorDefinition::id)
                    .collect(Collectors.toSet());
            d.dashboardTemplate(DeviceConfig.empty()).charts().forEach(c -> c.sensors()
                    .forEach(id -> assertTrue(ids.contains(id), d.modelId() + " chart " + c.title() + ": " + id)));
        }
    }

    @Test
    void sensorCounts() {
        // reported in the issue note; a change here is a change of the device contract
        assertEquals(70, DRIVERS.get(0).sensors(DeviceConfig.empty()).size());
        assertEquals(52, DRIVERS.get(1).sensors(DeviceConfig.empty()).size());
    }
}
