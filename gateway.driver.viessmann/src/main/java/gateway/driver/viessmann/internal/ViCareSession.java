package gateway.driver.viessmann.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceSession;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.ReadResult;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.driver.viessmann.internal.ViCareFeatures.Point;
import gateway.driver.viessmann.internal.ViCareFeatures.WriteKind;

/**
 * One ViCare device. A poll is one API call (the device's whole feature list); a write is one command and one GET of
 * the written feature for the read-back. The value read just before a write comes from the last poll while it is
 * younger than {@link #CACHE_AGE} (PyViCare caches 60 s too), so a write costs two calls, not three.
 */
final class ViCareSession implements DeviceSession {

    private static final Logger LOG = LoggerFactory.getLogger(ViCareSession.class);
    static final Duration CACHE_AGE = Duration.ofSeconds(60);

    private final ViCareClient client;
    private final Map<String, Point> points;
    private final Clock clock;
    /** Features of the last full read, by name. */
    private Map<String, JsonNode> features = Map.of();
    private Instant featuresAt;
    /** Features written since the last read, to be fetched fresh. */
    private final Map<String, Boolean> written = new HashMap<>();
    private boolean healthy;
    private boolean closed;

    ViCareSession(ViCareClient client, DeviceConfig config, Clock clock) {
        this.client = client;
        this.points = ViCareFeatures.byId(config);
        this.clock = clock;
    }

    @Override
    public ReadResult read(List<SensorDefinition> sensors) throws DeviceException {
        Instant now = clock.instant();
        int requests = 0;
        Point single = sensors.size() == 1 ? points.get(sensors.get(0).id()) : null;
        if (single != null && featuresAt != null) {
            String feature = present(single);
            if (feature != null && written.remove(feature) != null) {
                features = new HashMap<>(features);
                JsonNode one = guarded(() -> client.feature(feature));
                // the single-feature GET wraps the feature in "data" like the list does (unconfirmed: accept both)
                features.put(feature, one.path("data").isObject() ? one.path("data") : one);
                requests = 1;
            } else if (Duration.between(featuresAt, now).compareTo(CACHE_AGE) > 0) {
                // one sensor alone is the manager's read before a write: part of the write, so not paced
                accept(guarded(() -> client.features(single.sensor().writable())));
                requests = 1;
            }
        } else {
            readAll();
            requests = 1;
        }
        Instant at = featuresAt;
        Map<String, SensorReading> readings = new LinkedHashMap<>();
        for (SensorDefinition s : sensors) {
            if (!s.readable()) {
                continue;
            }
            Point p = points.get(s.id());
            readings.put(s.id(), p == null ? SensorReading.error(s.id(), "unknown ViCare sensor", at) : decode(p, at));
        }
        return new ReadResult(readings, requests, client.takeBytes());
    }

    private void readAll() throws DeviceException {
        accept(guarded(client::features));
    }

