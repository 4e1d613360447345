package gateway.web.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DashboardTemplate;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpCapabilities;
import gateway.core.api.HistoryStore;
import gateway.core.api.RegisterImport;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorFlag;
import gateway.core.api.SensorLabels;
import gateway.core.api.SensorReading;

/**
 * The JSON shapes of the API. Record components are camelCase and the mapper writes them snake_case; enums are written
 * lower case. Requests use boxed types so "absent" can be told from a value.
 */
final class ApiModel {

    /** Option keys whose values are secrets: never sent back, shown as {@link #MASK}. */
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|token|api_?key).*");
    static final String MASK = "***";

    private ApiModel() {
    }

    // ---------------------------------------------------------------- requests

    record HeatpumpInput(String id, String name, String manufacturer, String model, ConnectionInput connectionConfig,
                         DeviceConfigInput deviceConfig, Integer pollInterval, Boolean enabled) {
    }

    /** @param timeout milliseconds */
    record ConnectionInput(String host, Integer port, Integer unitId, Integer timeout, Map<String, JsonNode> options) {
    }

    record DeviceConfigInput(List<String> circuits, List<Integer> zones, Map<String, JsonNode> options) {
    }

    record EnabledInput(Boolean enabled) {
    }

    record ControlInput(String sensor, JsonNode value) {
    }

    /** {@code time_zone}: a zone id, or "" for the system's zone. */
    record SettingsInput(Boolean writeEnabled, String timeZone) {
    }

    // ---------------------------------------------------------------- responses

    /**
     * @param status     {@code ok}, or {@code starting} (answered with 503) until start-up has settled
     * @param waitingFor what start-up still waits for (empty once ready)
     */
    record Health(String status, int devices, int online, List<String> waitingFor) {
    }

    record Version(String version, String api) {
    }

    record Setup(String manufacturer, String model, String name, String protocol, int defaultPort,
                 int minPollInterval, int defaultPollInterval, HeatpumpCapabilities capabilities, String instructions,
                 DashboardTemplate dashboardTemplate, int sensorCount) {
    }

    /** @param timeout milliseconds */
    record ConnectionView(String host, int port, int unitId, int timeout, Map<String, String> options) {
    }

    record DeviceConfigView(List<String> circuits, List<Integer> zones, Map<String, String> options) {
    }

    record StatusView(String state, int errorCount, long totalErrors, String lastError, Instant lastErrorAt,
                      Instant lastSuccess, int requestsLastPoll, long bytesLastPoll, long lastPollMs,
                      Instant nextAttempt, long reconnects, int sensorCount) {
    }

    /**
     * A device; {@code sensors} and {@code roles} only in the details view. {@code roles}: which sensor plays which
     * part across makes (the driver's sensor roles in lower case, such as {@code outdoor_temperature}, plus
     * {@code heat_power} and {@code electric_power} from its COP sources), for the console's key values.
     */
    record HeatpumpView(String id, String name, String manufacturer, String model, ConnectionView connectionConfig,
                        DeviceConfigView deviceConfig, int pollInterval, boolean enabled, Instant createdAt,
                        Instant updatedAt, StatusView status,
                        @JsonInclude(JsonInclude.Include.NON_NULL) List<SensorView> sensors,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> roles) {
    }

    /**
     * {@code name} and {@code enum_labels} (raw value to label) are in the request's language ({@code ?lang=}, else
     * {@code Accept-Language}, else English); {@code id} and {@code enum_values} (raw value to key) never change.
     */
    record SensorView(String id, String name, String category, String unit, String dataType, String access,
                      String registerType, int address, Double min, Double max, Double step,
                      Map<String, String> enumValues, Map<String, String> enumLabels, List<String> flags,
                      String circuit, Integer zone, String description) {
    }

    /**
     * {@code text}: an enum value's key; {@code label}: that value in the request's language; {@code name}: the
     * sensor's name in it (null for a sensor the driver no longer lists).
     */
    record ReadingView(Double value, String text, String unit, String quality, Instant timestamp, String error,
                       String name, String label) {
    }

    record DataView(String heatpumpId, Instant time, String state, Map<String, ReadingView> values) {
    }

    record HistoryView(String heatpumpId, String sensor, String unit, Instant from, Instant to,
                       List<HistoryStore.Point> points) {
    }

    record ControlSensor(String id, String name, String category, String unit, String dataType, String access,
                         Double min, Double max, Double step, Map<String, String> enumValues,
                         Map<String, String> enumLabels, List<String> flags,
                         String circuit, Integer zone, String description, Double value, String text,
                         String quality, Instant timestamp) {
    }

    record ControlView(String heatpumpId, boolean writeEnabled, List<ControlSensor> sensors) {
    }

    record WriteView(String heatpumpId, String sensor, boolean written, Double oldValue, double value,
                     Double readBack, String message) {
    }

    /** {@code names}: the read sensors' names, so a preview need not show ids. */
    record TestView(boolean ok, int requests, long bytes, Map<String, ReadingView> values, Map<String, String> names) {
    }

    /**
     * {@code time_zone}: the zone job times are in (the configured one, else the system's); {@code gateway_id} and
     * {@code site} (null when none) are set in DIR/deploy/gateway.identity.cfg.
     */
    record SettingsView(boolean writeEnabled, String timeZone, String systemTimeZone, String gatewayId, String site) {
    }

    record DeviceSummary(String id, String name, String manufacturer, String model, boolean enabled, String state,
                         Instant lastSuccess, int errorCount, String lastError) {
    }

    record GatewayStatus(String version, String api, Instant startedAt, long uptimeSeconds, boolean writeEnabled,
                         int deviceCount, int online, boolean historyAvailable, boolean auditAvailable,
                         List<DeviceSummary> devices) {
    }

    // ---------------------------------------------------------------- conversions

    static String lower(Enum<?> e) {
        return e == null ? null : e.name().toLowerCase(Locale.ROOT);
    }

    static boolean isSecret(String key) {
        // an endpoint such as token_url names where a token comes from; it is not one
        return SECRET_KEY.matcher(key).matches() && !key.toLowerCase(Locale.ROOT).endsWith("_url");
    }

    /** A secret by its name, or because the device's driver declares it one ({@code HeatpumpDriver.secretOptions}). */
    static boolean isSecret(String key, Set<String> declared) {
        return declared.contains(key) || isSecret(key);
    }

    static Map<String, String> masked(Map<String, String> options) {
        return masked(options, Set.of());
    }

    static Map<String, String> masked(Map<String, String> options, Set<String> declared) {
        Map<String, String> out = new LinkedHashMap<>();
        options.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.put(e.getKey(), isSecret(e.getKey(), declared) ? MASK : e.getValue()));
        return out;
    }

    static ConnectionView connection(ConnectionConfig c) {
        return connection(c, Set.of());
    }

    static ConnectionView connection(ConnectionConfig c, Set<String> declared) {
        return new ConnectionView(c.host(), c.port(), c.unitId(), c.timeoutMs(), masked(c.options(), declared));
    }

    static DeviceConfigView deviceConfig(DeviceConfig d) {
        return deviceConfig(d, Set.of());
    }

    static DeviceConfigView deviceConfig(DeviceConfig d, Set<String> declared) {
        Map<String, String> options = masked(d.options(), declared);
        options.computeIfPresent(RegisterImport.DEVICE_OPTION, (k, text) -> registerExportSummary(text));
        return new DeviceConfigView(d.circuits(), d.zones(), options);
    }

    /**
     * What device details show instead of an uploaded register list (it can be a megabyte): its data rows, e.g.
     * {@code <1843 rows>}. Sent back unchanged in an update, it keeps the stored list.
     */
    static String registerExportSummary(String text) {
        long rows = text.lines().filter(l -> !l.isBlank())
                .filter(l -> !l.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT).startsWith("title\t")).count();
        return "<" + rows + " rows>";
    }

    static StatusView status(DeviceStatus s) {
        return new StatusView(lower(s.state()), s.errorCount(), s.totalErrors(), s.lastError(), s.lastErrorAt(),
                s.lastSuccess(), s.requestsLastPoll(), s.bytesLastPoll(), s.lastPollMillis(), s.nextAttempt(),
                s.reconnects(), s.sensorCount());
    }

    static HeatpumpView heatpump(Heatpump h, DeviceStatus status, List<SensorDefinition> sensors) {
        return heatpump(h, status, sensors, Set.of());
    }

    /** @param secrets option names the device's driver declares secret (masked like those named so) */
    static HeatpumpView heatpump(Heatpump h, DeviceStatus status, List<SensorDefinition> sensors,
                                 Set<String> secrets) {
        return heatpump(h, status, sensors, secrets, SensorLabels.ENGLISH);
    }

    static HeatpumpView heatpump(Heatpump h, DeviceStatus status, List<SensorDefinition> sensors,
                                 Set<String> secrets, SensorLabels labels) {
        return new HeatpumpView(h.id(), h.name(), h.manufacturer(), h.model(), connection(h.connection(), secrets),
                deviceConfig(h.deviceConfig(), secrets), h.pollIntervalSeconds(), h.enabled(), h.createdAt(), h.updatedAt(),
                status == null ? null : status(status),
                sensors == null ? null : sensors.stream().map(s -> sensor(s, labels)).toList(), null);
    }

    static HeatpumpView withRoles(HeatpumpView v, Map<String, String> roles) {
        return new HeatpumpView(v.id(), v.name(), v.manufacturer(), v.model(), v.connectionConfig(), v.deviceConfig(),
                v.pollInterval(), v.enabled(), v.createdAt(), v.updatedAt(), v.status(), v.sensors(), roles);
    }

    static Map<String, String> enumValues(SensorDefinition s) {
        Map<String, String> out = new LinkedHashMap<>();
        s.enumValues().forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    static List<String> flags(SensorDefinition s) {
        List<String> out = new ArrayList<>();
        for (SensorFlag f : SensorFlag.values()) {
            if (s.has(f)) {
                out.add(lower(f));
            }
        }
        return out;
    }

    static SensorView sensor(SensorDefinition s) {
        return sensor(s, SensorLabels.ENGLISH);
    }

    static SensorView sensor(SensorDefinition s, SensorLabels labels) {
        return new SensorView(s.id(), labels.name(s), lower(s.category()), s.unit(), lower(s.dataType()),
                lower(s.access()), s.registerKind().id(), s.address(), s.min(), s.max(), s.step(), enumValues(s),
                labels.enumLabels(s), flags(s), s.circuit(), s.zone(), s.description());
    }

    static ReadingView reading(SensorReading r, SensorDefinition definition) {
        return reading(r, definition, SensorLabels.ENGLISH);
    }

    static ReadingView reading(SensorReading r, SensorDefinition definition, SensorLabels labels) {
        if (definition == null) {
            return new ReadingView(r.value(), r.text(), null, lower(r.quality()), r.timestamp(), r.error(), null,
                    SensorLabels.words(r.text()));
        }
        return new ReadingView(r.value(), r.text(), definition.unit(), lower(r.quality()), r.timestamp(), r.error(),
                labels.name(definition), labels.text(definition, r.text()));
    }

    static ControlSensor control(SensorDefinition s, SensorReading r) {
        return control(s, r, SensorLabels.ENGLISH);
    }

    static ControlSensor control(SensorDefinition s, SensorReading r, SensorLabels labels) {
        return new ControlSensor(s.id(), labels.name(s), lower(s.category()), s.unit(), lower(s.dataType()),
                lower(s.access()), s.min(), s.max(), s.step(), enumValues(s), labels.enumLabels(s), flags(s),
                s.circuit(), s.zone(),
                s.description(), r == null ? null : r.value(), r == null ? null : r.text(),
                r == null ? null : lower(r.quality()), r == null ? null : r.timestamp());
    }
}
