package gateway.web.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.ConnectionDiagnosis;
import gateway.core.api.ConnectionTestFailedException;
import gateway.core.api.DerivedSensors;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.ReadResult;
import gateway.core.api.RegisterImport;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorLabels;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.UserStore.Role;
import gateway.web.internal.ApiModel.ConnectionInput;
import gateway.web.internal.ApiModel.DeviceConfigInput;
import gateway.web.internal.ApiModel.EnabledInput;
import gateway.web.internal.ApiModel.HeatpumpInput;
import gateway.web.internal.ApiModel.HeatpumpView;
import gateway.web.internal.ApiModel.ReadingView;
import gateway.web.internal.ApiModel.TestView;

/**
 * {@code /heatpumps}: configured devices, create/update/delete, enable/disable and the connection test. This resource
 * maps JSON to the domain records (required fields, id format, option values, defaults from the driver, PUT merging)
 * and nothing more: whether a definition is valid (ranges, poll interval, the driver's own check, endpoint conflicts)
 * and why a connection test failed are the {@link gateway.core.api.HeatpumpManager}'s to say.
 */
final class HeatpumpResource {

    private static final Logger LOG = LoggerFactory.getLogger(HeatpumpResource.class);
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    static final int DEFAULT_UNIT_ID = 1;

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
                out.add(ApiModel.heatpump(h, services.manager.status(h.id()), null, secrets(h.manufacturer(),
                        h.model())));
            } catch (UnknownHeatpumpException e) {
                // deleted while listing
            }
        }
        return out;
    }

    private Object get(ApiRequest request) throws UnknownHeatpumpException {
        String id = request.param("id");
        Heatpump h = services.manager.heatpump(id).orElseThrow(() -> new UnknownHeatpumpException(id));
        return details(id, services.labels(h, request));
    }

    HeatpumpView details(String id) throws UnknownHeatpumpException {
        return details(id, SensorLabels.ENGLISH);
    }

    /** @param labels the driver's names in the request's language */
    HeatpumpView details(String id, SensorLabels labels) throws UnknownHeatpumpException {
        Heatpump h = services.manager.heatpump(id).orElseThrow(() -> new UnknownHeatpumpException(id));
        DeviceStatus status = services.manager.status(id);
        List<SensorDefinition> sensors = withDerived(h, services.manager.sensors(id));
        return ApiModel.withRoles(ApiModel.heatpump(h, status, sensors, secrets(h.manufacturer(), h.model()),
                labels), roles(h, sensors));
    }

    /** The driver's sensor roles and COP sources, limited to sensors this configuration has. */
    private Map<String, String> roles(Heatpump h, List<SensorDefinition> sensors) {
        Set<String> present = new java.util.HashSet<>();
        sensors.forEach(s -> present.add(s.id()));
        Map<String, String> out = new java.util.TreeMap<>();
        try {
            services.registry.driver(h.manufacturer(), h.model()).ifPresent(d -> {
                d.sensorRoles(h.deviceConfig()).forEach((role, sensor) -> {
                    if (present.contains(sensor)) {
                        out.put(ApiModel.lower(role), sensor);
                    }
                });
                d.copSources(h.deviceConfig()).ifPresent(c -> {
                    if (c.heatPower() != null && present.contains(c.heatPower())) {
                        out.put("heat_power", c.heatPower());
                    }
                    if (c.electricPower() != null && present.contains(c.electricPower())) {
                        out.put("electric_power", c.electricPower());
                    }
                });
            });
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("{}: driver's sensor roles unavailable: {}", h.id(), e.toString());
        }
        return out;
    }

    /** The COP the manager derives is in every snapshot of a pump that feeds it: its names belong beside the driver's. */
    private List<SensorDefinition> withDerived(Heatpump h, List<SensorDefinition> sensors) {
        boolean feedsCop = services.registry.driver(h.manufacturer(), h.model())
                .flatMap(d -> d.copSources(h.deviceConfig())).isPresent();
        if (!feedsCop || sensors.stream().anyMatch(s -> s.id().equals(DerivedSensors.COP))) {
            return sensors;
        }
        List<SensorDefinition> all = new ArrayList<>(sensors);
        all.addAll(DerivedSensors.COP_SENSORS);
        return all;
    }

    /** Option names the model's driver declares secret; none while the driver is missing (names still count). */
    private Set<String> secrets(String manufacturer, String model) {
        try {
            return services.registry.driver(manufacturer, model).map(HeatpumpDriver::secretOptions)
                    .orElse(Set.of());
        } catch (RuntimeException | LinkageError e) {
            return Set.of(); // a driver built against API 2.0 has no secretOptions: the default applies
        }
    }

    private Object create(ApiRequest request) throws Exception {
        HeatpumpInput in = request.body(HeatpumpInput.class);
        Heatpump wanted = fromInput(in);
        Heatpump created = services.manager.create(wanted);
        LOG.info("heatpump created id={} manufacturer={} model={} by={}", created.id(), created.manufacturer(),
                created.model(), request.actor());
        return Reply.created(ApiServlet.MOUNT + "/heatpumps/" + created.id(), details(created.id()));
    }

    /**
     * A new device from a create body: the fields without which no definition can be built are checked here, the
     * port and name default from the driver, the poll interval is left to the manager (0 = its default); the
     * manager validates the rest.
     */
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
        if (!problems.isEmpty()) {
            throw ApiException.invalid("the heat pump definition is incomplete", problems);
        }
        // a missing driver is the manager's to report; without one there is nothing to default from
        Optional<HeatpumpDriver> driver = services.registry.driver(in.manufacturer(), in.model());
        ConnectionConfig connection = new ConnectionConfig(c.host().trim(),
                c.port() != null ? c.port() : driver.map(HeatpumpDriver::defaultPort).orElse(0),
                c.unitId() != null ? c.unitId() : DEFAULT_UNIT_ID,
                c.timeout() != null ? c.timeout() : ConnectionConfig.DEFAULT_TIMEOUT_MS,
                signedIn(options(c.options(), Map.of(), "connection_config.options", problems,
                        secrets(in.manufacturer(), in.model())), problems, secrets(in.manufacturer(), in.model())));
        DeviceConfigInput d = in.deviceConfig();
        DeviceConfig deviceConfig = d == null ? DeviceConfig.empty()
                : new DeviceConfig(noNulls(d.circuits(), "device_config.circuits", problems),
                        noNulls(d.zones(), "device_config.zones", problems),
                        options(d.options(), Map.of(), "device_config.options", problems,
                                secrets(in.manufacturer(), in.model())));
        int poll = in.pollInterval() != null ? in.pollInterval() : 0;
        if (!problems.isEmpty()) {
            throw ApiException.invalid("the heat pump definition has invalid values", problems);
        }
        String name = in.name() == null || in.name().isBlank()
                ? driver.map(HeatpumpDriver::modelName).orElse(in.model()) : in.name().trim();
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
                    c.options() != null ? signedIn(options(c.options(), oc.options(), "connection_config.options",
                            problems, secrets(manufacturer, model)), problems, secrets(manufacturer, model))
                            : oc.options());
        }
        DeviceConfig od = old.deviceConfig();
        DeviceConfigInput d = in.deviceConfig();
        DeviceConfig deviceConfig = od;
        if (d != null) {
            deviceConfig = new DeviceConfig(
                    d.circuits() != null ? noNulls(d.circuits(), "device_config.circuits", problems) : od.circuits(),
                    d.zones() != null ? noNulls(d.zones(), "device_config.zones", problems) : od.zones(),
                    d.options() != null ? options(d.options(), od.options(), "device_config.options", problems,
                            secrets(manufacturer, model))
                            : od.options());
        }
        int poll = in.pollInterval() != null ? in.pollInterval() : old.pollIntervalSeconds();
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
        return testView(result, services.manager.sensors(id), services.labels(h, request));
    }

    private Object testNew(ApiRequest request) throws Exception {
        Heatpump h = fromInput(request.body(HeatpumpInput.class));
        ReadResult result = diagnosed(h);
        List<SensorDefinition> sensors = services.registry.driver(h.manufacturer(), h.model())
                .map(d -> d.sensors(h.deviceConfig())).orElse(List.of());
        return testView(result, sensors, services.labels(h, request));
    }

    /** The connection test; its failure comes with the manager's diagnosis, which the problem passes on. */
    private ReadResult diagnosed(Heatpump h) throws Exception {
        try {
            return services.manager.testConnection(h);
        } catch (ConnectionTestFailedException e) {
            ConnectionDiagnosis d = e.diagnosis();
            String slug = ApiModel.lower(d.cause()).replace('_', '-');
            throw ApiException.unavailable(slug, title(d.cause()), d.explanation() + " (" + e.getMessage() + ")")
                    .with("diagnosis", slug)
                    // the console words the advice itself; this is only what failed, so it is not said twice
                    .with("technical", e.getMessage());
        }
    }

    private static String title(ConnectionDiagnosis.Cause cause) {
        return switch (cause) {
            case CONNECTION_REFUSED -> "Connection refused";
            case UNKNOWN_HOST -> "Unknown host";
            case NO_ROUTE -> "No route to host";
            case TIMEOUT -> "No answer";
            case WRONG_PROTOCOL -> "Wrong protocol";
            case WRONG_UNIT_ID -> "Wrong unit id";
            case REJECTED_REQUEST -> "Request rejected";
            case DEVICE_ERROR -> "Device error";
            case DEVICE_UNREACHABLE -> "Device unreachable";
        };
    }

    private static TestView testView(ReadResult result, List<SensorDefinition> sensors, SensorLabels labels) {
        Map<String, SensorDefinition> byId = new LinkedHashMap<>();
        sensors.forEach(s -> byId.put(s.id(), s));
        Map<String, ReadingView> values = new LinkedHashMap<>();
        result.readings().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> values.put(e.getKey(), ApiModel.reading(e.getValue(), byId.get(e.getKey()), labels)));
        Map<String, String> names = new LinkedHashMap<>();
        values.keySet().forEach(id -> names.put(id, byId.containsKey(id) ? labels.name(byId.get(id)) : id));
        return new TestView(true, result.requests(), result.bytes(), values, names);
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

    /**
     * A secret option given as {@code handle:<id>} (the console's ViCare sign-in) becomes the refresh token the
     * gateway holds under that handle, so the token never travels through the browser.
     */
    private Map<String, String> signedIn(Map<String, String> options, List<String> problems, Set<String> secrets) {
        Map<String, String> out = new LinkedHashMap<>(options);
        options.forEach((key, value) -> {
            if (ApiModel.isSecret(key, secrets) && value.startsWith(ViCareSignInResource.HANDLE_PREFIX)) {
                String token = services.vicareSignIn.resolve(value, options.get("client_id"),
                        "connection_config.options." + key, problems);
                out.put(key, token == null ? "" : token); // "" only while a problem stops the request
            }
        });
        return out;
    }

    /**
     * Options as strings. A secret sent back as the mask keeps its stored value, so a client may PUT what it GOT.
     */
    private static Map<String, String> options(Map<String, JsonNode> given, Map<String, String> previous,
                                               String field, List<String> problems, Set<String> secrets) {
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
            } else if (ApiModel.isSecret(key, secrets) && ApiModel.MASK.equals(node.asText())) {
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
