package gateway.core.automation.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import gateway.core.api.SensorDefinition;

/** Text (a number, an enum key or an enum label) to a sensor's numeric value, the way jobs and alerts name values. */
final class SensorValues {

    private SensorValues() {
    }

    /** The number the text names for that sensor: a number as is, else an enum label (any case); empty if neither. */
    static OptionalDouble parse(SensorDefinition sensor, String text) {
        if (text == null || text.isBlank()) {
            return OptionalDouble.empty();
        }
        String t = text.trim();
        OptionalDouble number = number(t);
        if (number.isPresent()) {
            return number;
        }
        if (sensor == null) {
            return OptionalDouble.empty();
        }
        Optional<Integer> key = sensor.enumValues().entrySet().stream()
                .filter(e -> e.getValue().equalsIgnoreCase(t)
                        || e.getValue().replace(' ', '_').equalsIgnoreCase(t.replace(' ', '_')))
                .map(Map.Entry::getKey).findFirst();
        return key.map(k -> OptionalDouble.of(k)).orElse(OptionalDouble.empty());
    }

    static OptionalDouble number(String text) {
        try {
            double v = Double.parseDouble(text.trim().replace(',', '.'));
            return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
        } catch (NumberFormatException | NullPointerException e) {
            return OptionalDouble.empty();
        }
    }

    /** A value for a message: the enum label when the sensor has one for it, else the number without noise. */
    static String format(SensorDefinition sensor, Double value, String text) {
        if (value == null) {
            return text == null ? "?" : text;
        }
        if (sensor != null && !sensor.enumValues().isEmpty() && value == Math.rint(value)) {
            String label = sensor.enumValues().get((int) Math.round(value));
            if (label != null) {
                return label;
            }
        }
        if (text != null && !text.isBlank()) {
            return text;
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) Math.rint(value));
        }
        return String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
