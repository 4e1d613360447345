package gateway.web.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import gateway.core.api.AlertStore.Alert;
import gateway.core.api.DashboardStore.Dashboard;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.JobStore.Job;
import gateway.core.api.SensorDefinition;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.UserStore.Role;

/**
 * {@code /jobs}, {@code /alerts} and {@code /dashboards}: CRUD on stored definitions, per device. Jobs and alerts are
 * checked against the device's sensors now, so a typo shows up when it is saved, not when the engine runs it.
 */
final class DefinitionResource {

    private static final Logger LOG = LoggerFactory.getLogger(DefinitionResource.class);
    private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    static final Set<String> CONDITIONS = Set.of(">", "<", "=", "!=", ">=", "<=");
    static final List<String> ALERT_TYPE_NAMES = List.of("threshold", "status", "device_state", "stale", "anomaly");
    static final Set<String> ALERT_TYPES = Set.copyOf(ALERT_TYPE_NAMES);
    static final Set<String> DEVICE_STATES = Set.of("offline", "driver_missing", "rate_limited");
    /** A week: a longer catch-up would make up a run the next one already replaces. */
    static final int MAX_CATCH_UP_MINUTES = 7 * 24 * 60;

    record JobInput(String heatpumpId, String sensor, JsonNode value, String time, List<String> days,
                    Boolean enabled, Integer catchUpMinutes) {
    }

    /** {@code last_result} is ok / skipped / rejected / failed (running while a run is under way). */
    record JobView(String id, String heatpumpId, String sensor, String value, String time, List<String> days,
                   boolean enabled, Instant lastRun, String lastResult, String lastReason, Instant nextRun,
                   int catchUpMinutes) {
    }

    record AlertInput(String heatpumpId, String name, String type, String sensor, String condition,
                      JsonNode threshold, String message, Boolean enabled, Integer intervalSeconds,
                      Integer forSeconds, Double hysteresis, List<String> channels, Boolean notifyResolved) {
    }

    record AlertView(String id, String heatpumpId, String name, String type, String sensor, String condition,
                     String threshold, String message, boolean enabled, int intervalSeconds, Instant lastTriggered,
                     int forSeconds, double hysteresis, List<String> channels, boolean notifyResolved) {
        static AlertView of(Alert a) {
            return new AlertView(a.id(), a.heatpumpId(), a.name(), a.type(), a.sensor(), a.condition(),
                    a.threshold(), a.message(), a.enabled(), a.intervalSeconds(), a.lastTriggered(), a.forSeconds(),
                    a.hysteresis(), a.channels(), a.notifyResolved());
        }
    }

    record DashboardInput(String name, String heatpumpId, JsonNode config, Integer position) {
    }

    record DashboardView(String id, String name, String heatpumpId, JsonNode config, int position) {
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = ApiJson.create();

    private final GatewayServices services;

    DefinitionResource(GatewayServices services) {
        this.services = services;
    }

    void register(Router router) {
        router.add("GET", "/jobs", Role.VIEWER, "Job definitions (?heatpump_id=)", this::listJobs)
                .add("POST", "/jobs", Role.OPERATOR, "Add a job", this::createJob)
                .add("GET", "/jobs/{id}", Role.VIEWER, "One job", r -> view(job(r.param("id"))))
                .add("PUT", "/jobs/{id}", Role.OPERATOR, "Change a job (fields given are merged)", this::updateJob)
                .add("DELETE", "/jobs/{id}", Role.OPERATOR, "Remove a job", this::deleteJob)
                .add("GET", "/alerts", Role.VIEWER, "Alert definitions (?heatpump_id=)", this::listAlerts)
                .add("POST", "/alerts", Role.ADMIN, "Add an alert", this::createAlert)
                .add("GET", "/alerts/{id}", Role.VIEWER, "One alert", r -> AlertView.of(alert(r.param("id"))))
                .add("PUT", "/alerts/{id}", Role.ADMIN, "Change an alert (fields given are merged)",
                        this::updateAlert)
                .add("DELETE", "/alerts/{id}", Role.ADMIN, "Remove an alert", this::deleteAlert)
                .add("GET", "/dashboards", Role.VIEWER,
                        "Dashboards of a device (?heatpump_id=), else the overview dashboards", this::listDashboards)
                .add("POST", "/dashboards", Role.OPERATOR, "Add a dashboard", this::createDashboard)
                .add("GET", "/dashboards/{id}", Role.VIEWER, "One dashboard",
                        r -> view(dashboard(r.param("id")), Languages.of(r)))
                .add("PUT", "/dashboards/{id}", Role.OPERATOR, "Change a dashboard (fields given are merged)",
                        this::updateDashboard)
                .add("DELETE", "/dashboards/{id}", Role.OPERATOR, "Remove a dashboard", this::deleteDashboard);
    }

