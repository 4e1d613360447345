package gateway.core.api;

import java.util.List;

/**
 * What a driver made of a register list a device exported itself (e.g. NIBE's "Modbus list"), see
 * {@link HeatpumpDriver#importRegisters(String)}. The gateway stores the accepted text in the device option
 * {@value #DEVICE_OPTION}; the driver reads it from there and offers the listed registers as sensors.
 *
 * @param rowsAccepted rows that became (or refined) a sensor
 * @param errors       rows skipped, with their 1-based line number and why
 */
public record RegisterImport(int rowsAccepted, List<LineError> errors) {

    /** The device option ({@link DeviceConfig#options()}) that holds an uploaded register list. */
    public static final String DEVICE_OPTION = "register_export";

    /** A skipped row. */
    public record LineError(int line, String message) {
    }

    public RegisterImport {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
