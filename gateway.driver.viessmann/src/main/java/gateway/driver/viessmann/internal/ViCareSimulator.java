package gateway.driver.viessmann.internal;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import gateway.core.api.HeatpumpSimulator;

/**
 * A fake ViCare API on loopback: the IAM token endpoint ({@code /idp/v3/token}, refresh-token grant), the
 * installations list, a device's features in the real response format (E3 names, as a Vitocal 250-A answers), single
 * features, commands validated against the constraints they announce, the API's quota with real 429 bodies, and the
 * error bodies of the fact sheet §6 as faults. Values move with a simple model: the compressor runs when the hot water
 * is below target − hysteresis, and energy counters grow while it runs.
 */
final class ViCareSimulator implements HeatpumpSimulator.Running {

    static final String CLIENT_ID = "sim-client-id";
    static final String REFRESH_TOKEN = "sim-refresh-token";
    static final String INSTALLATION_ID = "2096352";
    static final String GATEWAY_SERIAL = "7736172146035226";
    static final String DEVICE_ID = "0";

    /** Faults: named after the API's own error bodies. */
    static final Set<String> FAULTS = Set.of("device_offline", "gateway_offline", "server_error", "bad_gateway_html",
            "expire_tokens", "revoke_refresh_token");

    private final MiniHttpServer server;
    private final Clock clock;
    private final Map<String, Object> state = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();
    private final Set<String> faults = ConcurrentHashMap.newKeySet();
    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
    private final AtomicLong apiCalls = new AtomicLong();
    private final AtomicLong tokenCalls = new AtomicLong();
    private final AtomicInteger tokenSerial = new AtomicInteger();
    /** Codes issued by the authorize page: code → "challenge redirectUri". */
    private final Map<String, String> pendingCodes = new ConcurrentHashMap<>();
    private final Deque<Instant> quotaWindow = new ArrayDeque<>();
    private volatile int dailyLimit = ViCareQuota.DAILY_LIMIT;
    private volatile int tenMinuteLimit = ViCareQuota.TEN_MINUTE_LIMIT;
    private volatile int latencyMillis;
    private volatile Instant lastModel;

    private ViCareSimulator(int port, Clock clock) throws IOException {
        this.clock = clock;
        this.lastModel = clock.instant();
        initialState();
        this.server = new MiniHttpServer(port, this::handle, "vicare-sim");
    }

    static ViCareSimulator start(int port, Clock clock) throws IOException {
        return new ViCareSimulator(port, clock);
    }

    private void initialState() {
        state.put("outdoor_temperature", 7.5);
        state.put("supply_temperature", 32.9);
        state.put("return_temperature", 28.1);
        state.put("source_supply_temperature", 6.2);
        state.put("dhw_temperature", 48.0);
        state.put("dhw_target_temperature", 50.0);
        state.put("dhw_mode", "efficient");
        state.put("dhw_one_time_charge", false);
        state.put("compressor_active", true);
        state.put("compressor_phase", "ready");
        state.put("compressor_speed", 42.0);
        state.put("compressor_hours", 1234.5);
        state.put("compressor_starts", 2651.0);
        state.put("electrical_power", 1150.0);
        state.put("heat_output", 4300.0);
        state.put("electrical_energy_heating_day", 5.2);
        state.put("electrical_energy_heating_month", 84.7);
        state.put("electrical_energy_dhw_day", 1.1);
        state.put("electrical_energy_dhw_month", 21.3);
        state.put("heat_energy_heating_day", 19.6);
        state.put("heat_energy_heating_month", 311.0);
        state.put("heat_energy_dhw_day", 3.4);
        state.put("heat_energy_dhw_month", 64.9);
        state.put("spf_total", 3.9);
        state.put("pressure_supply", 1.7);
        state.put("volumetric_flow", 1180.0);
        state.put("circuit0_supply_temperature", 32.9);
        state.put("circuit0_operating_mode", "heating");
        state.put("circuit0_active_program", "normalHeating");
        state.put("circuit0_room_setpoint_normal", 21.0);
        state.put("circuit0_room_setpoint_reduced", 18.0);
        state.put("circuit0_room_setpoint_comfort", 22.0);
    }

