package gateway.core.api;

/** No connection: refused, timed out, or dropped. The manager backs off and reconnects. */
public class DeviceUnreachableException extends DeviceException {
    private static final long serialVersionUID = 1L;

    public DeviceUnreachableException(String message) {
        super(message);
    }

    public DeviceUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