    // --- jobs

    private Object listJobs(ApiRequest request) {
        return services.jobs().list(request.query("heatpump_id")).stream().map(this::view).toList();
    }

    /** A job with its next run, when the scheduler is there to say. */
    JobView view(Job j) {
        gateway.core.api.Automation automation = services.automation;
        Instant next = automation == null ? null : automation.nextRun(j).orElse(null);
        return new JobView(j.id(), j.heatpumpId(), j.sensor(), j.value(), j.time(), j.days(), j.enabled(),
                j.lastRun(), j.lastResult(), j.lastReason(), next, j.catchUpMinutes());
    }

    private Job job(String id) {
        return services.jobs().get(id).orElseThrow(() -> ApiException.notFound("no job '" + id + "'"));
    }

    private Object createJob(ApiRequest request) throws Exception {
        JobInput in = request.body(JobInput.class);
        Job job = validate(new Job(null, in.heatpumpId(), in.sensor(), text(in.value()), in.time(),
                in.days() == null ? List.of() : in.days(), in.enabled() == null || in.enabled(), null,
                catchUp(in.catchUpMinutes(), 0), null, null));
        Job saved = services.jobs().save(job);
        LOG.info("job created id={} heatpump={} sensor={} by={}", saved.id(), saved.heatpumpId(), saved.sensor(),
                request.actor());
        return Reply.created(ApiServlet.MOUNT + "/jobs/" + saved.id(), view(saved));
    }

    private Object updateJob(ApiRequest request) throws Exception {
        Job old = job(request.param("id"));
        JobInput in = request.body(JobInput.class);
        Job job = validate(new Job(old.id(), or(in.heatpumpId(), old.heatpumpId()), or(in.sensor(), old.sensor()),
                in.value() == null ? old.value() : text(in.value()), or(in.time(), old.time()),
                in.days() == null ? old.days() : in.days(), in.enabled() == null ? old.enabled() : in.enabled(),
                old.lastRun(), catchUp(in.catchUpMinutes(), old.catchUpMinutes()), old.lastResult(),
                old.lastReason()));
        LOG.info("job updated id={} by={}", old.id(), request.actor());
        return view(services.jobs().save(job));
    }

    private Object deleteJob(ApiRequest request) {
        String id = request.param("id");
        if (!services.jobs().delete(id)) {
            throw ApiException.notFound("no job '" + id + "'");
        }
        LOG.info("job deleted id={} by={}", id, request.actor());
        return Reply.noContent();
    }

