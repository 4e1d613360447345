package gateway.core.api;

/**
 * Where a sensor lives on the device. The Modbus kinds select the function code; the Luxtronik kinds select the
 * table of the binary protocol (3004 calculations, 3003 parameters, 3005 visibilities).
 */
public enum RegisterKind {
    INPUT("input"), HOLDING("holding"), COIL("coil"), DISCRETE_INPUT("discrete_input"),
    CALCULATION("calculation"), PARAMETER("parameter"), VISIBILITY("visibility"), VIRTUAL("virtual");

    private final String id;

    RegisterKind(String id) {
        this.id = id;
    }

    /** The name used in the API ({@code register_type}). */
    public String id() {
        return id;
    }

    public boolean modbus() {
        return this == INPUT || this == HOLDING || this == COIL || this == DISCRETE_INPUT;
    }
}
