package gateway.core.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What anomaly detection needs to know about a model beyond reading it: which sensors describe its behaviour, and
 * which operating mode a snapshot shows (each mode gets a model of its own). A driver that supports anomaly detection
 * implements this next to {@link HeatpumpDriver} on the same service object; a driver without it gets no anomaly
 * model. Kept apart from the driver SPI because polling, writing and the web never need it.
 */
@ConsumerType
public interface AnomalyProfile {

    /** Sensors that anomaly detection learns from for this configuration; {@link AnomalyFeatures#NONE} for none. */
    AnomalyFeatures anomalyFeatures(DeviceConfig deviceConfig);

    /** The operating mode a snapshot shows (from the device's status sensors); {@link OperatingMode#UNKNOWN} if unclear. */
    OperatingMode operatingMode(DeviceSnapshot snapshot);
}
