package gateway.core.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Configured devices, their polling, state, latest values and writes. Implemented by the core.
 */
@ProviderType
public interface HeatpumpManager {

    List<Heatpump> heatpumps();

    Optional<Heatpump> heatpump(String id);

    /**
     * Validates, stores and starts polling a new device; the id is generated when null, a poll interval of 0 means
     * the configured default (else the driver's suggestion). Validation is the manager's alone: name, host, port,
     * unit id, timeout, poll interval against the driver's minimum, the driver's own check of the device
     * configuration, and the endpoint not being used by another device (a conflict).
     */
    Heatpump create(Heatpump heatpump) throws InvalidConfigurationException;

    Heatpump update(Heatpump heatpump) throws InvalidConfigurationException, UnknownHeatpumpException;

    void delete(String id) throws UnknownHeatpumpException;

    Heatpump setEnabled(String id, boolean enabled) throws UnknownHeatpumpException;

    DeviceStatus status(String id) throws UnknownHeatpumpException;

    /** The sensors the device's driver offers for its configuration (empty while the driver is missing). */
    List<SensorDefinition> sensors(String id) throws UnknownHeatpumpException;

    Optional<DeviceSnapshot> latest(String id) throws UnknownHeatpumpException;

    /**
     * Validates and writes one value, serial with the polls, reads it back and audits it.
     *
     * @param actor who asks (user name, job id), for the audit trail
     */
    WriteResult write(String id, String sensorId, double value, String actor)
            throws UnknownHeatpumpException, WriteRejectedException, DeviceException;

    /**
     * Opens a fresh connection through the driver and reads a few sensors; for the setup wizard. The definition is
     * checked like {@link #create} checks it (except for the endpoint already being in use), so a client need not
     * repeat any validation.
     *
     * @throws ConnectionTestFailedException (a {@link DeviceException}) when the device cannot be read, with a
     *                                       {@link ConnectionDiagnosis} of the likely cause
     * @throws InvalidConfigurationException when the definition is invalid or no driver is installed for it
     */
    ReadResult testConnection(Heatpump heatpump) throws DeviceException, InvalidConfigurationException;

    boolean writeEnabled();

    void setWriteEnabled(boolean enabled, String actor);
}
