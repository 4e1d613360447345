package gateway.driver.idm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpCapabilities;
import gateway.core.api.ReadGroup;
import gateway.core.api.SensorDefinition;
import gateway.core.modbus.AddressRange;
import gateway.core.modbus.ModbusDeviceProfile;
import gateway.core.modbus.RequestPlanner;
import gateway.core.modbus.WordOrder;

class IdmDriverTest {

    private final IdmDriver driver = new IdmDriver();
    private final ConnectionConfig lan = new ConnectionConfig("192.0.2.10", 502, 1);

    @Test
    void identifiesAsNavigator20OverModbusTcp() {
        assertEquals("idm", driver.manufacturerId());
        assertEquals("iDM Energiesysteme", driver.manufacturerName());
        assertEquals("navigator_2_0", driver.modelId());
        assertEquals("Navigator 2.0", driver.modelName());
        assertEquals("modbus_tcp", driver.protocol());
        assertEquals(502, driver.defaultPort());
        HeatpumpCapabilities caps = driver.capabilities(IdmRegisterMap.DEFAULT_CONFIG);
        assertEquals(List.of("A", "B", "C", "D", "E", "F", "G"), caps.circuits());
        assertEquals(10, caps.maxZones());
        assertTrue(caps.heating() && caps.cooling() && caps.hotWater() && caps.solar() && caps.photovoltaic()
                && caps.smartGrid() && caps.write());
    }

    @Test
    void profileReadsAndWritesLowWordFirstWithOverridableBlockLimit() {
        ModbusDeviceProfile p = IdmDriver.profile(lan);
        assertEquals(WordOrder.LOW_WORD_FIRST, p.readWordOrder());
        assertEquals(WordOrder.LOW_WORD_FIRST, p.writeWordOrder());
        assertEquals(125, p.maxBlock());
        assertFalse(p.singleWriteFunction());
        assertTrue(p.forbidden().contains(AddressRange.of(gateway.core.api.RegisterKind.HOLDING, 87, 999)));
        ConnectionConfig small = new ConnectionConfig("192.0.2.10", 502, 1, 3000, Map.of("max_block", "32"));
        assertEquals(32, IdmDriver.profile(small).maxBlock());
        ConnectionConfig silly = new ConnectionConfig("192.0.2.10", 502, 1, 3000, Map.of("max_block", "999"));
        assertEquals(125, IdmDriver.profile(silly).maxBlock());
    }

    @Test
    void plansFewerRequestsThanTheOriginalWithinTheProfile() {
        ModbusDeviceProfile p = IdmDriver.profile(lan);
        List<SensorDefinition> circuitA = driver.sensors(IdmRegisterMap.DEFAULT_CONFIG);
        List<SensorDefinition> full = driver.sensors(IdmRegisterMap.FULL_CONFIG);
        List<ReadGroup> planA = RequestPlanner.plan(circuitA, p.limits());
        List<ReadGroup> planFull = RequestPlanner.plan(full, p.limits());
        System.out.printf("idm plan: circuit A %d sensors -> %d requests; full %d sensors -> %d requests%n",
                circuitA.size(), planA.size(), full.size(), planFull.size());
        // the original needed 31 and 41 requests (maxBlock 50, gap 5)
        assertTrue(planA.size() < 31, "circuit A requests " + planA.size());
        assertTrue(planFull.size() < 41, "full requests " + planFull.size());
        for (List<ReadGroup> plan : List.of(planA, planFull)) {
            Set<String> served = new HashSet<>();
            for (ReadGroup g : plan) {
                assertTrue(g.count() <= 125);
                for (AddressRange f : p.forbidden()) {
                    assertFalse(f.overlaps(g.kind(), g.start(), g.end()), "group " + g.start() + " crosses " + f);
                }
                for (SensorDefinition s : g.sensors()) {
                    assertTrue(served.add(s.id()), "read twice " + s.id());
                }
            }
            List<SensorDefinition> source = plan == planA ? circuitA : full;
            Set<String> readable = source.stream().filter(SensorDefinition::readable).map(SensorDefinition::id)
                    .collect(Collectors.toSet());
            assertEquals(readable, served);
        }
    }

    @Test
    void dashboardUsesOnlySensorsOfTheConfiguration() {
        DeviceConfig config = DeviceConfig.of(List.of("A", "C"), List.of());
        Set<String> ids = driver.sensors(config).stream().map(SensorDefinition::id).collect(Collectors.toSet());
        var template = driver.dashboardTemplate(config);
        assertFalse(template.charts().isEmpty());
        for (var chart : template.charts()) {
            for (String s : chart.sensors()) {
                assertTrue(ids.contains(s), chart.title() + " uses unknown " + s);
            }
        }
        assertTrue(template.charts().stream().anyMatch(c -> c.sensors().contains("temp_flow_current_circuit_c")));
    }

    @Test
    void setupInstructionsNameTheControllerSettings() {
        String text = driver.setupInstructions();
        assertTrue(text.contains("Building Management"));
        assertTrue(text.contains("Modbus TCP = On"));
        assertTrue(text.contains("port 502"));
        assertTrue(text.contains("unit id 1"));
        assertTrue(text.contains("EEPROM"));
        assertTrue(text.contains("15 seconds"));
    }

    @Test
    void validationRejectsUnknownCircuitsAndZones() {
        assertTrue(driver.validate(IdmRegisterMap.FULL_CONFIG).isEmpty());
        assertEquals(2, driver.validate(DeviceConfig.of(List.of("H"), List.of(12))).size());
    }
}