    /** A job as a write would see it: writable sensor of that device, value within its range and enum, HH:MM, days. */
    Job validate(Job job) {
        List<String> problems = new ArrayList<>();
        SensorDefinition sensor = sensor(job.heatpumpId(), job.sensor(), problems);
        if (sensor != null && !sensor.writable()) {
            problems.add("sensor: '" + sensor.id() + "' is read-only");
        }
        String value = job.value();
        if (value == null || value.isBlank()) {
            problems.add("value: required");
        } else if (sensor != null && sensor.writable()) {
            String check = checkValue(sensor, value);
            if (check != null) {
                problems.add("value: " + check);
            }
        }
        if (job.time() == null || !TIME.matcher(job.time()).matches()) {
            problems.add("time: HH:MM, 00:00 to 23:59");
        }
        List<String> days = new ArrayList<>(new LinkedHashSet<>(job.days().stream()
                .map(d -> d == null ? "" : d.trim().toLowerCase(Locale.ROOT)).toList()));
        for (String d : days) {
            if (!DAYS.contains(d)) {
                problems.add("days: '" + d + "' is not one of " + String.join(", ", DAYS));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid("the job is not valid", problems);
        }
        days.sort((a, b) -> DAYS.indexOf(a) - DAYS.indexOf(b));
        return new Job(job.id(), job.heatpumpId(), job.sensor(), value.trim(), job.time(), days, job.enabled(),
                job.lastRun(), job.catchUpMinutes(), job.lastResult(), job.lastReason());
    }

    private static int catchUp(Integer given, int old) {
        if (given == null) {
            return old;
        }
        if (given < 0 || given > MAX_CATCH_UP_MINUTES) {
            throw ApiException.invalid("the job is not valid",
                    List.of("catch_up_minutes: 0 to " + MAX_CATCH_UP_MINUTES));
        }
        return given;
    }

    /** Null when the value would pass the write checks that do not need the device; else why not. */
    static String checkValue(SensorDefinition sensor, String text) {
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            Optional<Map.Entry<Integer, String>> label = sensor.enumValues().entrySet().stream()
                    .filter(en -> en.getValue().equalsIgnoreCase(text.trim())).findFirst();
            if (label.isEmpty()) {
                return sensor.enumValues().isEmpty() ? "'" + text + "' is not a number"
                        : "'" + text + "' is not a value of '" + sensor.id() + "'; allowed: "
                                + String.join(", ", sensor.enumValues().values());
            }
            value = label.get().getKey();
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "not a finite number";
        }
        if (!sensor.enumValues().isEmpty() && (value != Math.rint(value)
                || !sensor.enumValues().containsKey((int) value))) {
            return value + " is not a value of '" + sensor.id() + "'; allowed: " + sensor.enumValues().keySet();
        }
        if (sensor.min() != null && value < sensor.min() || sensor.max() != null && value > sensor.max()) {
            return value + " is outside " + sensor.min() + ".." + sensor.max();
        }
        if (sensor.step() != null && sensor.step() > 0) {
            double steps = value / sensor.step();
            if (Math.abs(steps - Math.rint(steps)) > 1e-6 * Math.max(1, Math.abs(steps))) {
                return value + " is not a multiple of the step " + sensor.step() + " of '" + sensor.id() + "'";
            }
        }
        return null;
    }

    private SensorDefinition sensor(String heatpumpId, String sensorId, List<String> problems) {
        if (heatpumpId == null || heatpumpId.isBlank()) {
            problems.add("heatpump_id: required");
            return null;
        }
        List<SensorDefinition> sensors;
        try {
            sensors = services.manager.sensors(heatpumpId);
        } catch (UnknownHeatpumpException e) {
            problems.add("heatpump_id: no heat pump '" + heatpumpId + "'");
            return null;
        }
        if (sensorId == null || sensorId.isBlank()) {
            problems.add("sensor: required");
            return null;
        }
        Optional<SensorDefinition> s = sensors.stream().filter(d -> d.id().equals(sensorId)).findFirst();
        if (s.isEmpty()) {
            problems.add("sensor: heat pump '" + heatpumpId + "' has no sensor '" + sensorId + "'"
                    + (sensors.isEmpty() ? " (its driver is not installed)" : ""));
            return null;
        }
        return s.get();
    }

    // --- alerts

    private Object listAlerts(ApiRequest request) {
        return services.alerts().list(request.query("heatpump_id")).stream().map(AlertView::of).toList();
    }

    private Alert alert(String id) {
        return services.alerts().get(id).orElseThrow(() -> ApiException.notFound("no alert '" + id + "'"));
    }

    private Object createAlert(ApiRequest request) throws Exception {
        AlertInput in = request.body(AlertInput.class);
        Alert alert = validate(new Alert(null, in.heatpumpId(), in.name(), in.type() == null ? "threshold" : in.type(),
                in.sensor(), in.condition(), text(in.threshold()), in.message(), in.enabled() == null || in.enabled(),
                in.intervalSeconds() == null ? 0 : in.intervalSeconds(), null,
                in.forSeconds() == null ? 0 : in.forSeconds(), in.hysteresis() == null ? 0 : in.hysteresis(),
                in.channels() == null ? List.of() : in.channels(),
                in.notifyResolved() == null || in.notifyResolved()), in.forSeconds(), in.hysteresis());
        Alert saved = services.alerts().save(alert);
        LOG.info("alert created id={} heatpump={} by={}", saved.id(), saved.heatpumpId(), request.actor());
        return Reply.created(ApiServlet.MOUNT + "/alerts/" + saved.id(), AlertView.of(saved));
    }

