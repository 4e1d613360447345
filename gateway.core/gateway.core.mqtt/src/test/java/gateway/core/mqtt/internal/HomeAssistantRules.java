package gateway.core.mqtt.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The rules of Home Assistant's MQTT discovery that our payloads must meet, written down from HA's documentation
 * (MQTT discovery, the sensor/number device classes and their units, state classes, entity categories), independent
 * of the code under test. {@link #check} returns the broken rules of one config message.
 */
final class HomeAssistantRules {

    static final Pattern ID = Pattern.compile("[a-zA-Z0-9_-]+");
    static final Pattern CONFIG_TOPIC = Pattern.compile("[^/]+/([a-z_]+)/([a-zA-Z0-9_-]+)/([a-zA-Z0-9_-]+)/config");

    /** Sensor device classes and the units HA accepts for each (homeassistant.const / sensor docs). */
    static final Map<String, Set<String>> UNITS = Map.ofEntries(
            Map.entry("temperature", Set.of("°C", "°F", "K")),
            Map.entry("power", Set.of("mW", "W", "kW", "MW", "GW", "TW", "BTU/h")),
            Map.entry("energy", Set.of("J", "kJ", "MJ", "GJ", "mWh", "Wh", "kWh", "MWh", "GWh", "TWh", "cal", "kcal",
                    "Mcal", "Gcal")),
            Map.entry("frequency", Set.of("Hz", "kHz", "MHz", "GHz")),
            Map.entry("pressure", Set.of("Pa", "hPa", "kPa", "bar", "cbar", "mbar", "mmHg", "inHg", "psi")),
            Map.entry("volume_flow_rate", Set.of("m³/h", "ft³/min", "L/min", "gal/min", "mL/s")),
            Map.entry("voltage", Set.of("µV", "mV", "V", "kV", "MV")),
            Map.entry("current", Set.of("mA", "A")),
            Map.entry("duration", Set.of("d", "h", "min", "s", "ms")),
            Map.entry("humidity", Set.of("%")));
    static final Set<String> BINARY_CLASSES = Set.of("battery", "battery_charging", "carbon_monoxide", "cold",
            "connectivity", "door", "garage_door", "gas", "heat", "light", "lock", "moisture", "motion", "moving",
            "occupancy", "opening", "plug", "power", "presence", "problem", "running", "safety", "smoke", "sound",
            "tamper", "update", "vibration", "window");
    static final Set<String> STATE_CLASSES = Set.of("measurement", "total", "total_increasing");
    static final Set<String> COMPONENTS = Set.of("sensor", "binary_sensor", "number", "select", "switch", "button");

    private HomeAssistantRules() {
    }

    static List<String> check(String topic, JsonNode c) {
        List<String> broken = new ArrayList<>();
        var m = CONFIG_TOPIC.matcher(topic);
        if (!m.matches()) {
            broken.add("topic is not <prefix>/<component>/<node_id>/<object_id>/config: " + topic);
            return broken;
        }
        String component = m.group(1);
        if (!COMPONENTS.contains(component)) {
            broken.add("unknown component " + component);
        }
        require(c, broken, "unique_id", "name");
        JsonNode device = c.get("device");
        if (device == null || !device.has("identifiers") || device.get("identifiers").isEmpty()) {
            broken.add("device.identifiers missing");
        }
        switch (component) {
            case "sensor", "binary_sensor" -> require(c, broken, "state_topic");
            case "number", "switch", "button" -> require(c, broken, "command_topic");
            case "select" -> {
                require(c, broken, "command_topic");
                if (!c.has("options") || c.get("options").isEmpty()) {
                    broken.add("select without options");
                } else {
                    Set<String> seen = new HashSet<>();
                    c.get("options").forEach(o -> {
                        if (!seen.add(o.asText())) {
                            broken.add("select option twice: " + o.asText());
                        }
                    });
                }
            }
            default -> {
            }
        }
        String deviceClass = text(c, "device_class");
        String unit = text(c, "unit_of_measurement");
        String stateClass = text(c, "state_class");
        if (component.equals("binary_sensor") && deviceClass != null && !BINARY_CLASSES.contains(deviceClass)) {
            broken.add("binary_sensor device_class " + deviceClass + " unknown to HA");
        }
        if (component.equals("sensor") || component.equals("number")) {
            if ("enum".equals(deviceClass)) {
                if (unit != null || stateClass != null) {
                    broken.add("an enum sensor takes neither unit nor state_class");
                }
                if (!c.has("options") || c.get("options").isEmpty()) {
                    broken.add("an enum sensor needs options");
                }
            } else if (deviceClass != null) {
                Set<String> units = UNITS.get(deviceClass);
                if (units == null) {
                    broken.add("device_class " + deviceClass + " not in the accepted list");
                } else if (unit == null || !units.contains(unit)) {
                    broken.add("unit '" + unit + "' not accepted for device_class " + deviceClass);
                }
            }
        }
        if (stateClass != null) {
            if (!component.equals("sensor")) {
                broken.add("state_class on a " + component);
            }
            if (!STATE_CLASSES.contains(stateClass)) {
                broken.add("state_class " + stateClass + " unknown");
            }
            if ("energy".equals(deviceClass) && stateClass.equals("measurement")) {
                broken.add("energy must be total or total_increasing");
            }
        }
        String category = text(c, "entity_category");
        if (category != null && !category.equals("diagnostic") && !category.equals("config")) {
            broken.add("entity_category " + category);
        }
        if ("config".equals(category) && (component.equals("sensor") || component.equals("binary_sensor"))) {
            broken.add("a sensor cannot be a config entity");
        }
        if (component.equals("number")) {
            double min = c.path("min").asDouble(1);
            double max = c.path("max").asDouble(100);
            if (!(min < max)) {
                broken.add("number min " + min + " not below max " + max);
            }
            if (c.has("step") && !(c.get("step").asDouble() > 0)) {
                broken.add("number step must be positive");
            }
            String mode = text(c, "mode");
            if (mode != null && !Set.of("auto", "box", "slider").contains(mode)) {
                broken.add("number mode " + mode);
            }
        }
        JsonNode availability = c.get("availability");
        if (availability != null) {
            for (Iterator<JsonNode> it = availability.elements(); it.hasNext(); ) {
                if (!it.next().has("topic")) {
                    broken.add("availability entry without topic");
                }
            }
            String mode = text(c, "availability_mode");
            if (mode != null && !Set.of("all", "any", "latest").contains(mode)) {
                broken.add("availability_mode " + mode);
            }
        }
        for (String key : List.of("state_topic", "command_topic")) {
            String t = text(c, key);
            if (t != null && (t.contains("+") || t.contains("#"))) {
                broken.add(key + " with a wildcard");
            }
        }
        return broken;
    }

    private static void require(JsonNode c, List<String> broken, String... keys) {
        for (String k : keys) {
            if (!c.hasNonNull(k) || c.get(k).asText().isBlank()) {
                broken.add(k + " missing");
            }
        }
    }

    private static String text(JsonNode c, String key) {
        return c.hasNonNull(key) ? c.get(key).asText() : null;
    }
}
