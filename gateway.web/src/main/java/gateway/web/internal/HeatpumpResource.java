package gateway.web.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.ReadResult;
import gateway.core.api.RegisterImport;
import gateway.core.api.SensorDefinition;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.UserStore.Role;
import gateway.web.internal.ApiModel.ConnectionInput;
import gateway.web.internal.ApiModel.DeviceConfigInput;
import gateway.web.internal.ApiModel.EnabledInput;
import gateway.web.internal.ApiModel.HeatpumpInput;
import gateway.web.internal.ApiModel.HeatpumpView;
import gateway.web.internal.ApiModel.ReadingView;
import gateway.web.internal.ApiModel.TestView;

/** {@code /heatpumps}: configured devices, create/update/delete, enable/disable and the connection test. */
final class HeatpumpResource {

    private static final Logger LOG = LoggerFactory.getLogger(HeatpumpResource.class);
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    static final int DEFAULT_UNIT_ID = 1;
    static final int MAX_POLL_INTERVAL = 86_400;
    static final int MIN_TIMEOUT_MS = 100;
    static final int MAX_TIMEOUT_MS = 60_000;

    private final GatewayServices services;

    HeatpumpResource(GatewayServices services) {
        this.services = services;
    }

    void register(Router router) {
        router.add("GET", "/heatpumps", Role.VIEWER, "List configured heat pumps with their status", this::list)
                .add("POST", "/heatpumps", Role.ADMIN, "Add a heat pump", this::create)
                .add("POST", "/heatpumps/test", Role.ADMIN, "Test a connection before adding the heat pump",
                        this::testNew)
                .add("GET", "/heatpumps/{id}", Role.VIEWER, "Heat pump details with status and sensors", this::get)
                .add("PUT", "/heatpumps/{id}", Role.ADMIN, "Update a heat pump (fields given are merged)",
                        this::update)
                .add("DELETE", "/heatpumps/{id}", Role.ADMIN, "Remove a heat pump", this::delete)
                .add("POST", "/heatpumps/{id}/enable", Role.ADMIN, "Start polling a heat pump",
                        r -> setEnabled(r, true))
                .add("POST", "/heatpumps/{id}/disable", Role.ADMIN, "Stop polling a heat pump",
                        r -> setEnabled(r, false))
                .add("POST", "/heatpumps/{id}/test", Role.ADMIN, "Read a few values over a fresh connection",
                        this::test);
    }

    private Object list(ApiRequest request) {
        List<HeatpumpView> out = new ArrayList<>();
        for (Heatpump h : services.manager.heatpumps()) {
            try {
                out.add(ApiModel.heatpump(h, services.manager.status(h.id()), null));
            } catch (UnknownHeatpumpException e) {
                // deleted while listing
            }
        }
        return out;
    }

    private Object get(ApiRequest request) throws UnknownHeatpumpException {
        return details(request.param("id"));
    }

    HeatpumpView details(String id) throws UnknownHeatpumpException {
        Heatpump h = services.manager.heatpump(id).orElseThrow(() -> new UnknownHeatpumpException(id));
        DeviceStatus status = services.manager.status(id);
        return ApiModel.heatpump(h, status, services.manager.sensors(id));
    }

    private Object create(ApiRequest request) throws Exception {
        HeatpumpInput in = request.body(HeatpumpInput.class);
        Heatpump wanted = fromInput(in);
        Heatpump created = services.manager.create(wanted);
        LOG.info("heatpump created id={} manufacturer={} model={} by={}", created.id(), created.manufacturer(),
                created.model(), request.actor());
        return Reply.created(ApiServlet.MOUNT + "/heatpumps/" + created.id(), details(created.id()));
    }

