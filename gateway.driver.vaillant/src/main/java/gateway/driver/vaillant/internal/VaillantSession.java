package gateway.driver.vaillant.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.DeviceException;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceSession;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.Quality;
import gateway.core.api.ReadResult;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.driver.vaillant.internal.EbusdProtocol.Outcome;
import gateway.driver.vaillant.internal.EbusdProtocol.Reply;
import gateway.driver.vaillant.internal.VaillantMessages.Device;
import gateway.driver.vaillant.internal.VaillantMessages.Encoding;
import gateway.driver.vaillant.internal.VaillantMessages.Point;
import gateway.driver.vaillant.internal.VaillantMessages.Source;

/**
 * One aroTHERM system behind one ebusd. ebusd has no batch read, so a poll is one {@code read} per message; bus load
 * is kept down by ebusd's own cache ({@code -m} max age, fact sheet §7) and by reading slow values (energy,
 * counters, COP) only once per slow max age.
 *
 * <p>Messages vary by HMU and controller firmware (fact sheet §3, §10): a message that answers {@code ERR: invalid
 * position} or {@code ERR: element not found}, or any error from one the definitions mark broken, makes the sensor
 * INVALID ("not available on this unit"), tries the next message that can serve it, and is asked again only after
 * the slow max age. Other bus errors ({@code ERR: read timeout}, arbitration lost…) make that one sensor ERROR.
 * {@code ERR: no signal} means the adapter sees no bus: the rest of the poll is skipped, and a poll without any value
 * takes the device offline.
 */
final class VaillantSession implements DeviceSession {

    private static final Logger LOG = LoggerFactory.getLogger(VaillantSession.class);

    private final EbusdClient client;
    private final Map<Device, String> circuits;
    private final int maxAgeSeconds;
    private final Duration slowMaxAge;
    private final Clock clock;

    /** Source index that answered last, per sensor. */
    private final Map<String, Integer> workingSource = new HashMap<>();
    /** Sensors none of whose messages this unit answers, and until when that is believed. */
    private final Map<String, Instant> unavailableUntil = new HashMap<>();
    private final Map<String, SensorReading> unavailableReading = new HashMap<>();
    /** Slow sensors' last readings and when they were read. */
    private final Map<String, SensorReading> slowCache = new HashMap<>();
    /** Written sensors: the next read goes to the bus ({@code -f}); ebusd's read cache does not see writes. */
    private final Set<String> forceNext = new HashSet<>();
    private boolean healthy;
    private boolean closed;

    VaillantSession(EbusdClient client, Map<Device, String> circuits, int maxAgeSeconds, Duration slowMaxAge,
                    Clock clock) {
        this.client = client;
        this.circuits = Map.copyOf(circuits);
        this.maxAgeSeconds = maxAgeSeconds;
        this.slowMaxAge = slowMaxAge;
        this.clock = clock;
    }

    @Override
    public ReadResult read(List<SensorDefinition> sensors) throws DeviceException {
        Instant now = clock.instant();
        int requestsBefore = client.requestsSent();
        long bytesBefore = client.bytesReceived();
        Map<String, SensorReading> readings = new LinkedHashMap<>();
        boolean heatOutputWanted = false;
        String noSignal = null;
        boolean anyAnswer = false;
        for (SensorDefinition requested : sensors) {
            if (!requested.readable()) {
                continue;
            }
            Point p = VaillantMessages.point(requested.id()).orElse(null);
            if (p == null) {
                readings.put(requested.id(), SensorReading.error(requested.id(), "unknown Vaillant sensor", now));
                continue;
            }
            if (p.derived()) {
                heatOutputWanted = true;
                continue;
            }
            if (noSignal != null) {
                readings.put(p.id(), SensorReading.error(p.id(), noSignal, now));
                continue;
            }
            Optional<SensorReading> known = knownWithoutAsking(p, now);
            if (known.isPresent()) {
                readings.put(p.id(), known.get());
                anyAnswer = true;
                continue;
            }
            SensorReading r = readFromBus(p, now);
            if (r == null) {
                noSignal = "no eBUS signal (ebusd answered ERR: no signal)";
                readings.put(p.id(), SensorReading.error(p.id(), noSignal, now));
                continue;
            }
            anyAnswer = true;
            readings.put(p.id(), r);
        }
        if (heatOutputWanted) {
            readings.put(VaillantMessages.HEAT_OUTPUT, heatOutput(sensors, readings, now));
        }
        if (noSignal != null && !anyAnswer) {
            healthy = false;
            throw new DeviceUnreachableException("ebusd at " + client.endpoint() + " reports no eBUS signal "
                    + "(ERR: no signal): check the adapter's wiring and 'ebusctl info'");
        }
        healthy = true;
        return new ReadResult(readings, client.requestsSent() - requestsBefore,
                client.bytesReceived() - bytesBefore);
    }

