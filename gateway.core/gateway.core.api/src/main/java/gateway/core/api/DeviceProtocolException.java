package gateway.core.api;

/** The device answered, but with an exception code or a reply that does not fit the request. */
public class DeviceProtocolException extends DeviceException {
    private static final long serialVersionUID = 1L;
    private final int code;

    public DeviceProtocolException(String message, int code) {
        super(message);
        this.code = code;
    }

    public DeviceProtocolException(String message, int code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Protocol exception code (Modbus: 1 illegal function, 2 illegal data address, ...), or 0 when not applicable. */
    public int code() {
        return code;
    }
}