    private Object updateAlert(ApiRequest request) throws Exception {
        Alert old = alert(request.param("id"));
        AlertInput in = request.body(AlertInput.class);
        Alert alert = validate(new Alert(old.id(), or(in.heatpumpId(), old.heatpumpId()), or(in.name(), old.name()),
                or(in.type(), old.type()), or(in.sensor(), old.sensor()), or(in.condition(), old.condition()),
                in.threshold() == null ? old.threshold() : text(in.threshold()), or(in.message(), old.message()),
                in.enabled() == null ? old.enabled() : in.enabled(),
                in.intervalSeconds() == null ? old.intervalSeconds() : in.intervalSeconds(), old.lastTriggered(),
                in.forSeconds() == null ? old.forSeconds() : in.forSeconds(),
                in.hysteresis() == null ? old.hysteresis() : in.hysteresis(),
                in.channels() == null ? old.channels() : in.channels(),
                in.notifyResolved() == null ? old.notifyResolved() : in.notifyResolved()),
                in.forSeconds(), in.hysteresis());
        LOG.info("alert updated id={} by={}", old.id(), request.actor());
        return AlertView.of(services.alerts().save(alert));
    }

    private Object deleteAlert(ApiRequest request) {
        String id = request.param("id");
        if (!services.alerts().delete(id)) {
            throw ApiException.notFound("no alert '" + id + "'");
        }
        LOG.info("alert deleted id={} by={}", id, request.actor());
        return Reply.noContent();
    }

