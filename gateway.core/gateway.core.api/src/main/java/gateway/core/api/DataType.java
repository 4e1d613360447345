package gateway.core.api;

/**
 * The wire type of a value. ENUM and BITFIELD are unsigned 16-bit registers whose numbers carry meaning
 * ({@link SensorDefinition#enumValues()} names the values or bits); STRING is for protocols that send text
 * (e.g. Luxtronik firmware, IP addresses).
 */
public enum DataType {
    FLOAT32(2, true), INT8(1, true), UINT8(1, false), INT16(1, true), UINT16(1, false),
    INT32(2, true), UINT32(2, false), BOOL(1, false), ENUM(1, false), BITFIELD(1, false), STRING(0, false);

    private final int registers;
    private final boolean signed;

    DataType(int registers, boolean signed) {
        this.registers = registers;
        this.signed = signed;
    }

    /** Number of 16-bit Modbus registers the value occupies (0 for non-register types). */
    public int registers() {
        return registers;
    }

    public boolean signed() {
        return signed;
    }

    public boolean integral() {
        return this != FLOAT32 && this != STRING;
    }
}