    /** A reading that needs no request: a slow value still young enough, or a message known to be missing. */
    private Optional<SensorReading> knownWithoutAsking(Point p, Instant now) {
        if (forceNext.contains(p.id())) {
            return Optional.empty();
        }
        Instant until = unavailableUntil.get(p.id());
        if (until != null && now.isBefore(until)) {
            SensorReading r = unavailableReading.get(p.id());
            return Optional.of(SensorReading.invalid(r.sensorId(), r.error(), now));
        }
        SensorReading cached = p.slow() ? slowCache.get(p.id()) : null;
        if (cached != null && Duration.between(cached.timestamp(), now).compareTo(slowMaxAge) < 0) {
            // current by design until the slow max age (as ebusd's own cache is): stamped with this poll, so a
            // stale-data alert does not take a counter read 5 minutes ago for a silent device
            return Optional.of(new SensorReading(cached.sensorId(), cached.value(), cached.text(), cached.quality(),
                    now, cached.error()));
        }
        return Optional.empty();
    }

    /** Asks ebusd, trying the sensor's messages in order; null when the bus has no signal. */
    private SensorReading readFromBus(Point p, Instant now) throws DeviceException {
        // kept until a value arrives: a failed read-back must not let ebusd's pre-write cache answer next time
        boolean force = forceNext.contains(p.id());
        int maxAge = p.slow() ? (int) Math.min(Integer.MAX_VALUE, slowMaxAge.toSeconds()) : maxAgeSeconds;
        int first = workingSource.getOrDefault(p.id(), 0);
        StringBuilder missing = new StringBuilder();
        for (int k = 0; k < p.sources().size(); k++) {
            int i = (first + k) % p.sources().size();
            Source s = p.sources().get(i);
            Reply reply = client.exchange(EbusdProtocol.read(circuits.get(p.device()), s.message(), s.field(),
                    maxAge, force));
            Outcome outcome = reply.outcome();
            if (outcome == Outcome.NO_SIGNAL) {
                return null;
            }
            if (outcome == Outcome.VALUE) {
                forceNext.remove(p.id());
                workingSource.put(p.id(), i);
                unavailableUntil.remove(p.id());
                SensorReading r = decode(p, s, reply, now);
                if (p.slow()) {
                    slowCache.put(p.id(), r);
                }
                return r;
            }
            boolean missingHere = outcome == Outcome.UNAVAILABLE || (s.caveat() != null && reply.error());
            if (!missingHere) {
                // read timeout, arbitration lost, not authorized, usage…: this sensor failed this time
                return SensorReading.error(p.id(), circuits.get(p.device()) + " " + s.message() + ": "
                        + reply.first(), now);
            }
            missing.append(missing.length() == 0 ? "" : "; ").append(s.message()).append(": ").append(reply.first());
            if (s.caveat() != null) {
                missing.append(" (").append(s.caveat()).append(')');
            }
        }
        // none of its messages is answered by this unit: invalid, not an error, and not asked again for a while
        SensorReading invalid = SensorReading.invalid(p.id(), "not available on this unit: " + missing, now);
        if (!unavailableUntil.containsKey(p.id())) {
            LOG.info("vaillant {}: {} {}", client.endpoint(), p.id(), invalid.error());
        }
        unavailableUntil.put(p.id(), now.plus(slowMaxAge));
        unavailableReading.put(p.id(), invalid);
        return invalid;
    }

    private static SensorReading decode(Point p, Source s, Reply reply, Instant now) {
        String text = reply.first().trim();
        if (text.equals(EbusdProtocol.NULL_VALUE)) {
            return SensorReading.invalid(p.id(), s.message() + " holds its replacement value (-)", now);
        }
        SensorDefinition def = p.sensor();
        if (p.encoding() == Encoding.TEXT) {
            return SensorReading.text(p.id(), text, now);
        }
        if (p.encoding() == Encoding.ENUM) {
            Integer v = EbusdProtocol.parseEnum(text, def.enumValues());
            if (v == null) {
                // a value the table does not know (newer firmware): say so, without failing the device
                return SensorReading.invalid(p.id(), s.message() + ": value '" + text + "' is not one of "
                        + def.enumValues().values(), now);
            }
            return SensorReading.good(p.id(), v, def.enumValues().get(v), now);
        }
        Double n = EbusdProtocol.parseNumber(text);
        if (n == null) {
            return SensorReading.error(p.id(), s.message() + ": not a number: '" + text + "'", now);
        }
        return SensorReading.good(p.id(), n * s.factor(), null, now);
    }

