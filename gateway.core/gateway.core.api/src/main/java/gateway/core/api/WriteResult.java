package gateway.core.api;

/**
 * What a write did.
 *
 * @param written   false when skipped because the device already held the value (EEPROM care)
 * @param oldValue  the value read before the write (null if unreadable, e.g. write-only)
 * @param readBack  the value read after the write (null for write-only registers)
 * @param message   human-readable summary
 */
public record WriteResult(String heatpumpId, String sensorId, Double oldValue, double requested, Double readBack,
                          boolean written, String message) {
}
