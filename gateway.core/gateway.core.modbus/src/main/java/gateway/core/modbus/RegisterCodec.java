package gateway.core.modbus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import gateway.core.api.DataType;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

/**
 * Converts between Modbus registers and engineering values for every {@link DataType}. Bytes inside a register are
 * big-endian (Modbus); the order of the two words of a 32-bit value is declared per device ({@link WordOrder}).
 *
 * <p>Sentinels ({@link SensorDefinition#invalidRaw()}) are compared with the raw value before scaling. For integer
 * types a sentinel matches the raw bits read either signed or unsigned (so {@code 0x8000} and {@code -32768} both
 * name the same INT16 sentinel); 8-bit types also match the whole register (IDM reports UCHAR "n/a" as 0xFFFF). For
 * FLOAT32 the sentinel is compared as a float value (IDM -1.0).
 */
public final class RegisterCodec {

    private RegisterCodec() {
    }

    /** Decodes one sensor from {@code regs[offset .. offset + registerCount)}. */
    public static SensorReading decode(SensorDefinition s, int[] regs, int offset, WordOrder order, Instant at) {
        String id = s.id();
        int needed = span(s.dataType());
        if (offset < 0 || offset + needed > regs.length) {
            return SensorReading.error(id, "register data too short for " + s.dataType(), at);
        }
        DataType type = s.dataType();
        switch (type) {
            case FLOAT32: {
                float f = toFloat(regs, offset, order);
                if (Float.isNaN(f) || Float.isInfinite(f)) {
                    return SensorReading.invalid(id, "not a number (" + f + ")", at);
                }
                for (long sentinel : s.invalidRaw()) {
                    if ((double) f == (double) sentinel) {
                        return SensorReading.invalid(id, "sentinel " + sentinel, at);
                    }
                }
                return SensorReading.good(id, f * s.scale() + s.offset(), null, at);
            }
            case STRING: {
                // Two ASCII characters per register, high byte first (Daikin TEXT16 error code).
                int reg = regs[offset] & 0xFFFF;
                // a sentinel fills the register instead of characters (Daikin 32767/32766/32765 on every register)
                for (long sentinel : s.invalidRaw()) {
                    if (sentinel == reg) {
                        return SensorReading.invalid(id, "sentinel " + sentinel, at);
                    }
                }
                StringBuilder text = new StringBuilder();
                for (int b : new int[] {reg >>> 8, reg & 0xFF}) {
                    if (b >= 0x20 && b < 0x7F) {
                        text.append((char) b);
                    }
                }
                return SensorReading.text(id, text.toString().trim(), at);
            }
            default:
                break;
        }
        int register = regs[offset] & 0xFFFF;
        long unsigned;
        long signed;
        switch (type) {
            case INT8:
            case UINT8:
                unsigned = register & 0xFF;
                signed = (byte) register;
                break;
            case INT32:
            case UINT32:
                unsigned = toLong32(regs, offset, order, false);
                signed = toLong32(regs, offset, order, true);
                break;
            default:
                unsigned = register;
                signed = (short) register;
                break;
        }
        boolean eightBit = type == DataType.INT8 || type == DataType.UINT8;
        for (long sentinel : s.invalidRaw()) {
            if (sentinel == signed || sentinel == unsigned || (eightBit && sentinel == register)) {
                return SensorReading.invalid(id, "sentinel " + sentinel, at);
            }
        }
        long raw = type.signed() ? signed : unsigned;
        switch (type) {
            case BOOL:
                return SensorReading.good(id, raw != 0 ? 1 : 0, s.enumValues().get(raw != 0 ? 1 : 0), at);
            case ENUM: {
                String label = s.enumValues().get((int) raw);
                return SensorReading.good(id, raw, label != null ? label : "unknown (" + raw + ")", at);
            }
            case BITFIELD:
                return SensorReading.good(id, raw, bitLabels(s.enumValues(), raw), at);
            default:
                return SensorReading.good(id, raw * s.scale() + s.offset(), null, at);
        }
    }