    /** A new device from a create body: required fields checked, everything else defaulted from the driver. */
    Heatpump fromInput(HeatpumpInput in) {
        List<String> problems = new ArrayList<>();
        String id = in.id();
        if (id != null && !ID.matcher(id).matches()) {
            problems.add("id: use 1 to 64 lower-case letters, digits, '-' or '_'");
        }
        require(in.manufacturer(), "manufacturer", problems);
        require(in.model(), "model", problems);
        ConnectionInput c = in.connectionConfig();
        if (c == null) {
            problems.add("connection_config: required (at least its host)");
        } else {
            require(c.host(), "connection_config.host", problems);
        }
        HeatpumpDriver driver = null;
        if (in.manufacturer() != null && in.model() != null) {
            Optional<HeatpumpDriver> found = services.registry.driver(in.manufacturer(), in.model());
            if (found.isEmpty()) {
                problems.add("no driver installed for manufacturer '" + in.manufacturer() + "' and model '"
                        + in.model() + "'");
            } else {
                driver = found.get();
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid("the heat pump definition is incomplete", problems);
        }
        ConnectionConfig connection = new ConnectionConfig(c.host().trim(),
                c.port() != null ? c.port() : driver.defaultPort(),
                c.unitId() != null ? c.unitId() : DEFAULT_UNIT_ID,
                c.timeout() != null ? c.timeout() : ConnectionConfig.DEFAULT_TIMEOUT_MS,
                options(c.options(), Map.of(), "connection_config.options", problems));
        DeviceConfigInput d = in.deviceConfig();
        DeviceConfig deviceConfig = d == null ? DeviceConfig.empty()
                : new DeviceConfig(noNulls(d.circuits(), "device_config.circuits", problems),
                        noNulls(d.zones(), "device_config.zones", problems),
                        options(d.options(), Map.of(), "device_config.options", problems));
        int poll = in.pollInterval() != null ? in.pollInterval() : driver.defaultPollIntervalSeconds();
        check(connection, c.timeout(), poll, driver, problems);
        problems.addAll(driver.validate(deviceConfig));
        if (!problems.isEmpty()) {
            throw ApiException.invalid("the heat pump definition has invalid values", problems);
        }
        String name = in.name() == null || in.name().isBlank() ? driver.modelName() : in.name().trim();
        // the record refuses a null id, so the gateway's id format is produced here
        String newId = id != null ? id : newId();
        return new Heatpump(newId, name, in.manufacturer(), in.model(), connection, deviceConfig, poll,
                in.enabled() == null || in.enabled(), null, null);
    }

    private static String newId() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return "hp-" + HexFormat.of().formatHex(bytes);
    }

    private Object update(ApiRequest request) throws Exception {
        String id = request.param("id");
        Heatpump old = services.manager.heatpump(id).orElseThrow(() -> new UnknownHeatpumpException(id));
        HeatpumpInput in = request.body(HeatpumpInput.class);
        if (in.id() != null && !in.id().equals(id)) {
            throw ApiException.badRequest("the id in the body ('" + in.id() + "') differs from the path ('" + id
                    + "'); ids cannot be changed");
        }
        List<String> problems = new ArrayList<>();
        String manufacturer = in.manufacturer() != null ? in.manufacturer() : old.manufacturer();
        String model = in.model() != null ? in.model() : old.model();
        HeatpumpDriver driver = services.registry.driver(manufacturer, model).orElse(null);
        if (driver == null && (!manufacturer.equals(old.manufacturer()) || !model.equals(old.model()))) {
            problems.add("no driver installed for manufacturer '" + manufacturer + "' and model '" + model + "'");
        }
        ConnectionConfig oc = old.connection();
        ConnectionInput c = in.connectionConfig();
        ConnectionConfig connection = oc;
        if (c != null) {
            if (c.host() != null && c.host().isBlank()) {
                problems.add("connection_config.host: must not be empty");
            }
            connection = new ConnectionConfig(c.host() != null ? c.host().trim() : oc.host(),
                    c.port() != null ? c.port() : oc.port(),
                    c.unitId() != null ? c.unitId() : oc.unitId(),
                    c.timeout() != null ? c.timeout() : oc.timeoutMs(),
                    c.options() != null ? options(c.options(), oc.options(), "connection_config.options", problems)
                            : oc.options());
        }
        DeviceConfig od = old.deviceConfig();
        DeviceConfigInput d = in.deviceConfig();
        DeviceConfig deviceConfig = od;
        if (d != null) {
            deviceConfig = new DeviceConfig(
                    d.circuits() != null ? noNulls(d.circuits(), "device_config.circuits", problems) : od.circuits(),
                    d.zones() != null ? noNulls(d.zones(), "device_config.zones", problems) : od.zones(),
                    d.options() != null ? options(d.options(), od.options(), "device_config.options", problems)
                            : od.options());
        }
        int poll = in.pollInterval() != null ? in.pollInterval() : old.pollIntervalSeconds();
        check(connection, c == null ? null : c.timeout(), poll, driver, problems);
        if (driver != null) {
            problems.addAll(driver.validate(deviceConfig));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid("the heat pump update has invalid values", problems);
        }
        String name = in.name() == null ? old.name() : in.name().isBlank() ? old.name() : in.name().trim();
        boolean enabled = in.enabled() != null ? in.enabled() : old.enabled();
        Heatpump updated = services.manager.update(new Heatpump(id, name, manufacturer, model, connection,
                deviceConfig, poll, enabled, old.createdAt(), old.updatedAt()));
        LOG.info("heatpump updated id={} by={}", updated.id(), request.actor());
        return details(updated.id());
    }