    /**
     * An alert as the engine will read it. The raw for_seconds and hysteresis are checked as given (the record
     * clamps negatives). heatpump_id may be null (every device) except where a sensor must be checked.
     */
    Alert validate(Alert alert, Integer forSecondsGiven, Double hysteresisGiven) {
        List<String> problems = new ArrayList<>();
        if (alert.name() == null || alert.name().isBlank()) {
            problems.add("name: required");
        }
        String type = alert.type() == null ? "" : alert.type().trim().toLowerCase(Locale.ROOT);
        if (!ALERT_TYPES.contains(type)) {
            problems.add("type: one of " + String.join(", ", ALERT_TYPE_NAMES));
        }
        boolean needsSensor = type.equals("threshold") || type.equals("stale");
        boolean optionalSensor = type.equals("status") && alert.sensor() != null && !alert.sensor().isBlank();
        SensorDefinition sensor = null;
        if (needsSensor || optionalSensor) {
            sensor = sensor(alert.heatpumpId(), alert.sensor(), problems);
        } else if (alert.heatpumpId() != null && services.manager.heatpump(alert.heatpumpId()).isEmpty()) {
            problems.add("heatpump_id: no heat pump '" + alert.heatpumpId() + "'");
        }
        String threshold = alert.threshold() == null ? null : alert.threshold().trim();
        if (type.equals("threshold")) {
            if (alert.condition() == null || !CONDITIONS.contains(alert.condition())) {
                problems.add("condition: one of " + String.join(" ", List.of(">", "<", "=", "!=", ">=", "<=")));
            }
            if (threshold == null || threshold.isBlank()) {
                problems.add("threshold: required for a threshold alert");
            } else if (sensor != null) {
                String check = thresholdProblem(sensor, threshold, alert.condition());
                if (check != null) {
                    problems.add("threshold: " + check);
                }
            }
        }
        if (type.equals("device_state") && threshold != null && !threshold.isBlank()) {
            for (String part : threshold.split(",")) {
                if (!DEVICE_STATES.contains(part.trim().toLowerCase(Locale.ROOT))) {
                    problems.add("threshold: the states to alert on, offline, driver_missing and/or rate_limited"
                            + " (comma separated); empty = offline and driver_missing");
                    break;
                }
            }
        }
        if (type.equals("stale") && (forSecondsGiven == null || forSecondsGiven <= 0) && alert.forSeconds() <= 0) {
            problems.add("for_seconds: a stale alert needs how long without a good value (> 0)");
        }
        if (type.equals("status") && alert.intervalSeconds() <= 0) {
            problems.add("interval_seconds: a status alert needs its period (> 0)");
        }
        if (alert.intervalSeconds() < 0) {
            problems.add("interval_seconds: 0 or more");
        }
        if (forSecondsGiven != null && forSecondsGiven < 0) {
            problems.add("for_seconds: 0 or more");
        }
        if (hysteresisGiven != null && (hysteresisGiven < 0 || !Double.isFinite(hysteresisGiven))) {
            problems.add("hysteresis: 0 or more");
        } else if (hysteresisGiven != null && hysteresisGiven > InputLimits.MAX_SENSOR_VALUE) {
            problems.add("hysteresis: " + InputLimits.numberProblem(hysteresisGiven, InputLimits.MAX_SENSOR_VALUE));
        }
        for (String channel : alert.channels()) {
            if (channel == null || channel.isBlank()) {
                problems.add("channels: channel ids, not empty strings");
                break;
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid("the alert is not valid", problems);
        }
        return new Alert(alert.id(), alert.heatpumpId(), alert.name().trim(), type,
                alert.sensor() == null || alert.sensor().isBlank() ? null : alert.sensor(), alert.condition(),
                threshold, alert.message(), alert.enabled(), alert.intervalSeconds(), alert.lastTriggered(),
                alert.forSeconds(), alert.hysteresis(), alert.channels().stream().map(String::trim).distinct().toList(),
                alert.notifyResolved());
    }

    /** Null when the threshold can be compared with the sensor's values: a number, or an enum key or label. */
    static String thresholdProblem(SensorDefinition sensor, String threshold, String condition) {
        try {
            // NaN, Infinity and 1e308 parse, but no sensor value ever compares sensibly with them
            return InputLimits.numberProblem(Double.parseDouble(threshold), InputLimits.MAX_SENSOR_VALUE);
        } catch (NumberFormatException e) {
            // not a number: an enum label, or text for = / != on a text sensor
        }
        if (sensor.enumValues().values().stream().anyMatch(v -> v.equalsIgnoreCase(threshold))) {
            return null;
        }
        if (!sensor.enumValues().isEmpty()) {
            return "'" + threshold + "' is not a value of '" + sensor.id() + "'; allowed: "
                    + String.join(", ", sensor.enumValues().values());
        }
        if (sensor.dataType() == gateway.core.api.DataType.STRING && ("=".equals(condition) || "!=".equals(condition))) {
            return null;
        }
        return "'" + threshold + "' is not a number";
    }

    // --- dashboards

    private Object listDashboards(ApiRequest request) {
        String heatpumpId = request.query("heatpump_id");
        if (heatpumpId != null && services.manager.heatpump(heatpumpId).isEmpty()) {
            throw ApiException.notFound("no heat pump '" + heatpumpId + "'");
        }
        Locale locale = Languages.of(request);
        return services.dashboards().list(heatpumpId).stream().map(d -> view(d, locale)).toList();
    }

    private Dashboard dashboard(String id) {
        return services.dashboards().get(id).orElseThrow(() -> ApiException.notFound("no dashboard '" + id + "'"));
    }

    /**
     * A stored dashboard as the request's language reads it: the titles of the driver's template (kept in English
     * when the device was added) in that language, titles a user typed as they are.
     */
    private DashboardView view(Dashboard d, Locale locale) {
        JsonNode config;
        try {
            config = MAPPER.readTree(d.config());
        } catch (Exception e) {
            config = MAPPER.createObjectNode();
        }
        if (locale.getLanguage().equals("en")) {
            return new DashboardView(d.id(), d.name(), d.heatpumpId(), config, d.position());
        }
        HeatpumpDriver driver = driverOf(d.heatpumpId());
        MessageCatalog texts = MessageCatalog.BUNDLE;
        return new DashboardView(d.id(), CatalogResource.dashboardName(d.name(), driver, locale), d.heatpumpId(),
                retitled(config, t -> texts.dashboardTitle(t, locale)), d.position());
    }

    /**
     * What a client in another language sends back (it saw the titles in its language) is stored in English again,
     * so the dashboard reads the same in every language: a template title in the language becomes the English one.
     */
    private JsonNode stored(JsonNode config, Locale locale) {
        if (config == null || locale.getLanguage().equals("en")) {
            return config;
        }
        MessageCatalog texts = MessageCatalog.BUNDLE;
        return retitled(config, t -> texts.englishDashboardTitle(t, locale));
    }

    private String storedName(String name, String heatpumpId, Locale locale) {
        if (name == null || locale.getLanguage().equals("en")) {
            return name;
        }
        HeatpumpDriver driver = driverOf(heatpumpId);
        if (driver != null) {
            String local = driver.modelName(locale);
            if (!local.isEmpty() && name.contains(local) && !local.equals(driver.modelName())) {
                return name.replace(local, driver.modelName());
            }
        }
        return MessageCatalog.BUNDLE.englishDashboardTitle(name, locale);
    }

    /** A copy of a dashboard config with each chart's {@code title} mapped; anything else as it is. */
    private static JsonNode retitled(JsonNode config, java.util.function.UnaryOperator<String> title) {
        if (!(config instanceof ObjectNode object) || !(object.get("charts") instanceof ArrayNode charts)) {
            return config;
        }
        ObjectNode copy = object.deepCopy();
        ArrayNode mapped = copy.putArray("charts");
        for (JsonNode chart : charts) {
            if (chart instanceof ObjectNode c && c.get("title") != null && c.get("title").isTextual()) {
                ObjectNode cc = c.deepCopy();
                cc.put("title", title.apply(c.get("title").asText()));
                mapped.add(cc);
            } else {
                mapped.add(chart.deepCopy());
            }
        }
        return copy;
    }

    private HeatpumpDriver driverOf(String heatpumpId) {
        if (heatpumpId == null) {
            return null;
        }
        try {
            return services.manager.heatpump(heatpumpId)
                    .flatMap(h -> services.registry.driver(h.manufacturer(), h.model())).orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null; // a device or driver going away: the stored names stand
        }
    }

    private Object createDashboard(ApiRequest request) throws Exception {
        DashboardInput in = request.body(DashboardInput.class);
        Locale locale = Languages.of(request);
        JsonNode config = stored(in.config(), locale);
        Dashboard d = validate(new Dashboard(null, storedName(in.name(), in.heatpumpId(), locale), in.heatpumpId(),
                config == null ? "{}" : config.toString(), in.position() == null ? 0 : in.position()), config);
        Dashboard saved = services.dashboards().save(d);
        LOG.info("dashboard created id={} heatpump={} by={}", saved.id(), saved.heatpumpId(), request.actor());
        return Reply.created(ApiServlet.MOUNT + "/dashboards/" + saved.id(), view(saved, locale));
    }

    private Object updateDashboard(ApiRequest request) throws Exception {
        Dashboard old = dashboard(request.param("id"));
        DashboardInput in = request.body(DashboardInput.class);
        Locale locale = Languages.of(request);
        String heatpumpId = in.heatpumpId() == null ? old.heatpumpId() : in.heatpumpId();
        JsonNode config = stored(in.config(), locale);
        Dashboard d = validate(new Dashboard(old.id(), or(storedName(in.name(), heatpumpId, locale), old.name()),
                heatpumpId, config == null ? old.config() : config.toString(),
                in.position() == null ? old.position() : in.position()), config);
        LOG.info("dashboard updated id={} by={}", old.id(), request.actor());
        return view(services.dashboards().save(d), locale);
    }

    private Object deleteDashboard(ApiRequest request) {
        String id = request.param("id");
        if (!services.dashboards().delete(id)) {
            throw ApiException.notFound("no dashboard '" + id + "'");
        }
        LOG.info("dashboard deleted id={} by={}", id, request.actor());
        return Reply.noContent();
    }

    private Dashboard validate(Dashboard d, JsonNode config) {
        List<String> problems = new ArrayList<>();
        if (d.name() == null || d.name().isBlank()) {
            problems.add("name: required");
        } else if (d.name().length() > 200) {
            problems.add("name: at most 200 characters");
        }
        if (config != null && !config.isObject()) {
            problems.add("config: a JSON object");
        }
        if (d.heatpumpId() != null && services.manager.heatpump(d.heatpumpId()).isEmpty()) {
            problems.add("heatpump_id: no heat pump '" + d.heatpumpId() + "'");
        }
        if (d.position() < 0) {
            problems.add("position: 0 or more");
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid("the dashboard is not valid", problems);
        }
        return d;
    }

    // --- helpers

    private static String or(String given, String old) {
        return given == null ? old : given;
    }

    /** A JSON scalar as the text the store keeps: numbers and labels as written, booleans as 1/0. */
    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? "1" : "0";
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        throw ApiException.badRequest("value must be a number, text or true/false", List.of("value: a scalar"));
    }
}
