package gateway.core.api;

/** A write was refused before reaching the device: access mode, type, range, enum, write switch, firmware gate. */
public class WriteRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why, for the API to map onto a status. */
    public enum Reason { WRITES_DISABLED, NOT_WRITABLE, OUT_OF_RANGE, INVALID_VALUE, UNKNOWN_SENSOR, DEVICE_UNAVAILABLE, REFUSED_BY_DRIVER }

    private final Reason reason;

    public WriteRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