    /** Quota the fake API enforces (tests lower it to see 429s quickly). */
    void limits(int daily, int tenMinutes) {
        this.dailyLimit = daily;
        this.tenMinuteLimit = tenMinutes;
    }

    /** What a device needs to reach this simulator. */
    @Override
    public Map<String, String> connectionOptions() {
        String base = "http://127.0.0.1:" + port();
        Map<String, String> o = new LinkedHashMap<>();
        o.put(ViCareConnection.CLIENT_ID, CLIENT_ID);
        o.put(ViCareConnection.REFRESH_TOKEN, REFRESH_TOKEN);
        o.put(ViCareConnection.INSTALLATION_ID, INSTALLATION_ID);
        o.put(ViCareConnection.GATEWAY_SERIAL, GATEWAY_SERIAL);
        o.put(ViCareConnection.DEVICE_ID, DEVICE_ID);
        o.put(ViCareConnection.API_BASE_URL, base + "/iot/v2");
        o.put(ViCareConnection.TOKEN_URL, base + "/idp/v3/token");
        return o;
    }

    // ---------------------------------------------------------------- HTTP

    private MiniHttpServer.Response handle(MiniHttpServer.Request r) {
        if (latencyMillis > 0) {
            try {
                Thread.sleep(latencyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (r.path().equals("/idp/v3/token")) {
            return token(r);
        }
        if (r.path().equals("/idp/v3/authorize") && r.method().equals("GET")) {
            return authorize(r);
        }
        if (!r.path().startsWith("/iot/v2/")) {
            return json(404, error(404, "NOT_FOUND", "Not found", null));
        }
        String auth = r.header("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
        if (faults.contains("expire_tokens") || !accessTokens.contains(token)) {
            return json(401, ViCareClient.JSON.createObjectNode().put("error", "EXPIRED TOKEN"));
        }
        apiCalls.incrementAndGet();
        MiniHttpServer.Response limited = quota();
        if (limited != null) {
            return limited;
        }
        if (faults.contains("server_error")) {
            return json(500, error(500, "INTERNAL_ERROR", "Internal server error", null));
        }
        if (faults.contains("bad_gateway_html")) {
            return new MiniHttpServer.Response(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");
        }
        String path = r.path().substring("/iot/v2".length());
        if (path.equals("/equipment/installations") && r.method().equals("GET")) {
            return json(200, installations());
        }
        String devicePrefix = "/features/installations/" + INSTALLATION_ID + "/gateways/" + GATEWAY_SERIAL
                + "/devices/" + DEVICE_ID + "/features";
        if (!path.startsWith(devicePrefix)) {
            return json(404, error(404, "NOT_FOUND", "Unknown installation, gateway or device", null));
        }
        for (String offline : new String[] {"gateway_offline", "device_offline"}) {
            if (faults.contains(offline)) {
                ObjectNode ext = ViCareClient.JSON.createObjectNode().put("httpStatusCode", "NotFound")
                        .put("code", "404").put("reason", offline.toUpperCase());
                return json(400, error(400, "DEVICE_COMMUNICATION_ERROR", "Device communication error", ext));
            }
        }
        step();
        String rest = decode(path.substring(devicePrefix.length()));
        if (r.method().equals("GET") && (rest.isEmpty() || rest.equals("/"))) {
            ObjectNode out = ViCareClient.JSON.createObjectNode();
            ArrayNode data = out.putArray("data");
            features().values().forEach(data::add);
            return json(200, out);
        }
        int cmd = rest.indexOf("/commands/");
        if (r.method().equals("POST") && cmd > 0) {
            return command(rest.substring(1, cmd), rest.substring(cmd + "/commands/".length()), r.body());
        }
        if (r.method().equals("GET")) {
            ObjectNode f = features().get(rest.substring(1));
            if (f == null) {
                return json(404, error(404, "FEATURE_NOT_FOUND", "Feature not found", null));
            }
            ObjectNode out = ViCareClient.JSON.createObjectNode();
            out.set("data", f);
            return json(200, out);
        }
        return json(404, error(404, "NOT_FOUND", "Not found", null));
    }

    /**
     * The IAM sign-in page as if the user signed in and consented at once: a 302 to the redirect URI with code and
     * state, as the real IAM answers after its login form, so a real browser runs the whole sign-in. Only S256
     * challenges are accepted; a bad request is answered as an error page, not a redirect (RFC 6749 §4.1.2.1 for an
     * unknown client or redirect URI).
     */
    private MiniHttpServer.Response authorize(MiniHttpServer.Request r) {
        Map<String, String> q = form(r.query());
        if (!CLIENT_ID.equals(q.get("client_id")) || !"code".equals(q.get("response_type"))
                || !"S256".equals(q.get("code_challenge_method")) || q.getOrDefault("code_challenge", "").isEmpty()
                || q.getOrDefault("redirect_uri", "").isEmpty()) {
            return json(400, ViCareClient.JSON.createObjectNode().put("error", "invalid_request"));
        }
        String code = "sim-code-" + tokenSerial.incrementAndGet();
        pendingCodes.put(code, q.get("code_challenge") + " " + q.get("redirect_uri"));
        String redirect = q.get("redirect_uri") + (q.get("redirect_uri").contains("?") ? "&" : "?") + "code="
                + code + "&state=" + java.net.URLEncoder.encode(q.getOrDefault("state", ""), StandardCharsets.UTF_8);
        return new MiniHttpServer.Response(302, "text/plain", redirect, Map.of("Location", redirect,
                "Cache-Control", "no-store"));
    }

    /** Authorization-code grant: the code once, the redirect URI it was issued for, the verifier to its challenge. */
    private MiniHttpServer.Response codeGrant(Map<String, String> form) {
        String issued = pendingCodes.remove(form.getOrDefault("code", ""));
        String verifier = form.getOrDefault("code_verifier", "");
        if (issued == null || !CLIENT_ID.equals(form.get("client_id"))
                || !issued.equals(s256(verifier) + " " + form.get("redirect_uri"))) {
            return json(400, ViCareClient.JSON.createObjectNode().put("error", "invalid_grant")
                    .put("error_description", "Invalid authorization code or code verifier"));
        }
        String access = "sim-access-" + tokenSerial.incrementAndGet();
        accessTokens.add(access);
        return json(200, ViCareClient.JSON.createObjectNode().put("access_token", access)
                .put("refresh_token", REFRESH_TOKEN).put("token_type", "Bearer").put("expires_in", 3600));
    }

    static String s256(String verifier) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String text) {
        Map<String, String> form = new HashMap<>();
        for (String pair : text == null ? new String[0] : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return form;
    }

    private MiniHttpServer.Response token(MiniHttpServer.Request r) {
        tokenCalls.incrementAndGet();
        Map<String, String> form = form(r.body());
        if ("authorization_code".equals(form.get("grant_type"))) {
            return codeGrant(form);
        }
        if (!"refresh_token".equals(form.get("grant_type")) || !CLIENT_ID.equals(form.get("client_id"))
                || !REFRESH_TOKEN.equals(form.get("refresh_token")) || faults.contains("revoke_refresh_token")) {
            return json(400, ViCareClient.JSON.createObjectNode().put("error", "invalid_grant")
                    .put("error_description", "Invalid refresh token"));
        }
        String access = "sim-access-" + tokenSerial.incrementAndGet();
        accessTokens.add(access);
        faults.remove("expire_tokens");
        return json(200, ViCareClient.JSON.createObjectNode().put("access_token", access)
                .put("token_type", "Bearer").put("expires_in", 3600));
    }

    /** Sliding windows as Viessmann describes them; the reset time is the next midnight UTC like real 429s. */
    private synchronized MiniHttpServer.Response quota() {
        Instant now = clock.instant();
        while (!quotaWindow.isEmpty() && !quotaWindow.peekFirst().isAfter(now.minus(Duration.ofHours(24)))) {
            quotaWindow.removeFirst();
        }
        long tenMinutes = quotaWindow.stream().filter(t -> t.isAfter(now.minus(Duration.ofMinutes(10)))).count();
        quotaWindow.addLast(now); // refused calls count too (HA#129893)
        String name = null;
        int limit = 0;
        Instant reset = null;
        if (quotaWindow.size() > dailyLimit) {
            name = "ViCare day limit";
            limit = dailyLimit;
            reset = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        } else if (tenMinutes >= tenMinuteLimit) {
            name = "ViCare ten minutes limit";
            limit = tenMinuteLimit;
            reset = now.plus(Duration.ofMinutes(10));
        }
        if (name == null) {
            return null;
        }
        ObjectNode ext = ViCareClient.JSON.createObjectNode().put("clientId", CLIENT_ID)
                .put("limitReset", reset.toEpochMilli()).put("name", name).put("requestCountLimit", limit)
                .put("userId", "sim-user");
        return json(429, error(429, "RATE_LIMIT_EXCEEDED",
                "API calls rate limit has been exceeded. Please wait until your limit will renew.", ext));
    }

    private static ObjectNode error(int status, String type, String message, ObjectNode extended) {
        ObjectNode e = ViCareClient.JSON.createObjectNode().put("viErrorId", "sim-" + System.nanoTime())
                .put("statusCode", status).put("errorType", type).put("message", message);
        if (extended != null) {
            e.set("extendedPayload", extended);
        }
        return e;
    }

    private static MiniHttpServer.Response json(int status, JsonNode body) {
        return new MiniHttpServer.Response(status, "application/json", body.toString());
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- model

    private synchronized void step() {
        Instant now = clock.instant();
        double hours = Math.max(0, Duration.between(lastModel, now).toMillis() / 3_600_000.0);
        lastModel = now;
        boolean running = (Boolean) state.get("compressor_active");
        double dhw = num("dhw_temperature");
        double target = num("dhw_target_temperature");
        if (running && dhw >= target) {
            running = false;
        } else if (!running && dhw < target - 5) {
            running = true;
        }
        state.put("compressor_active", running);
        state.put("compressor_phase", running ? "ready" : "off");
        state.put("compressor_speed", running ? 42.0 : 0.0);
        state.put("electrical_power", running ? 1150.0 : 0.0);
        state.put("heat_output", running ? 4300.0 : 0.0);
        state.put("dhw_temperature", round1(dhw + (running ? 2.0 : -0.5) * hours));
        if (running) {
            add("electrical_energy_heating_day", 1.15 * hours);
            add("electrical_energy_heating_month", 1.15 * hours);
            add("heat_energy_heating_day", 4.3 * hours);
            add("heat_energy_heating_month", 4.3 * hours);
            add("compressor_hours", hours);
        }
    }

    private void add(String key, double by) {
        state.put(key, round1(num(key) + by));
    }

    private double num(String key) {
        Object v = state.get(key);
        return v instanceof Number n ? n.doubleValue() : 0;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** The device's features as the API lists them (E3 / One Base names). */
    Map<String, ObjectNode> features() {
        Map<String, ObjectNode> f = new LinkedHashMap<>();
        sensor(f, "heating.sensors.temperature.outside", "outdoor_temperature", "celsius");
        sensor(f, "heating.secondaryCircuit.sensors.temperature.supply", "supply_temperature", "celsius");
        sensor(f, "heating.sensors.temperature.return", "return_temperature", "celsius");
        sensor(f, "heating.primaryCircuit.sensors.temperature.supply", "source_supply_temperature", "celsius");
        feature(f, "heating.primaryCircuit.sensors.temperature.return")
                .putObject("properties").set("status", prop("string", "notConnected", null));
        sensor(f, "heating.dhw.sensors.temperature.dhwCylinder", "dhw_temperature", "celsius");
        ObjectNode main = feature(f, "heating.dhw.temperature.main");
        main.putObject("properties").set("value", prop("number", state.get("dhw_target_temperature"), "celsius"));
        ObjectNode c = command(main, "setTargetTemperature", "temperature", "number", true);
        c.put("min", 10).put("max", 60).put("stepping", 1).put("efficientLowerBorder", 0)
                .put("efficientUpperBorder", 55);
        ObjectNode dhwMode = feature(f, "heating.dhw.operating.modes.active");
        dhwMode.putObject("properties").set("value", prop("string", state.get("dhw_mode"), null));
        command(dhwMode, "setMode", "mode", "string", true).putArray("enum")
                .add("efficientWithMinComfort").add("efficient").add("off");
        ObjectNode charge = feature(f, "heating.dhw.oneTimeCharge");
        charge.putObject("properties").set("active", prop("boolean", state.get("dhw_one_time_charge"), null));
        command(charge, "activate", null, null, true);
        command(charge, "deactivate", null, null, true);
        ObjectNode compressor = feature(f, "heating.compressors.0");
        ObjectNode cp = compressor.putObject("properties");
        cp.set("active", prop("boolean", state.get("compressor_active"), null));
        cp.set("phase", prop("string", state.get("compressor_phase"), null));
        command(compressor, "setActive", "active", "boolean", false); // 250-A: isExecutable false
        value(f, "heating.compressors.0.speed.current", "compressor_speed", "revolutionsPerSecond");
        ObjectNode stats = feature(f, "heating.compressors.0.statistics");
        ObjectNode sp = stats.putObject("properties");
        sp.set("hours", prop("number", state.get("compressor_hours"), "hour"));
        sp.set("starts", prop("number", state.get("compressor_starts"), ""));
        value(f, "heating.inverters.0.sensors.power.current", "electrical_power", "watt");
        value(f, "heating.compressors.0.heat.production.current", "heat_output", "watt");
        for (String use : List.of("heating", "dhw")) {
            summary(f, "heating.power.consumption.summary." + use, "electrical_energy_" + use);
            summary(f, "heating.heat.production.summary." + use, "heat_energy_" + use);
        }
        value(f, "heating.spf.total", "spf_total", "");
        sensor(f, "heating.sensors.pressure.supply", "pressure_supply", "bar");
        sensor(f, "heating.sensors.volumetricFlow.allengra", "volumetric_flow", "liter/hour");
        feature(f, "device.messages.errors.raw").putObject("properties").set("entries",
                ViCareClient.JSON.createObjectNode().put("type", "array").set("value",
                        ViCareClient.JSON.createArrayNode()));
        sensor(f, "heating.circuits.0.sensors.temperature.supply", "circuit0_supply_temperature", "celsius");
        feature(f, "heating.circuits.0.sensors.temperature.room"); // no room sensor: empty properties
        ObjectNode mode = feature(f, "heating.circuits.0.operating.modes.active");
        mode.putObject("properties").set("value", prop("string", state.get("circuit0_operating_mode"), null));
        command(mode, "setMode", "mode", "string", true).putArray("enum").add("heating").add("standby");
        ObjectNode program = feature(f, "heating.circuits.0.operating.programs.active");
        program.putObject("properties").set("value", prop("string", state.get("circuit0_active_program"), null));
        for (String p : List.of("normal", "reduced", "comfort")) {
            ObjectNode pf = feature(f, "heating.circuits.0.operating.programs." + p + "Heating");
            ObjectNode pp = pf.putObject("properties");
            pp.set("active", prop("boolean", p.equals("normal"), null));
            pp.set("demand", prop("string", "heating", null));
            pp.set("temperature", prop("number", state.get("circuit0_room_setpoint_" + p), "celsius"));
            command(pf, "setTemperature", "targetTemperature", "number", true).put("min", 3).put("max", 37)
                    .put("stepping", 1);
        }
        return f;
    }

    private ObjectNode feature(Map<String, ObjectNode> f, String name) {
        ObjectNode n = ViCareClient.JSON.createObjectNode();
        n.put("apiVersion", 1);
        n.putObject("commands");
        n.put("deviceId", DEVICE_ID);
        n.put("feature", name);
        n.put("gatewayId", GATEWAY_SERIAL);
        n.put("isEnabled", true);
        n.put("isReady", true);
        n.putObject("properties");
        n.put("timestamp", clock.instant().toString());
        n.put("uri", "http://127.0.0.1:" + port() + "/iot/v2" + "/features/installations/" + INSTALLATION_ID
                + "/gateways/" + GATEWAY_SERIAL + "/devices/" + DEVICE_ID + "/features/" + name);
        f.put(name, n);
        return n;
    }

    private void sensor(Map<String, ObjectNode> f, String name, String key, String unit) {
        ObjectNode props = feature(f, name).putObject("properties");
        props.set("status", prop("string", "connected", null));
        props.set("value", prop("number", state.get(key), unit));
    }

    private void value(Map<String, ObjectNode> f, String name, String key, String unit) {
        feature(f, name).putObject("properties").set("value", prop("number", state.get(key), unit));
    }

    private void summary(Map<String, ObjectNode> f, String name, String prefix) {
        ObjectNode props = feature(f, name).putObject("properties");
        props.set("currentDay", prop("number", state.get(prefix + "_day"), "kilowattHour"));
        props.set("currentMonth", prop("number", state.get(prefix + "_month"), "kilowattHour"));
        props.set("currentYear", prop("number", round1(num(prefix + "_month") * 7.3), "kilowattHour"));
        props.set("lastMonth", prop("number", 102.4, "kilowattHour"));
        props.set("lastSevenDays", prop("number", 37.9, "kilowattHour"));
        props.set("lastYear", prop("number", 2310.5, "kilowattHour"));
    }

    private static ObjectNode prop(String type, Object value, String unit) {
        ObjectNode p = ViCareClient.JSON.createObjectNode().put("type", type);
        if (value instanceof Boolean b) {
            p.put("value", b);
        } else if (value instanceof Number n) {
            p.put("value", n.doubleValue());
        } else {
            p.put("value", String.valueOf(value));
        }
        if (unit != null) {
            p.put("unit", unit);
        }
        return p;
    }

    /** Adds a command; returns its parameter's constraints object (or an unused one for no parameter). */
    private ObjectNode command(ObjectNode feature, String name, String param, String type, boolean executable) {
        ObjectNode c = ((ObjectNode) feature.get("commands")).putObject(name);
        c.put("isExecutable", executable);
        c.put("name", name);
        ObjectNode params = c.putObject("params");
        c.put("uri", feature.get("uri").asText() + "/commands/" + name);
        if (param == null) {
            return ViCareClient.JSON.createObjectNode();
        }
        ObjectNode p = params.putObject(param);
        p.put("required", true);
        p.put("type", type);
        return p.putObject("constraints");
    }

    private MiniHttpServer.Response command(String featureName, String commandName, String body) {
        ObjectNode feature = features().get(featureName);
        JsonNode command = feature == null ? null : feature.path("commands").get(commandName);
        if (command == null) {
            return json(404, error(404, "COMMAND_NOT_FOUND", "Command not found", null));
        }
        if (!command.path("isExecutable").asBoolean()) {
            return json(400, error(400, "COMMAND_NOT_EXECUTABLE", "Command is not executable", null));
        }
        JsonNode params = ViCareClient.parse(body);
        String key = sensorFor(featureName, commandName);
        Object newValue = null;
        for (var it = command.path("params").fields(); it.hasNext(); ) {
            var p = it.next();
            JsonNode v = params == null ? null : params.get(p.getKey());
            JsonNode cons = p.getValue().path("constraints");
            if (v == null) {
                return json(400, validation("missing parameter " + p.getKey()));
            }
            if (cons.has("enum")) {
                boolean ok = false;
                for (JsonNode e : cons.get("enum")) {
                    ok |= e.asText().equals(v.asText());
                }
                if (!ok) {
                    return json(400, validation(p.getKey() + " must be one of " + cons.get("enum")));
                }
                newValue = v.asText();
            } else {
                double d = v.asDouble();
                if (!v.isNumber() || d < cons.path("min").asDouble(-1e9) || d > cons.path("max").asDouble(1e9)) {
                    return json(400, validation(p.getKey() + " out of range"));
                }
                newValue = d;
            }
        }
        if (commandName.equals("activate") || commandName.equals("deactivate")) {
            newValue = commandName.equals("activate");
        }
        if (key != null && newValue != null) {
            state.put(key, newValue);
            writes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }
        return json(200, ViCareClient.JSON.createObjectNode().set("data", ViCareClient.JSON.createObjectNode()
                .put("success", true).put("reason", "COMMAND_EXECUTION_SUCCESS")));
    }

    private static ObjectNode validation(String message) {
        return error(400, "VALIDATION_ERROR", "Validation Error", ViCareClient.JSON.createObjectNode()
                .put("reason", message));
    }

    private static String sensorFor(String feature, String command) {
        return switch (feature) {
            case "heating.dhw.temperature.main" -> "dhw_target_temperature";
            case "heating.dhw.operating.modes.active" -> "dhw_mode";
            case "heating.dhw.oneTimeCharge" -> "dhw_one_time_charge";
            case "heating.circuits.0.operating.modes.active" -> "circuit0_operating_mode";
            case "heating.circuits.0.operating.programs.normalHeating" -> "circuit0_room_setpoint_normal";
            case "heating.circuits.0.operating.programs.reducedHeating" -> "circuit0_room_setpoint_reduced";
            case "heating.circuits.0.operating.programs.comfortHeating" -> "circuit0_room_setpoint_comfort";
            default -> null;
        };
    }

    private ObjectNode installations() {
        ObjectNode out = ViCareClient.JSON.createObjectNode();
        ObjectNode inst = out.putArray("data").addObject();
        inst.put("id", Long.parseLong(INSTALLATION_ID));
        inst.put("description", "Simulated home");
        ObjectNode gw = inst.putArray("gateways").addObject();
        gw.put("serial", GATEWAY_SERIAL);
        gw.put("gatewayType", "VitoconnectOpto2");
        ObjectNode dev = gw.putArray("devices").addObject();
        dev.put("id", DEVICE_ID);
        dev.put("modelId", "E3_Vitocal_16");
        dev.put("status", "Online");
        dev.putArray("roles").add("type:heatpump").add("type:E3");
        return out;
    }

    // ---------------------------------------------------------------- Running

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public void latencyMillis(int millis) {
        this.latencyMillis = Math.max(0, millis);
    }

    @Override
    public void disconnectClients() {
        server.disconnectClients();
    }

    @Override
    public Double value(String sensorId) {
        Object v = state.get(sensorId);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (v instanceof String s) {
            return ViCareFeatures.point(gateway.core.api.DeviceConfig.empty(), sensorId)
                    .map(p -> (double) p.code(s)).orElse(null);
        }
        return null;
    }

    @Override
    public int writeCount(String sensorId) {
        AtomicInteger n = writes.get(sensorId);
        return n == null ? 0 : n.get();
    }

    /** API calls (not token calls) since start, refused ones included. */
    @Override
    public long requestCount() {
        return apiCalls.get();
    }

    long tokenRequests() {
        return tokenCalls.get();
    }

    @Override
    public Set<String> availableFaults() {
        return FAULTS;
    }

    @Override
    public boolean injectFault(String fault) {
        if (!FAULTS.contains(fault)) {
            return false;
        }
        faults.add(fault);
        if (fault.equals("expire_tokens")) {
            accessTokens.clear();
        }
        return true;
    }

    @Override
    public void clearFault(String fault) {
        faults.remove(fault);
    }

    @Override
    public void close() {
        server.close();
    }
}
