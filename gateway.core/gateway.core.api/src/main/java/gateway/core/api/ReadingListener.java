package gateway.core.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: register this as a service to receive every snapshot. Each listener gets its own bounded queue and
 * thread in the manager, so a slow listener only loses its own snapshots (counted), never delays polling.
 */
@ConsumerType
public interface ReadingListener {

    void snapshot(DeviceSnapshot snapshot);

    /** Called when a device changes state (online, offline, driver missing...). */
    default void stateChanged(DeviceStatus status) {
    }
}
