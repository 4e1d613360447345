package gateway.core.manager.internal;

import gateway.core.api.DataType;
import gateway.core.api.SensorDefinition;
import gateway.core.api.WriteRejectedException;
import gateway.core.api.WriteRejectedException.Reason;

/**
 * The device-independent checks of a write, in the order the API reports them: access mode, value and type,
 * range, step, enum. Nothing here talks to a device.
 */
final class WriteValidator {

    private static final double EPSILON = 1e-6;

    private WriteValidator() {
    }

    static void check(SensorDefinition s, double value) throws WriteRejectedException {
        if (!s.writable()) {
            throw new WriteRejectedException(Reason.NOT_WRITABLE, "sensor " + s.id() + " is read-only");
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new WriteRejectedException(Reason.INVALID_VALUE, "value for " + s.id() + " must be a finite number");
        }
        DataType type = s.dataType();
        if (type == DataType.STRING) {
            throw new WriteRejectedException(Reason.INVALID_VALUE, "sensor " + s.id() + " holds text; numbers cannot be written");
        }
        if (type == DataType.BOOL && value != 0 && value != 1) {
            throw new WriteRejectedException(Reason.INVALID_VALUE, "sensor " + s.id() + " takes 0 or 1, not " + value);
        }
        double raw = (value - s.offset()) / s.scale();
        if (type.integral() && !whole(raw)) {
            throw new WriteRejectedException(Reason.INVALID_VALUE, "sensor " + s.id() + " (" + type + ", resolution "
                    + Math.abs(s.scale()) + ") cannot hold " + value);
        }
        if (s.min() != null && value < s.min() - EPSILON) {
            throw new WriteRejectedException(Reason.OUT_OF_RANGE, value + " is below the minimum " + s.min() + " of " + s.id());
        }
        if (s.max() != null && value > s.max() + EPSILON) {
            throw new WriteRejectedException(Reason.OUT_OF_RANGE, value + " is above the maximum " + s.max() + " of " + s.id());
        }
        double[] rawRange = rawRange(type);
        if (raw < rawRange[0] - EPSILON || raw > rawRange[1] + EPSILON) {
            throw new WriteRejectedException(Reason.OUT_OF_RANGE, value + " does not fit the " + type + " register of " + s.id());
        }
        if (s.step() != null && s.step() > 0 && !whole(value / s.step())) {
            throw new WriteRejectedException(Reason.INVALID_VALUE,
                    "sensor " + s.id() + " takes steps of " + s.step() + "; " + value + " is not one");
        }
        if (type == DataType.ENUM && !s.enumValues().isEmpty() && !s.enumValues().containsKey((int) Math.round(value))) {
            throw new WriteRejectedException(Reason.INVALID_VALUE,
                    value + " is not one of the values " + s.enumValues().keySet() + " of " + s.id());
        }
    }

    /** True when the device's value already equals the requested one within half its resolution. */
    static boolean sameValue(SensorDefinition s, double current, double requested) {
        double tolerance;
        if (s.dataType().integral()) {
            tolerance = Math.abs(s.scale()) / 2;
        } else if (s.step() != null && s.step() > 0) {
            tolerance = s.step() / 2;
        } else {
            tolerance = Math.max(1e-4, Math.abs(requested) * 1e-6); // float32 round trip
        }
        return Math.abs(current - requested) < tolerance;
    }

    private static boolean whole(double x) {
        return Math.abs(x - Math.rint(x)) <= EPSILON * Math.max(1, Math.abs(x));
    }

    private static double[] rawRange(DataType type) {
        return switch (type) {
            case INT8 -> new double[] { Byte.MIN_VALUE, Byte.MAX_VALUE };
            case UINT8 -> new double[] { 0, 255 };
            case INT16 -> new double[] { Short.MIN_VALUE, Short.MAX_VALUE };
            case UINT16, ENUM, BITFIELD -> new double[] { 0, 65535 };
            case INT32 -> new double[] { Integer.MIN_VALUE, Integer.MAX_VALUE };
            case UINT32 -> new double[] { 0, 4294967295.0 };
            case BOOL -> new double[] { 0, 1 };
            case FLOAT32 -> new double[] { -Float.MAX_VALUE, Float.MAX_VALUE };
            case STRING -> new double[] { 0, 0 };
        };
    }
}
