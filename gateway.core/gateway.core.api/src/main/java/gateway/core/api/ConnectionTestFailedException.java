package gateway.core.api;

import java.util.Objects;

/**
 * A connection test ({@link HeatpumpManager#testConnection}) could not read the device. The message is the
 * transport's own words; {@link #diagnosis()} says what they most likely mean. The original failure is the cause.
 */
public class ConnectionTestFailedException extends DeviceException {
    private static final long serialVersionUID = 1L;

    private final ConnectionDiagnosis diagnosis;

    public ConnectionTestFailedException(ConnectionDiagnosis diagnosis, DeviceException failure) {
        super(failure.getMessage(), failure);
        this.diagnosis = Objects.requireNonNull(diagnosis, "diagnosis");
    }

    public ConnectionDiagnosis diagnosis() {
        return diagnosis;
    }
}
