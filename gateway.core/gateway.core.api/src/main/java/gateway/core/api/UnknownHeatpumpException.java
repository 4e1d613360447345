package gateway.core.api;

/** No device with this id is configured. */
public class UnknownHeatpumpException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnknownHeatpumpException(String id) {
        super("no heat pump with id '" + id + "'");
    }
}