    private Object delete(ApiRequest request) throws UnknownHeatpumpException {
        String id = request.param("id");
        services.manager.delete(id);
        LOG.info("heatpump deleted id={} by={}", id, request.actor());
        return Reply.noContent();
    }

    private Object setEnabled(ApiRequest request, boolean enabled) throws Exception {
        String id = request.param("id");
        if (request.hasBody()) {
            // an optional {"enabled": bool} must agree with the path, so a confused client is told, not obeyed
            EnabledInput in = request.body(EnabledInput.class);
            if (in.enabled() != null && in.enabled() != enabled) {
                throw ApiException.badRequest("body says enabled=" + in.enabled() + " but the path says "
                        + (enabled ? "enable" : "disable"));
            }
        }
        services.manager.setEnabled(id, enabled);
        LOG.info("heatpump {} id={} by={}", enabled ? "enabled" : "disabled", id, request.actor());
        return details(id);
    }

    private Object test(ApiRequest request) throws Exception {
        String id = request.param("id");
        Heatpump h = services.manager.heatpump(id).orElseThrow(() -> new UnknownHeatpumpException(id));
        ReadResult result = diagnosed(h);
        return testView(result, services.manager.sensors(id));
    }

    private Object testNew(ApiRequest request) throws Exception {
        Heatpump h = fromInput(request.body(HeatpumpInput.class));
        ReadResult result = diagnosed(h);
        List<SensorDefinition> sensors = services.registry.driver(h.manufacturer(), h.model())
                .map(d -> d.sensors(h.deviceConfig())).orElse(List.of());
        return testView(result, sensors);
    }

    /** The connection test, its failure turned into a diagnosis a person can act on. */
    private ReadResult diagnosed(Heatpump h) throws Exception {
        try {
            return services.manager.testConnection(h);
        } catch (DeviceException e) {
            String protocol = services.registry.driver(h.manufacturer(), h.model()).map(HeatpumpDriver::protocol)
                    .orElse("");
            Diagnosis d = diagnose(e, protocol, h.connection().timeoutMs(), h.connection().unitId());
            throw ApiException.unavailable(d.slug(), d.title(), d.detail() + " (" + e.getMessage() + ")")
                    .with("diagnosis", d.slug());
        }
    }

    record Diagnosis(String slug, String title, String detail) {
    }