    /** Takes a feature list ({@code {"data": [feature…]}}) as the device's current state. */
    void accept(JsonNode body) throws DeviceProtocolException {
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode f : body.path("data")) {
            byName.put(f.path("feature").asText(), f);
        }
        if (byName.isEmpty()) {
            throw new DeviceProtocolException("ViCare API answered without a feature list (no data[])", 0);
        }
        features = byName;
        featuresAt = clock.instant();
        written.clear();
    }

    /** Runs a call; a quota refusal after a failure repeats that failure, so an offline device stays "offline". */
    private JsonNode guarded(Call call) throws DeviceException {
        try {
            JsonNode n = call.run();
            client.lastFailure(null);
            healthy = true;
            return n;
        } catch (ViCareClient.QuotaDenied e) {
            if (client.lastFailure() instanceof DeviceUnreachableException u) {
                throw new DeviceUnreachableException(u.getMessage() + " (not retried before " + e.retryAt()
                        + ": API quota)");
            }
            throw e;
        } catch (DeviceException e) {
            healthy = !(e instanceof DeviceUnreachableException);
            if (!(e instanceof gateway.core.api.DeviceRateLimitedException)) {
                client.lastFailure(e);
            }
            throw e;
        }
    }

    /** The first candidate feature the device has with properties (absent ones come back empty or disabled). */
    private String present(Point p) {
        for (String name : p.features()) {
            JsonNode f = features.get(name);
            if (f != null && f.path("isEnabled").asBoolean(true) && f.path("properties").size() > 0) {
                return name;
            }
        }
        return null;
    }

    SensorReading decode(Point p, Instant at) {
        String id = p.sensor().id();
        String name = present(p);
        if (name == null) {
            return SensorReading.invalid(id, "not offered by this device (" + p.features().get(0) + ")", at);
        }
        JsonNode props = features.get(name).path("properties");
        if ("notConnected".equals(props.path("status").path("value").asText())) {
            return SensorReading.invalid(id, "sensor not connected (" + name + ")", at);
        }
        JsonNode value = props.path(p.property()).path("value");
        if (value.isMissingNode() || value.isNull()) {
            return SensorReading.invalid(id, "no value for " + p.property() + " in " + name, at);
        }
        if ("entries".equals(p.property()) && value.isArray()) {
            StringBuilder codes = new StringBuilder();
            value.forEach(e -> codes.append(codes.length() == 0 ? "" : ", ").append(e.path("errorCode").asText()));
            return SensorReading.good(id, value.size(), codes.toString(), at);
        }
        if (value.isBoolean()) {
            boolean on = value.asBoolean();
            return SensorReading.good(id, on ? 1 : 0, p.sensor().enumValues().get(on ? 1 : 0), at);
        }
        if (value.isNumber()) {
            return SensorReading.good(id, value.asDouble(), null, at);
        }
        if (!p.labels().isEmpty()) {
            int code = p.code(value.asText());
            if (code < 0) {
                return new SensorReading(id, null, value.asText(), gateway.core.api.Quality.INVALID, at,
                        "unknown value '" + value.asText() + "'");
            }
            return SensorReading.good(id, code, value.asText(), at);
        }
        return SensorReading.text(id, value.asText(), at);
    }

    @Override
    public void write(SensorDefinition sensor, double value) throws DeviceException {
        Point p = points.get(sensor.id());
        if (p == null || p.write() == WriteKind.NONE) {
            throw new ViCareWriteRefusedException(sensor.id() + " is not writable through ViCare");
        }
        if (featuresAt == null) {
            readAll();
        }
        String feature = present(p);
        if (feature == null) {
            throw new ViCareWriteRefusedException(sensor.id() + ": this device does not offer " + p.features().get(0));
        }
        String commandName = p.write() == WriteKind.SWITCH ? (value >= 0.5 ? "activate" : "deactivate") : p.command();
        JsonNode command = features.get(feature).path("commands").path(commandName);
        if (command.isMissingNode()) {
            throw new ViCareWriteRefusedException(sensor.id() + ": " + feature + " has no command " + commandName);
        }
        if (!command.path("isExecutable").asBoolean(false)) {
            throw new ViCareWriteRefusedException(sensor.id() + ": the device does not accept " + commandName
                    + " on " + feature + " now (isExecutable false)");
        }
        ObjectNode params = ViCareClient.JSON.createObjectNode();
        if (p.write() == WriteKind.NUMBER) {
            JsonNode c = command.path("params").path(p.param()).path("constraints");
            checkNumber(sensor, value, c);
            BigDecimal exact = BigDecimal.valueOf(value).stripTrailingZeros();
            params.put(p.param(), exact.scale() <= 0 ? exact.toBigInteger().intValue() : exact.doubleValue());
        } else if (p.write() == WriteKind.ENUM) {
            int code = (int) Math.round(value);
            if (code < 0 || code >= p.labels().size()) {
                throw new ViCareWriteRefusedException(sensor.id() + ": " + value + " is no known mode");
            }
            String label = p.labels().get(code);
            JsonNode allowed = command.path("params").path(p.param()).path("constraints").path("enum");
            boolean offered = false;
            for (JsonNode a : allowed) {
                offered |= a.asText().equals(label);
            }
            if (!offered) {
                throw new ViCareWriteRefusedException(sensor.id() + ": this device offers " + allowed
                        + ", not '" + label + "'");
            }
            params.put(p.param(), label);
        }
        guarded(() -> client.command(feature, commandName, params));
        written.put(feature, Boolean.TRUE);
        LOG.info("vicare {}: {} {} {}", client.devicePath(), feature, commandName, params);
    }

    /** The constraints the API returned with the feature (min, max, stepping), checked before anything is sent. */
    static void checkNumber(SensorDefinition sensor, double value, JsonNode constraints)
            throws ViCareWriteRefusedException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new ViCareWriteRefusedException(sensor.id() + ": " + value + " is not a number");
        }
        JsonNode min = constraints.path("min");
        JsonNode max = constraints.path("max");
        if (min.isNumber() && value < min.asDouble() || max.isNumber() && value > max.asDouble()) {
            throw new ViCareWriteRefusedException(sensor.id() + ": " + value + " is outside the device's range "
                    + (min.isNumber() ? min.asText() : "…") + "–" + (max.isNumber() ? max.asText() : "…")
                    + " " + sensor.unit());
        }
        JsonNode step = constraints.path("stepping");
        if (step.isNumber() && step.asDouble() > 0) {
            double base = min.isNumber() ? min.asDouble() : 0;
            double steps = (value - base) / step.asDouble();
            if (Math.abs(steps - Math.rint(steps)) > 1e-6) {
                throw new ViCareWriteRefusedException(sensor.id() + ": " + value + " is not on the device's step of "
                        + step.asText() + " " + sensor.unit());
            }
        }
    }

    @Override
    public boolean connected() {
        return healthy && !closed;
    }

    @Override
    public void close() {
        closed = true;
        if (client != null) {
            client.release();
        }
    }

    @FunctionalInterface
    private interface Call {
        JsonNode run() throws DeviceException;
    }

    /** The session refused a write before anything was sent. */
    static final class ViCareWriteRefusedException extends DeviceException {
        private static final long serialVersionUID = 1L;

        ViCareWriteRefusedException(String message) {
            super(message);
        }
    }
}
