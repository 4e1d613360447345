package gateway.core.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Values the manager keeps rewriting because the device forgets them ({@code REFRESH_REQUIRED}), kept by the
 * manager. A hold starts with a successful explicit write and ends with {@link #release}, a new driver, a
 * configuration change, disabling or deleting the device.
 */
@ProviderType
public interface RefreshHolds {

    /** Sensor id to held value for one device. */
    Map<String, Double> held(String heatpumpId);

    /** Stops rewriting the sensor; true when a hold existed. */
    boolean release(String heatpumpId, String sensorId);
}
