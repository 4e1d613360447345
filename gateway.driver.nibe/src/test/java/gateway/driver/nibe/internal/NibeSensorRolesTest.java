package gateway.driver.nibe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorRole;

/** The sensor roles the alert templates use: each names a readable sensor of the configuration. */
class NibeSensorRolesTest {

    @Test
    void everyDeclaredRoleNamesAReadableSensorOfTheConfiguration() {
        for (HeatpumpDriver driver : List.<HeatpumpDriver>of(new NibeS1155Driver(), new NibeS1255Driver(), new NibeS2125Driver())) {
            DeviceConfig config = DeviceConfig.of(List.of("1"), List.of());
            Map<SensorRole, String> roles = driver.sensorRoles(config);
            assertEquals(EnumSet.of(SensorRole.OUTDOOR_TEMPERATURE, SensorRole.FLOW_TEMPERATURE, SensorRole.RETURN_TEMPERATURE, SensorRole.HOT_WATER_TEMPERATURE, SensorRole.COMMON_FAULT), roles.isEmpty() ? EnumSet.noneOf(SensorRole.class)
                    : EnumSet.copyOf(roles.keySet()), driver.modelId());
            Set<String> readable = driver.sensors(config).stream().filter(SensorDefinition::readable)
                    .map(SensorDefinition::id).collect(Collectors.toSet());
            roles.forEach((role, id) -> assertTrue(readable.contains(id), role + " -> " + id));
        }
    }
}