    /** Electrical input plus environmental yield, both in W; only when both were read well this time. */
    private SensorReading heatOutput(List<SensorDefinition> requested, Map<String, SensorReading> readings,
                                     Instant now) throws DeviceException {
        SensorReading electric = readings.get(VaillantMessages.ELECTRICAL_POWER);
        SensorReading yield = readings.get(VaillantMessages.YIELD_POWER);
        if (electric == null || yield == null) {
            // asked for heat output alone (e.g. a write's read-back): read its inputs too
            Map<String, SensorReading> inputs = new HashMap<>();
            for (String id : List.of(VaillantMessages.ELECTRICAL_POWER, VaillantMessages.YIELD_POWER)) {
                if (!readings.containsKey(id)) {
                    Point p = VaillantMessages.point(id).orElseThrow();
                    SensorReading r = readFromBus(p, now);
                    inputs.put(id, r == null ? SensorReading.error(id, "no eBUS signal", now) : r);
                }
            }
            electric = electric != null ? electric : inputs.get(VaillantMessages.ELECTRICAL_POWER);
            yield = yield != null ? yield : inputs.get(VaillantMessages.YIELD_POWER);
        }
        if (electric.good() && yield.good()) {
            return SensorReading.good(VaillantMessages.HEAT_OUTPUT, electric.value() + yield.value(), null, now);
        }
        SensorReading bad = electric.good() ? yield : electric;
        Quality quality = bad.quality() == Quality.ERROR ? Quality.ERROR : Quality.INVALID;
        return new SensorReading(VaillantMessages.HEAT_OUTPUT, null, null, quality, now,
                "needs " + bad.sensorId() + ": " + bad.error());
    }

    @Override
    public void write(SensorDefinition sensor, double value) throws DeviceException {
        Point p = VaillantMessages.point(sensor.id()).orElse(null);
        if (p == null || !VaillantMessages.allowListed(sensor)) {
            throw new VaillantWriteRefusedException(sensor.id() + " is not on the Vaillant write allow-list");
        }
        String text = wireValue(p.sensor(), value);
        Source s = p.sources().get(0);
        Reply reply = client.exchange(EbusdProtocol.write(circuits.get(p.device()), s.message(), text));
        if (reply.outcome() != Outcome.DONE) {
            healthy = reply.outcome() != Outcome.NO_SIGNAL;
            throw new DeviceProtocolException("ebusd did not write " + circuits.get(p.device()) + " " + s.message()
                    + " = " + text + ": " + (reply.lines().isEmpty() ? "(empty reply)" : reply.first()), 0);
        }
        forceNext.add(p.id());
        slowCache.remove(p.id());
        LOG.info("vaillant {}: wrote {} {} = {} ({})", client.endpoint(), circuits.get(p.device()), s.message(), text,
                p.id());
    }

    /** Range, step and enum checks (the manager checks first; this is the defence in depth), then ebusd's text. */
    static String wireValue(SensorDefinition def, double value) throws VaillantWriteRefusedException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new VaillantWriteRefusedException(def.id() + ": " + value + " is not a number");
        }
        if ((def.min() != null && value < def.min()) || (def.max() != null && value > def.max())) {
            throw new VaillantWriteRefusedException(def.id() + ": " + value + " outside " + def.min() + ".."
                    + def.max() + " " + def.unit());
        }
        if (def.step() != null) {
            double steps = (value - (def.min() == null ? 0 : def.min())) / def.step();
            if (Math.abs(steps - Math.rint(steps)) > 1e-6) {
                throw new VaillantWriteRefusedException(def.id() + ": " + value + " is not a multiple of "
                        + def.step());
            }
        }
        if (!def.enumValues().isEmpty()) {
            String label = value == Math.rint(value) ? def.enumValues().get((int) value) : null;
            if (label == null) {
                throw new VaillantWriteRefusedException(def.id() + ": " + value + " is not one of "
                        + def.enumValues());
            }
            return label; // ebusd takes the value's name
        }
        return EbusdProtocol.formatNumber(value);
    }

    @Override
    public boolean connected() {
        return healthy && !closed && client.connected();
    }

    @Override
    public void close() {
        closed = true;
        healthy = false;
        client.close();
    }
}
