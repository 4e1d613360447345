package gateway.core.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A driver for one heat pump model, registered as an OSGi service by its driver bundle. The gateway tracks these
 * dynamically: a model is offered while its driver bundle is active. A driver that supports anomaly detection also
 * implements {@link AnomalyProfile}.
 */
@ConsumerType
public interface HeatpumpDriver {

    /** Service property naming the manufacturer id, so consumers can filter without calling the service. */
    String MANUFACTURER_PROPERTY = "heatpump.manufacturer";
    /** Service property naming the model id. */
    String MODEL_PROPERTY = "heatpump.model";

    String manufacturerId();

    String manufacturerName();

    String modelId();

    /** The model's name in English. */
    String modelName();

    /**
     * The model's name in a language: the driver's {@code _model.<model id>.name} label (see {@link SensorLabels}),
     * else {@link #modelName()}.
     */
    default String modelName(Locale locale) {
        SensorLabels labels = labels(locale);
        return labels == null ? modelName() : labels.modelName(modelId()).orElseGet(this::modelName);
    }

    /** Protocol id, e.g. {@code modbus_tcp} or {@code luxtronik}. */
    String protocol();

    int defaultPort();

    /** Smallest poll interval the device tolerates, in seconds. */
    default int minPollIntervalSeconds() {
        return 1;
    }

    /** Poll interval suggested for new devices, in seconds. */
    default int defaultPollIntervalSeconds() {
        return 30;
    }

    HeatpumpCapabilities capabilities(DeviceConfig deviceConfig);

    /** Every sensor this configuration offers, ids unique. */
    List<SensorDefinition> sensors(DeviceConfig deviceConfig);

    /** Looks one sensor up by id within a configuration. */
    default Optional<SensorDefinition> sensor(DeviceConfig deviceConfig, String sensorId) {
        return sensors(deviceConfig).stream().filter(s -> s.id().equals(sensorId)).findFirst();
    }

    /** Problems with a device configuration; empty when it is acceptable. */
    List<String> validate(DeviceConfig deviceConfig);

    /** Opens a session to the device; may connect lazily. */
    DeviceSession open(ConnectionConfig connection, DeviceConfig deviceConfig) throws DeviceException;

    DashboardTemplate dashboardTemplate(DeviceConfig deviceConfig);

    /** Text (Markdown) a person follows to enable the protocol on the device. */
    String setupInstructions();

    /**
     * The setup instructions in a language: the driver's {@code _model.<model id>.setup} (or {@code _model.setup})
     * label (see {@link SensorLabels}), else the English {@link #setupInstructions()}.
     */
    default String setupInstructions(Locale locale) {
        SensorLabels labels = labels(locale);
        return labels == null ? setupInstructions()
                : labels.setupInstructions(modelId(), modelName(locale)).orElseGet(this::setupInstructions);
    }

    /**
     * Extra checks a write must pass that depend on the live device (e.g. Luxtronik firmware that reboots on writes).
     *
     * @return a reason to refuse, or empty to allow
     */
    default Optional<String> refuseWrite(SensorDefinition sensor, double value, DeviceSnapshot latest) {
        return Optional.empty();
    }

    /**
     * Parses a register list the device exported itself (text as uploaded by a user). Drivers that support it answer
     * what they would accept; the gateway then stores the text in the device option
     * {@value RegisterImport#DEVICE_OPTION} and the driver's {@link #sensors} include the listed registers.
     *
     * @return empty when this driver does not import register lists
     */
    default Optional<RegisterImport> importRegisters(String text) {
        return Optional.empty();
    }

    /**
     * The sensors that feed the derived COP for this configuration; empty when the device does not report both heat
     * output and electrical input (then no COP is derived).
     */
    default Optional<CopSources> copSources(DeviceConfig deviceConfig) {
        return Optional.empty();
    }

    /**
     * The sensors that play a {@link SensorRole} (for alert templates); each value is a sensor id of this model. A
     * role the model has no live sensor for is left out; one whose sensor a configuration lacks is reported as such
     * by the gateway, so drivers need not filter by configuration.
     */
    default Map<SensorRole, String> sensorRoles(DeviceConfig deviceConfig) {
        return Map.of();
    }

    /**
     * Problems with a connection for this model (e.g. a required protocol option missing), each naming the option;
     * empty when it is acceptable. Host, port and unit id ranges are the gateway's to check.
     */
    default List<String> validateConnection(ConnectionConfig connection) {
        return List.of();
    }

    /**
     * What identifies the device behind a connection, so that two configured devices never poll the same one. Host,
     * port and unit id by default; a cloud API's devices are told apart by their account and device ids instead.
     */
    default String endpointKey(ConnectionConfig connection) {
        return connection.endpointKey();
    }

    /**
     * Connection and device option names whose values are secrets (e.g. an OAuth refresh token): the gateway never
     * returns them through its API and keeps the stored value when a client sends the mask back.
     */
    default Set<String> secretOptions() {
        return Set.of();
    }

    /**
     * Display names of this driver's sensors and enum values in a language. By default read from the driver bundle's
     * {@code OSGI-INF/l10n/labels_<language>.properties} through the driver's class loader (the convention is in
     * {@link SensorLabels}); English, the default, is the {@link SensorDefinition#name()}s. A driver overrides this only
     * to keep its labels somewhere else.
     */
    default SensorLabels labels(Locale locale) {
        return SensorLabels.load(getClass(), locale);
    }
}
