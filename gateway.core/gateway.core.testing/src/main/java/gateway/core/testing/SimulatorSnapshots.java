package gateway.core.testing;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpSimulator;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

/** Snapshots of what a simulator serves, as the manager would hand them on, without a socket or a poll. */
public final class SimulatorSnapshots {

    private SimulatorSnapshots() {
    }

    /**
     * Every sensor of the driver's configuration that the simulator has a value for, read good at {@code time}.
     * Sensors the simulator does not know (null) are left out, like a reading that did not arrive.
     */
    public static DeviceSnapshot snapshot(HeatpumpDriver driver, DeviceConfig config, HeatpumpSimulator.Running sim,
                                          Instant time) {
        Map<String, SensorReading> readings = new HashMap<>();
        for (SensorDefinition s : driver.sensors(config)) {
            Double v = sim.value(s.id());
            if (v != null) {
                readings.put(s.id(), SensorReading.good(s.id(), v, null, time));
            }
        }
        return new DeviceSnapshot("hp", driver.manufacturerId(), driver.modelId(), time, readings);
    }
}
