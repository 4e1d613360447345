package gateway.core.api;

import java.util.List;

/**
 * An open connection to one device. The manager uses a session from one thread at a time, so implementations
 * need not be thread-safe, but they must close every socket in {@link #close()}.
 */
public interface DeviceSession extends AutoCloseable {

    /** Reads the given sensors with as few requests as the device allows. Per-sensor failures become ERROR readings. */
    ReadResult read(List<SensorDefinition> sensors) throws DeviceException;

    /** Writes one already validated engineering value. */
    void write(SensorDefinition sensor, double value) throws DeviceException;

    /** True while the transport is connected. */
    boolean connected();

    @Override
    void close();
}
