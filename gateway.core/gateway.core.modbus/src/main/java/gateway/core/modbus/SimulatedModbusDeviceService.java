package gateway.core.modbus;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpSimulator;

/**
 * The simulator service of one Modbus model, for the demo mode and tests: it reports the model's identity, starts
 * {@link SimulatedModbusDevice}s and remembers them until they close, so a driver bundle that stops closes every
 * simulator it started and leaves no socket or thread behind. The DS component calls {@link #closeAll()} from its
 * {@code @Deactivate} method.
 */
public abstract class SimulatedModbusDeviceService implements HeatpumpSimulator {

    private final DriverIdentity identity;
    private final Set<SimulatedModbusDevice> running = ConcurrentHashMap.newKeySet();

    protected SimulatedModbusDeviceService(DriverIdentity identity) {
        if (identity == null) {
            throw new IllegalArgumentException("a simulator service needs the identity of its model");
        }
        this.identity = identity;
    }

    /**
     * Starts one simulated device serving on 127.0.0.1 at {@code port} (0 = any free port).
     *
     * @param deviceConfig the configuration the device will be polled with; null when the caller has none
     */
    protected abstract SimulatedModbusDevice create(int port, DeviceConfig deviceConfig) throws IOException;

    @Override
    public final String manufacturerId() {
        return identity.manufacturerId();
    }

    @Override
    public final String modelId() {
        return identity.modelId();
    }

    @Override
    public final Running start(int port, DeviceConfig deviceConfig) throws IOException {
        SimulatedModbusDevice device = create(port, deviceConfig);
        running.add(device);
        device.onClose(() -> running.remove(device));
        return device;
    }

    /** Simulated devices started and not yet closed. */
    public final int runningCount() {
        return running.size();
    }

    /** Closes every simulated device this service started. */
    protected final void closeAll() {
        for (SimulatedModbusDevice device : List.copyOf(running)) {
            device.close();
        }
        running.clear();
    }
}
