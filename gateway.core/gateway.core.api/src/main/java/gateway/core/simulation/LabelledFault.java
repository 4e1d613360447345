package gateway.core.simulation;

import java.util.Locale;
import java.util.Optional;

/**
 * A fault a simulator can inject, with a known start and end, so that anomaly detection can be scored against it
 * ({@code HeatpumpSimulator.Running.injectFault}). Each simulator documents how a fault shows in its make's registers
 * and leaves out the ones its make cannot show (a ground-source pump has no defrost).
 */
public enum LabelledFault {
    /** A temperature sensor the driver uses as a feature keeps reporting the value it had when the fault began. */
    STUCK_SENSOR,
    /** A feature temperature reads high by 1 K more every hour (and the controller regulates on the wrong value). */
    SENSOR_DRIFT,
    /** Too little water flow: the flow−return spread triples while the compressor runs. */
    LOW_FLOW,
    /** The compressor trips after about 4 minutes of running and stays off for about 4 minutes. */
    SHORT_CYCLING,
    /** Defrosts fail: the outdoor coil stays iced, the evaporator runs colder and the heat output falls. */
    FAILED_DEFROST,
    /** A hot-water charge cannot lift the tank above about 42 °C, so it never ends. */
    HOT_WATER_NOT_REACHED;

    /** The name simulators and the API use: the constant in lower case ({@code low_flow}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The fault with this id (any case), if there is one. */
    public static Optional<LabelledFault> of(String id) {
        if (id != null) {
            for (LabelledFault f : values()) {
                if (f.name().equalsIgnoreCase(id.trim())) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }
}
