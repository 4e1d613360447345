package gateway.core.api;

import java.util.List;

/**
 * Sensors the gateway computes and adds to every snapshot of a device that can feed them (drivers declare the inputs
 * through {@link HeatpumpDriver#copSources}). Their ids are reserved: no driver may use them.
 */
public final class DerivedSensors {

    /** Coefficient of performance right now: heat output over electrical input. */
    public static final String COP = "cop";
    /** Heat delivered today over electrical energy used today (local calendar day). */
    public static final String COP_DAY = "cop_day";
    /** Heat delivered this month over electrical energy used this month (local calendar month). */
    public static final String COP_MONTH = "cop_month";

    /** Their definitions, for naming and units. */
    public static final List<SensorDefinition> COP_SENSORS = List.of(
            derived(COP, "COP (live)", "Heat output over electrical input right now"),
            derived(COP_DAY, "COP today", "Heat delivered today over electrical energy used today"),
            derived(COP_MONTH, "COP this month", "Heat delivered this month over electrical energy used this month"));

    private DerivedSensors() {
    }

    private static SensorDefinition derived(String id, String name, String description) {
        return SensorDefinition.builder(id).name(name).category(SensorCategory.ENERGY).type(DataType.FLOAT32)
                .access(AccessMode.READ_ONLY).kind(RegisterKind.VIRTUAL).description(description).build();
    }
}
