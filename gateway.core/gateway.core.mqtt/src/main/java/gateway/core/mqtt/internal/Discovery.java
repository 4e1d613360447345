package gateway.core.mqtt.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import gateway.core.api.AccessMode;
import gateway.core.api.DataType;
import gateway.core.api.Heatpump;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorFlag;

/**
 * Home Assistant MQTT discovery messages: one HA device per heat pump (linked {@code via_device} to the gateway), one
 * entity per sensor. Entities read the sensor's value topic, so values need no extra messages; they are available
 * only while both the gateway and the device are.
 *
 * <p>Device classes are given only where the unit is one Home Assistant accepts for that class (a wrong pair makes
 * HA reject or mis-convert the entity): a temperature difference in K, for instance, stays without a class, since
 * HA would show 5 K as -268 °C.
 */
final class Discovery {

    /** One retained config message. */
    record Config(String topic, byte[] payload) {
    }

    /** What HA shows for a sensor: class, unit as HA spells it, state class. */
    record Kind(String deviceClass, String unit, String stateClass) {
    }

    private final Topics topics;
    private final String gatewayId;

    Discovery(Topics topics, String gatewayId) {
        this.topics = topics;
        this.gatewayId = gatewayId;
    }

    String gatewayIdentifier() {
        return "hpgw_" + Topics.id(gatewayId);
    }

    String nodeId(String heatpumpId) {
        return gatewayIdentifier() + "_" + Topics.id(heatpumpId);
    }

    /** The gateway as an HA device of its own, with a connectivity entity that stays visible when it goes offline. */
    Config gateway(String version) {
        ObjectNode c = Payloads.JSON.createObjectNode();
        c.put("name", "Connectivity");
        c.put("unique_id", gatewayIdentifier() + "_connectivity");
        c.put("state_topic", topics.gatewayAvailability());
        c.put("payload_on", "online");
        c.put("payload_off", "offline");
        c.put("device_class", "connectivity");
        c.put("entity_category", "diagnostic");
        ObjectNode d = c.putObject("device");
        d.putArray("identifiers").add(gatewayIdentifier());
        d.put("name", "Heatpump Gateway " + gatewayId);
        d.put("manufacturer", "Heatpump Gateway");
        d.put("model", "Gateway");
        if (version != null) {
            d.put("sw_version", version);
        }
        origin(c, version);
        return new Config(topics.discoveryConfig("binary_sensor", gatewayIdentifier(), "connectivity"),
                Payloads.bytes(c));
    }

    /**
     * @param manufacturerName the driver's manufacturer name (or id when the driver is missing)
     * @param modelName        the driver's model name
     * @param swVersion        firmware as the device reports it, or null
     */
    List<Config> device(Heatpump hp, List<SensorDefinition> sensors, String manufacturerName, String modelName,
                        String swVersion, String version) {
        List<Config> out = new ArrayList<>();
        for (SensorDefinition s : sensors) {
            out.add(entity(hp, s, manufacturerName, modelName, swVersion, version));
        }
        return out;
    }

    Config entity(Heatpump hp, SensorDefinition s, String manufacturerName, String modelName, String swVersion,
                  String version) {
        String component = component(s);
        ObjectNode c = Payloads.JSON.createObjectNode();
        c.put("name", s.name());
        c.put("unique_id", nodeId(hp.id()) + "_" + Topics.id(s.id()));
        String valueTopic = topics.value(hp.id(), s.id());
        switch (component) {
            case "button" -> {
                c.put("command_topic", topics.command(hp.id(), s.id()));
                c.put("payload_press", pressValue(s));
            }
            case "switch" -> {
                c.put("state_topic", valueTopic);
                c.put("value_template", "{{ 'ON' if value_json.value == 1 else 'OFF' }}");
                c.put("command_topic", topics.command(hp.id(), s.id()));
                c.put("payload_on", "ON");
                c.put("payload_off", "OFF");
            }
            case "binary_sensor" -> {
                c.put("state_topic", valueTopic);
                c.put("value_template", "{{ 'ON' if value_json.value == 1 else 'OFF' }}");
                c.put("payload_on", "ON");
                c.put("payload_off", "OFF");
            }
            case "select" -> {
                c.put("state_topic", valueTopic);
                c.put("value_template", "{{ value_json.text }}");
                c.put("command_topic", topics.command(hp.id(), s.id()));
                ArrayNode options = c.putArray("options");
                s.enumValues().values().forEach(options::add);
            }
            case "number" -> {
                if (s.readable()) {
                    c.put("state_topic", valueTopic);
                    c.put("value_template", "{{ value_json.value }}");
                }
                c.put("command_topic", topics.command(hp.id(), s.id()));
                c.put("min", min(s));
                c.put("max", max(s));
                c.put("step", step(s));
                c.put("mode", "box");
                Kind k = kind(s);
                if (k.deviceClass() != null && !k.deviceClass().equals("energy")) {
                    c.put("device_class", k.deviceClass());
                }
                if (!k.unit().isEmpty()) {
                    c.put("unit_of_measurement", k.unit());
                }
            }
            default -> { // sensor
                c.put("state_topic", valueTopic);
                if (s.dataType() == DataType.ENUM && !s.enumValues().isEmpty()) {
                    c.put("value_template", "{{ value_json.text }}");
                    c.put("device_class", "enum");
                    ArrayNode options = c.putArray("options");
                    s.enumValues().values().forEach(options::add);
                } else if (s.dataType() == DataType.STRING || s.dataType() == DataType.BITFIELD) {
                    c.put("value_template", "{{ value_json.text }}");
                } else {
                    c.put("value_template", "{{ value_json.value }}");
                    Kind k = kind(s);
                    if (k.deviceClass() != null) {
                        c.put("device_class", k.deviceClass());
                    }
                    if (!k.unit().isEmpty()) {
                        c.put("unit_of_measurement", k.unit());
                    }
                    c.put("state_class", k.stateClass());
                }
            }
        }
        if (diagnostic(s)) {
            c.put("entity_category", "diagnostic");
        }
        if (s.has(SensorFlag.ADVANCED)) {
            c.put("enabled_by_default", false);
        }
        ArrayNode availability = c.putArray("availability");
        availability.addObject().put("topic", topics.gatewayAvailability());
        availability.addObject().put("topic", topics.availability(hp.id()));
        c.put("availability_mode", "all");
        ObjectNode d = c.putObject("device");
        d.putArray("identifiers").add(nodeId(hp.id()));
        d.put("name", hp.name() == null || hp.name().isBlank() ? hp.id() : hp.name());
        d.put("manufacturer", manufacturerName);
        d.put("model", modelName);
        if (swVersion != null && !swVersion.isBlank()) {
            d.put("sw_version", swVersion);
        }
        d.put("via_device", gatewayIdentifier());
        origin(c, version);
        return new Config(topics.discoveryConfig(component, nodeId(hp.id()), s.id()), Payloads.bytes(c));
    }