    /** Why a connection test failed, from the exception chain: refused, timeout, unknown host, wrong unit id... */
    static Diagnosis diagnose(DeviceException e, String protocol, int timeoutMs, int unitId) {
        boolean modbus = protocol.startsWith("modbus");
        if (e instanceof DeviceProtocolException p) {
            if (p.code() == 0x0B || p.code() == 0x0A) {
                return new Diagnosis("wrong-unit-id", "Wrong unit id", "wrong unit id: no unit " + unitId
                        + " answers behind this address (Modbus exception " + p.code() + ")");
            }
            if (p.code() == 1 || p.code() == 2) {
                return new Diagnosis("rejected-request", "Request rejected", "the device rejected the request"
                        + " (Modbus exception " + p.code() + "): wrong model selected, or wrong unit id");
            }
            return new Diagnosis("device-error", "Device error", "the device answered with an error");
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (t instanceof java.net.ConnectException && m.contains("refused") || m.contains("connection refused")) {
                return new Diagnosis("connection-refused", "Connection refused", modbus
                        ? "Modbus TCP is probably not enabled on the device (connection refused)"
                        : "the device's " + protocol + " port is probably not enabled (connection refused)");
            }
            if (t instanceof java.net.UnknownHostException || m.contains("unknown host")) {
                return new Diagnosis("unknown-host", "Unknown host", "the host name is not known: check the address");
            }
            if (t instanceof java.net.NoRouteToHostException || m.contains("no route to host")) {
                return new Diagnosis("no-route", "No route to host", "no route to the device: wrong address or"
                        + " network");
            }
            if (t instanceof java.net.SocketTimeoutException || m.contains("timed out") || m.contains("timeout")
                    || m.contains("no reply") || m.contains("no response")) {
                return new Diagnosis("timeout", "No answer", "no answer within " + timeoutMs
                        + " ms: wrong address, or the device is unreachable" + (modbus
                        ? " (a device that ignores a wrong unit id looks the same)" : ""));
            }
        }
        return new Diagnosis("device-unreachable", "Device unreachable", "the device could not be reached");
    }

    private static TestView testView(ReadResult result, List<SensorDefinition> sensors) {
        Map<String, SensorDefinition> byId = new LinkedHashMap<>();
        sensors.forEach(s -> byId.put(s.id(), s));
        Map<String, ReadingView> values = new LinkedHashMap<>();
        result.readings().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> values.put(e.getKey(), ApiModel.reading(e.getValue(), byId.get(e.getKey()))));
        return new TestView(true, result.requests(), result.bytes(), values);
    }

    /** The list without null entries (each one reported); null stays null. */
    private static <T> List<T> noNulls(List<T> list, String field, List<String> problems) {
        if (list == null) {
            return null;
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                problems.add(field + "[" + i + "]: must not be null");
            } else {
                out.add(list.get(i));
            }
        }
        return out;
    }

    private static void require(String value, String field, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add(field + ": required");
        }
    }

    private static void check(ConnectionConfig c, Integer timeoutGiven, int poll, HeatpumpDriver driver,
                              List<String> problems) {
        if (c.port() < 1 || c.port() > 65535) {
            problems.add("connection_config.port: must be 1..65535, got " + c.port());
        }
        if (c.unitId() < 0 || c.unitId() > 255) {
            problems.add("connection_config.unit_id: must be 0..255, got " + c.unitId());
        }
        if (timeoutGiven != null && (timeoutGiven < MIN_TIMEOUT_MS || timeoutGiven > MAX_TIMEOUT_MS)) {
            problems.add("connection_config.timeout: must be " + MIN_TIMEOUT_MS + ".." + MAX_TIMEOUT_MS
                    + " ms, got " + timeoutGiven);
        }
        int min = driver == null ? 1 : Math.max(1, driver.minPollIntervalSeconds());
        if (poll < min || poll > MAX_POLL_INTERVAL) {
            problems.add("poll_interval: must be " + min + ".." + MAX_POLL_INTERVAL + " seconds, got " + poll);
        }
    }

    /**
     * Options as strings. A secret sent back as the mask keeps its stored value, so a client may PUT what it GOT.
     */
    private static Map<String, String> options(Map<String, JsonNode> given, Map<String, String> previous,
                                               String field, List<String> problems) {
        if (given == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        given.forEach((key, node) -> {
            if (node == null || node.isNull()) {
                problems.add(field + "." + key + ": must not be null");
            } else if (!node.isValueNode()) {
                problems.add(field + "." + key + ": must be a string, number or boolean");
            } else if (key.equals(RegisterImport.DEVICE_OPTION) && previous.containsKey(key)
                    && ApiModel.registerExportSummary(previous.get(key)).equals(node.asText())) {
                // the summary shown by GET stands for the stored list (replace it through /register-export)
                out.put(key, previous.get(key));
            } else if (ApiModel.isSecret(key) && ApiModel.MASK.equals(node.asText())) {
                if (previous.containsKey(key)) {
                    out.put(key, previous.get(key));
                } else {
                    problems.add(field + "." + key + ": '" + ApiModel.MASK + "' is the mask of a secret, not a value");
                }
            } else {
                out.put(key, node.asText());
            }
        });
        return out;
    }
}
