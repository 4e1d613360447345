package gateway.core.modbus;

/**
 * Order of the two 16-bit registers of a 32-bit value. Bytes inside a register are always big-endian (Modbus).
 * IDM floats are LOW_WORD_FIRST ("CDAB"); NIBE and Daikin 32-bit values are HIGH_WORD_FIRST unless configured.
 */
public enum WordOrder {
    HIGH_WORD_FIRST, LOW_WORD_FIRST
}
