package gateway.core.automation.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import gateway.core.api.Automation.AlertTemplate;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.ManufacturerRegistry;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorRole;
import gateway.core.api.UnknownHeatpumpException;

/**
 * The original's five alert templates, named by sensor role instead of by German display name (which never matched):
 * each device's driver says which of its sensors plays the role, so one template fits every make that has it.
 */
final class AlertTemplates {

    /** A template before it meets a device. */
    private record Definition(String id, String name, String description, String type, SensorRole role,
                              boolean roleRequired, String condition, String threshold, int intervalSeconds,
                              int forSeconds, double hysteresis) {
    }

    private static final List<Definition> DEFINITIONS = List.of(
            new Definition("general_fault", "General fault", "The heat pump reports a fault", "threshold",
                    SensorRole.COMMON_FAULT, true, "!=", "0", 3600, 0, 0),
            new Definition("hot_water_low", "Hot water below 40 °C",
                    "The hot-water tank is below 40 °C for 10 minutes; resolves above 42 °C", "threshold",
                    SensorRole.HOT_WATER_TEMPERATURE, true, "<", "40", 0, 600, 2),
            new Definition("flow_high", "Flow above 60 °C",
                    "The flow temperature is above 60 °C for 5 minutes; resolves below 58 °C", "threshold",
                    SensorRole.FLOW_TEMPERATURE, true, ">", "60", 0, 300, 2),
            new Definition("daily_status", "Daily status report",
                    "A report once a day with the outdoor temperature", "status",
                    SensorRole.OUTDOOR_TEMPERATURE, false, null, null, 86_400, 0, 0),
            new Definition("utility_lock", "Utility lock",
                    "The utility (EVU) blocks the heat pump for more than 2 hours", "threshold",
                    SensorRole.UTILITY_LOCK, true, "=", "1", 0, 7200, 0));

    private final HeatpumpManager manager;
    private final ManufacturerRegistry registry;

    AlertTemplates(HeatpumpManager manager, ManufacturerRegistry registry) {
        this.manager = manager;
        this.registry = registry;
    }

    List<AlertTemplate> forDevice(String heatpumpId) throws UnknownHeatpumpException {
        Heatpump hp = manager.heatpump(heatpumpId).orElseThrow(() -> new UnknownHeatpumpException(heatpumpId));
        Optional<HeatpumpDriver> driver = registry.driver(hp.manufacturer(), hp.model());
        Map<SensorRole, String> roles = driver.map(d -> d.sensorRoles(hp.deviceConfig())).orElse(Map.of());
        List<SensorDefinition> sensors = manager.sensors(heatpumpId);
        List<AlertTemplate> out = new ArrayList<>();
        for (Definition d : DEFINITIONS) {
            String sensorId = roles.get(d.role());
            SensorDefinition sensor = sensorId == null ? null
                    : sensors.stream().filter(s -> s.id().equals(sensorId)).findFirst().orElse(null);
            String unavailable = null;
            if (driver.isEmpty()) {
                unavailable = "the driver " + hp.manufacturer() + "/" + hp.model() + " is not installed";
            } else if (sensorId == null && d.roleRequired()) {
                unavailable = "the " + driver.get().manufacturerName() + " " + driver.get().modelName()
                        + " driver has no sensor for " + d.role().name().toLowerCase().replace('_', ' ');
            } else if (sensorId != null && sensor == null && d.roleRequired()) {
                unavailable = "sensor '" + sensorId + "' is not part of this device's configuration";
            }
            String condition = d.condition();
            String threshold = d.threshold();
            if (d.role() == SensorRole.UTILITY_LOCK && sensor != null) {
                // the contact's polarity differs by make: a "locked" label names it, else any non-zero value
                boolean labelled = sensor.enumValues().values().stream().anyMatch(v -> v.equalsIgnoreCase("locked"));
                condition = labelled ? "=" : "!=";
                threshold = labelled ? "locked" : "0";
            }
            out.add(new AlertTemplate(d.id(), d.name(), d.description(), heatpumpId, d.type(), d.role(),
                    sensor == null ? null : sensor.id(), condition, threshold, d.intervalSeconds(), d.forSeconds(),
                    d.hysteresis(), null, unavailable));
        }
        return out;
    }
}
