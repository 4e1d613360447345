package gateway.core.automation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import gateway.core.api.Automation.AlertTemplate;
import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.ManufacturerRegistry;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorRole;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.testing.TestDriver;

/** The five templates against a driver's declared roles. */
class AlertTemplatesTest {

    /** The test driver plus roles for hot water and the fault (enum 0 = none), nothing for flow or lock. */
    static final class DriverWithRoles extends TestDriver {
        @Override
        public List<SensorDefinition> sensors(DeviceConfig deviceConfig) {
            return RecordingManager.SENSORS;
        }

        @Override
        public Map<SensorRole, String> sensorRoles(DeviceConfig deviceConfig) {
            return Map.of(SensorRole.HOT_WATER_TEMPERATURE, "temp_hot_water", SensorRole.COMMON_FAULT, "common_fault",
                    SensorRole.UTILITY_LOCK, "no_such_sensor");
        }
    }

    static ManufacturerRegistry registry(HeatpumpDriver driver) {
        return new ManufacturerRegistry() {
            @Override
            public List<Manufacturer> manufacturers() {
                return List.of();
            }

            @Override
            public Optional<HeatpumpDriver> driver(String manufacturerId, String modelId) {
                return Optional.ofNullable(driver);
            }
        };
    }

    @Test
    void templatesNameTheDevicesSensorsOrSayWhyNot() throws Exception {
        RecordingManager manager = new RecordingManager().device("hp-1", "Basement");
        Map<String, AlertTemplate> t = new AlertTemplates(manager, registry(new DriverWithRoles()))
                .forDevice("hp-1").stream().collect(Collectors.toMap(AlertTemplate::id, Function.identity()));
        assertEquals(List.of("daily_status", "flow_high", "general_fault", "hot_water_low", "utility_lock"),
                t.keySet().stream().sorted().toList());

        assertEquals("temp_hot_water", t.get("hot_water_low").sensor());
        assertEquals("<", t.get("hot_water_low").condition());
        assertEquals("40", t.get("hot_water_low").threshold());
        assertNull(t.get("hot_water_low").unavailable());
        assertEquals("common_fault", t.get("general_fault").sensor());
        assertEquals("!=", t.get("general_fault").condition());

        assertNull(t.get("flow_high").sensor());
        assertEquals("the Test Maker Model A driver has no sensor for flow temperature", t.get("flow_high").unavailable());
        assertEquals("sensor 'no_such_sensor' is not part of this device's configuration",
                t.get("utility_lock").unavailable());
        // a status report needs no sensor: served without the outdoor temperature
        assertNull(t.get("daily_status").unavailable());
        assertEquals(86_400, t.get("daily_status").intervalSeconds());
    }

    @Test
    void aDeviceWhoseDriverIsMissingCannotServeAny() throws Exception {
        RecordingManager manager = new RecordingManager().device("hp-1", "Basement");
        List<AlertTemplate> t = new AlertTemplates(manager, registry(null)).forDevice("hp-1");
        assertEquals(5, t.stream().filter(x -> x.unavailable() != null
                && x.unavailable().equals("the driver testmaker/model-a is not installed")).count());
        assertThrows(UnknownHeatpumpException.class, () -> new AlertTemplates(manager, registry(null))
                .forDevice("hp-2"));
    }
}
