package gateway.core.modbus;

import java.util.List;

/**
 * What a Modbus model needs from the shared transport: word orders, request limits, the ranges a block read must
 * never touch, and whether holding registers are read with FC03 (default) or input registers with FC04.
 *
 * @param readWordOrder   word order of 32-bit values when reading
 * @param writeWordOrder  word order of 32-bit values when writing (NIBE reports differ from reads)
 * @param maxBlock        most registers in one read request (Modbus allows 125)
 * @param maxGap          most unused registers a block may span to save a request
 * @param forbidden       spans a block may never cover (the device rejects or misbehaves)
 * @param singleWriteFunction true to write one-register values with FC06 instead of FC16
 */
public record ModbusDeviceProfile(WordOrder readWordOrder, WordOrder writeWordOrder, int maxBlock, int maxGap,
                                  List<AddressRange> forbidden, boolean singleWriteFunction) {

    public static final int MODBUS_MAX_BLOCK = 125;

    public ModbusDeviceProfile {
        forbidden = forbidden == null ? List.of() : List.copyOf(forbidden);
        if (maxBlock < 1 || maxBlock > MODBUS_MAX_BLOCK) {
            throw new IllegalArgumentException("maxBlock must be 1.." + MODBUS_MAX_BLOCK + ", was " + maxBlock);
        }
        if (maxGap < 0) {
            throw new IllegalArgumentException("maxGap must be >= 0");
        }
    }

    public PlannerLimits limits() {
        return new PlannerLimits(maxBlock, maxGap, forbidden);
    }
}
