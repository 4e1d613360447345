package gateway.core.mqtt.internal;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

import gateway.core.api.DataType;
import gateway.core.api.SensorDefinition;

/**
 * A command payload as a number for the write path: a number, an enum key or label (any case), or ON/OFF (also
 * true/false) for on/off values. The write path checks the number against the sensor; this only translates words.
 */
final class CommandValue {

    private CommandValue() {
    }

    static OptionalDouble parse(String payload, SensorDefinition sensor) {
        String p = payload == null ? "" : payload.strip();
        if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
            p = p.substring(1, p.length() - 1).strip(); // a JSON string, as some tools send
        }
        if (p.isEmpty()) {
            return OptionalDouble.empty();
        }
        for (Map.Entry<Integer, String> e : sensor.enumValues().entrySet()) {
            if (e.getValue().equalsIgnoreCase(p)) {
                return OptionalDouble.of(e.getKey());
            }
        }
        switch (p.toUpperCase(Locale.ROOT)) {
            case "ON", "TRUE" -> {
                return sensor.dataType() == DataType.BOOL || sensor.enumValues().isEmpty()
                        ? OptionalDouble.of(1) : OptionalDouble.empty();
            }
            case "OFF", "FALSE" -> {
                return sensor.dataType() == DataType.BOOL || sensor.enumValues().isEmpty()
                        ? OptionalDouble.of(0) : OptionalDouble.empty();
            }
            default -> {
            }
        }
        try {
            double v = Double.parseDouble(p);
            return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
