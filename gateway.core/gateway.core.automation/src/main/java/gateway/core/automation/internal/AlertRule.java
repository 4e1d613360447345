package gateway.core.automation.internal;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import gateway.core.api.AlertStore.Alert;
import gateway.core.api.AlertStore.AlertState;
import gateway.core.api.DeviceState;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

/** One enabled alert, compiled for evaluation, with its state per device. */
final class AlertRule {

    enum Type {
        THRESHOLD, STATUS, DEVICE_STATE, STALE, ANOMALY;

        static Type of(String text) {
            if (text == null) {
                return THRESHOLD;
            }
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** The mutable engine state of this alert on one device. */
    static final class State {
        final String heatpumpId;
        Instant pendingSince;
        Instant firingSince;
        Instant lastNotified;
        long firedEventId;
        int repeats;
        /** Stale alerts: the last good value's arrival (not persisted: after a restart the hold time starts anew). */
        Instant lastGood;
        Double lastValue;
        String lastText;
        boolean acknowledged;
        /** The threshold resolved for this device (an enum label becomes its key), NaN when not numeric. */
        double threshold = Double.NaN;
        boolean thresholdResolved;

        State(String heatpumpId) {
            this.heatpumpId = heatpumpId;
        }

        boolean firing() {
            return firingSince != null;
        }

        AlertState persistent(String alertId) {
            return new AlertState(alertId, heatpumpId, pendingSince, firingSince, lastNotified, firedEventId, repeats);
        }
    }

    final Alert alert;
    final Type type;
    final String condition;
    final Set<DeviceState> badStates;
    final Map<String, State> states = new HashMap<>();

    AlertRule(Alert alert, Type type) {
        this.alert = alert;
        this.type = type;
        this.condition = alert.condition() == null ? "" : alert.condition().trim();
        this.badStates = type == Type.DEVICE_STATE ? badStates(alert.threshold()) : Set.of();
    }

    /**
     * {@code offline}, {@code driver_missing}, {@code rate_limited} (comma separated); default offline and
     * driver_missing. Rate limited is opt-in: a cloud quota running out is worth knowing for some, noise for others,
     * and the device comes back by itself at the reset time.
     */
    static Set<DeviceState> badStates(String text) {
        Set<DeviceState> out = EnumSet.noneOf(DeviceState.class);
        if (text != null) {
            for (String part : text.split(",")) {
                String p = part.trim().toUpperCase(Locale.ROOT);
                if (p.equals("OFFLINE")) {
                    out.add(DeviceState.OFFLINE);
                } else if (p.equals("DRIVER_MISSING")) {
                    out.add(DeviceState.DRIVER_MISSING);
                } else if (p.equals("RATE_LIMITED")) {
                    out.add(DeviceState.RATE_LIMITED);
                }
            }
        }
        return out.isEmpty() ? EnumSet.of(DeviceState.OFFLINE, DeviceState.DRIVER_MISSING) : out;
    }

    State state(String heatpumpId) {
        return states.computeIfAbsent(heatpumpId, State::new);
    }

    private double threshold(State st, SensorDefinition sensor) {
        if (!st.thresholdResolved) {
            st.threshold = SensorValues.parse(sensor, alert.threshold()).orElse(Double.NaN);
            // a definition may arrive later (driver missing at first): resolve again until one is known
            st.thresholdResolved = sensor != null || !Double.isNaN(st.threshold);
        }
        return st.threshold;
    }

    /** Whether the condition holds for the reading; null when it cannot be compared (text against a number...). */
    Boolean holds(State st, SensorReading reading, SensorDefinition sensor) {
        double t = threshold(st, sensor);
        Double v = reading.value();
        if (!Double.isNaN(t) && v != null) {
            double x = v;
            return switch (condition) {
                case ">" -> x > t;
                case ">=" -> x >= t;
                case "<" -> x < t;
                case "<=" -> x <= t;
                case "=", "==" -> x == t;
                case "!=" -> x != t;
                default -> null;
            };
        }
        return textHolds(reading);
    }

    /** Whether a firing threshold alert is over: the value is back past the threshold by the hysteresis. */
    Boolean resolved(State st, SensorReading reading, SensorDefinition sensor) {
        double t = threshold(st, sensor);
        Double v = reading.value();
        double h = alert.hysteresis();
        if (!Double.isNaN(t) && v != null) {
            double x = v;
            return switch (condition) {
                case ">" -> x <= t - h;
                case ">=" -> x < t - h;
                case "<" -> x >= t + h;
                case "<=" -> x > t + h;
                case "=", "==" -> Math.abs(x - t) > h;
                case "!=" -> Math.abs(x - t) <= h;
                default -> null;
            };
        }
        Boolean holds = textHolds(reading);
        return holds == null ? null : !holds;
    }

    private Boolean textHolds(SensorReading reading) {
        if (reading.text() == null || alert.threshold() == null) {
            return null;
        }
        boolean equal = reading.text().trim().equalsIgnoreCase(alert.threshold().trim());
        return switch (condition) {
            case "=", "==" -> equal;
            case "!=" -> !equal;
            default -> null;
        };
    }
}