    /** The registers that carry an engineering value: {@code raw = round((value - offset) / scale)}. */
    public static int[] encode(SensorDefinition s, double engineeringValue, WordOrder order) {
        if (Double.isNaN(engineeringValue) || Double.isInfinite(engineeringValue)) {
            throw new IllegalArgumentException(s.id() + ": cannot encode " + engineeringValue);
        }
        DataType type = s.dataType();
        switch (type) {
            case FLOAT32: {
                double raw = (engineeringValue - s.offset()) / s.scale();
                if (Math.abs(raw) > Float.MAX_VALUE) {
                    throw new IllegalArgumentException(s.id() + ": " + engineeringValue + " does not fit FLOAT32");
                }
                return fromFloat((float) raw, order);
            }
            case STRING:
                throw new IllegalArgumentException(s.id() + ": STRING values cannot be written over Modbus");
            case BOOL:
                if (engineeringValue != 0 && engineeringValue != 1) {
                    throw new IllegalArgumentException(s.id() + ": BOOL takes 0 or 1, not " + engineeringValue);
                }
                return new int[] {(int) engineeringValue};
            default:
                break;
        }
        // Enum and bit-field numbers carry meaning as they are; scale applies to measured values only.
        boolean scaled = type != DataType.ENUM && type != DataType.BITFIELD;
        double exact = scaled ? (engineeringValue - s.offset()) / s.scale() : engineeringValue;
        long raw = Math.round(exact);
        long lo = minRaw(type);
        long hi = maxRaw(type);
        if (Math.abs(exact) > 1e15 || raw < lo || raw > hi) {
            throw new IllegalArgumentException(s.id() + ": " + engineeringValue + " gives raw " + (Math.abs(exact) > 1e15
                    ? String.valueOf(exact) : String.valueOf(raw)) + ", outside " + type + " range " + lo + ".." + hi);
        }
        return encodeRaw(s, raw, order);
    }

    /**
     * The registers that carry a raw value as is, without range checks beyond the type's width (simulators use this
     * to plant sentinels). For FLOAT32 the raw value is taken as the float value, like {@link SensorDefinition#invalidRaw()}.
     */
    public static int[] encodeRaw(SensorDefinition s, long raw, WordOrder order) {
        switch (s.dataType()) {
            case FLOAT32:
                return fromFloat((float) raw, order);
            case INT32:
            case UINT32:
                return fromLong32(raw & 0xFFFFFFFFL, order);
            case INT8:
                // NIBE s8 is sign-extended into the register; the low byte is what IDM-style readers look at.
                return new int[] {((byte) raw) & 0xFFFF};
            case UINT8:
                return new int[] {(int) (raw & 0xFF)};
            case STRING:
                throw new IllegalArgumentException(s.id() + ": STRING has no raw register value");
            default:
                return new int[] {(int) (raw & 0xFFFF)};
        }
    }

    /** Registers a sensor spans on the wire (a STRING sensor reads one register: two characters). */
    public static int span(DataType type) {
        return Math.max(1, type.registers());
    }

    public static float toFloat(int[] regs, int offset, WordOrder o) {
        return Float.intBitsToFloat((int) toLong32(regs, offset, o, false));
    }

    public static int[] fromFloat(float f, WordOrder o) {
        return fromLong32(Float.floatToRawIntBits(f) & 0xFFFFFFFFL, o);
    }

    public static long toLong32(int[] regs, int offset, WordOrder o, boolean signed) {
        int first = regs[offset] & 0xFFFF;
        int second = regs[offset + 1] & 0xFFFF;
        long v = o == WordOrder.HIGH_WORD_FIRST ? ((long) first << 16) | second : ((long) second << 16) | first;
        return signed ? (int) v : v;
    }

    public static int[] fromLong32(long v, WordOrder o) {
        int hi = (int) ((v >>> 16) & 0xFFFF);
        int lo = (int) (v & 0xFFFF);
        return o == WordOrder.HIGH_WORD_FIRST ? new int[] {hi, lo} : new int[] {lo, hi};
    }

    static long minRaw(DataType type) {
        switch (type) {
            case INT8: return Byte.MIN_VALUE;
            case INT16: return Short.MIN_VALUE;
            case INT32: return Integer.MIN_VALUE;
            default: return 0;
        }
    }

    static long maxRaw(DataType type) {
        switch (type) {
            case INT8: return Byte.MAX_VALUE;
            case UINT8: return 0xFF;
            case INT16: return Short.MAX_VALUE;
            case INT32: return Integer.MAX_VALUE;
            case UINT32: return 0xFFFFFFFFL;
            case BOOL: return 1;
            default: return 0xFFFF;
        }
    }

    private static String bitLabels(Map<Integer, String> labels, long raw) {
        if (raw == 0) {
            return labels.get(0);
        }
        List<String> parts = new ArrayList<>();
        long covered = 0;
        for (Map.Entry<Integer, String> e : new TreeMap<>(labels).entrySet()) {
            long bits = e.getKey();
            if (bits != 0 && (raw & bits) == bits) {
                parts.add(e.getValue());
                covered |= bits;
            }
        }
        long rest = raw & ~covered;
        for (int bit = 0; bit < 32; bit++) {
            if ((rest & (1L << bit)) != 0) {
                parts.add("bit " + bit);
            }
        }
        return String.join(", ", parts);
    }
}