    private static void origin(ObjectNode c, String version) {
        ObjectNode o = c.putObject("origin");
        o.put("name", "Heatpump Gateway");
        if (version != null) {
            o.put("sw_version", version);
        }
    }

    /** The HA platform of a sensor: what it can do decides, then its type. */
    static String component(SensorDefinition s) {
        boolean bool = s.dataType() == DataType.BOOL;
        boolean enumeration = s.dataType() == DataType.ENUM && !s.enumValues().isEmpty();
        if (s.access() == AccessMode.WRITE_ONLY) {
            return bool || action(s) ? "button" : enumeration ? "select" : "number";
        }
        if (s.access() == AccessMode.READ_WRITE) {
            return bool ? "switch" : enumeration ? "select" : s.dataType() == DataType.STRING ? "sensor" : "number";
        }
        return bool ? "binary_sensor" : "sensor";
    }

    /** A write-only value whose only useful write is one number (acknowledge, reset): a button. */
    private static boolean action(SensorDefinition s) {
        return s.min() != null && s.max() != null && s.min() == 0 && s.max() == 1;
    }

    private static String pressValue(SensorDefinition s) {
        return "1";
    }

    /** Status and information values are diagnostics in HA, out of the device's main card. */
    static boolean diagnostic(SensorDefinition s) {
        return s.category() == SensorCategory.STATUS || s.category() == SensorCategory.INFO;
    }

    static Kind kind(SensorDefinition s) {
        String unit = s.unit().strip();
        boolean counter = s.category() == SensorCategory.COUNTER || s.category() == SensorCategory.ENERGY;
        String measurement = counter ? "total_increasing" : "measurement";
        return switch (unit) {
            case "°C", "°F" -> new Kind("temperature", unit, "measurement");
            case "W", "kW" -> new Kind("power", unit, "measurement");
            // HA allows energy only with total or total_increasing
            case "Wh", "kWh", "MWh" -> new Kind("energy", unit, "total_increasing");
            case "Hz", "kHz" -> new Kind("frequency", unit, "measurement");
            case "bar", "mbar", "Pa", "hPa", "kPa", "psi" -> new Kind("pressure", unit, "measurement");
            case "l/min", "L/min" -> new Kind("volume_flow_rate", "L/min", "measurement");
            case "m³/h" -> new Kind("volume_flow_rate", unit, "measurement");
            case "l/h", "L/h" -> new Kind(null, "L/h", "measurement");
            case "V", "mV" -> new Kind("voltage", unit, "measurement");
            case "A", "mA" -> new Kind("current", unit, "measurement");
            case "h", "min", "s", "ms", "d" -> new Kind("duration", unit, measurement);
            case "%" -> new Kind(s.category() == SensorCategory.HUMIDITY ? "humidity" : null, unit, "measurement");
            default -> new Kind(null, unit, measurement);
        };
    }

    static double min(SensorDefinition s) {
        if (s.min() != null) {
            return s.min();
        }
        return switch (s.dataType()) {
            case UINT8, UINT16, UINT32, ENUM, BITFIELD, BOOL -> s.offset();
            case INT8 -> -128 * Math.abs(s.scale()) + s.offset();
            case INT16 -> -32768 * Math.abs(s.scale()) + s.offset();
            default -> -1_000_000;
        };
    }

    static double max(SensorDefinition s) {
        if (s.max() != null) {
            return s.max();
        }
        return switch (s.dataType()) {
            case UINT8 -> 255 * Math.abs(s.scale()) + s.offset();
            case INT8 -> 127 * Math.abs(s.scale()) + s.offset();
            case UINT16, ENUM, BITFIELD -> 65535 * Math.abs(s.scale()) + s.offset();
            case INT16 -> 32767 * Math.abs(s.scale()) + s.offset();
            case BOOL -> 1;
            default -> 1_000_000;
        };
    }

    /** The driver's step, else the register's resolution (0.1 for a tenth-degree register), else 0.01. */
    static double step(SensorDefinition s) {
        if (s.step() != null && s.step() > 0) {
            return s.step();
        }
        if (s.dataType().integral()) {
            return Math.min(1, Math.abs(s.scale()));
        }
        return 0.01;
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
