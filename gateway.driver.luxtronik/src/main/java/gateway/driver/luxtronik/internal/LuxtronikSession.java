package gateway.driver.luxtronik.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.DeviceException;
import gateway.core.api.DeviceSession;
import gateway.core.api.ReadResult;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.driver.luxtronik.internal.LuxtronikMap.Point;

/**
 * One Luxtronik controller. A poll is one connection: calculations always, parameters and visibilities only every
 * {@link #slowEveryPolls}th poll or when older than {@link #slowMaxAge} (they rarely change), and right after a write.
 *
 * <p>A sensor whose function the controller's visibilities mark 0 is reported INVALID "not fitted" rather than
 * dropped: every requested sensor appears in the result, so the console can tell "absent" from "failed".
 */
final class LuxtronikSession implements DeviceSession {

    private static final Logger LOG = LoggerFactory.getLogger(LuxtronikSession.class);

    static final int DEFAULT_SLOW_EVERY_POLLS = 10;
    static final Duration DEFAULT_SLOW_MAX_AGE = Duration.ofMinutes(10);

    private final LuxtronikClient client;
    private final boolean hideInvisible;
    private final int slowEveryPolls;
    private final Duration slowMaxAge;

    private int[] parameters;
    private byte[] visibilities;
    private Instant slowReadAt;
    private int pollsSinceSlow;
    private boolean slowDue = true;
    private String firmware;
    private boolean healthy;
    private boolean closed;

    LuxtronikSession(LuxtronikClient client, boolean hideInvisible, int slowEveryPolls, Duration slowMaxAge) {
        this.client = client;
        this.hideInvisible = hideInvisible;
        this.slowEveryPolls = Math.max(1, slowEveryPolls);
        this.slowMaxAge = slowMaxAge;
    }

    /** The firmware string this session last read from calculations 81–90, or null before the first poll. */
    String firmware() {
        return firmware;
    }

    @Override
    public ReadResult read(List<SensorDefinition> sensors) throws DeviceException {
        Instant now = Instant.now();
        boolean slow = slowDue || pollsSinceSlow + 1 >= slowEveryPolls || slowReadAt == null
                || Duration.between(slowReadAt, now).compareTo(slowMaxAge) >= 0;
        LuxtronikClient.Tables tables;
        try {
            tables = client.read(slow, slow);
        } catch (DeviceException e) {
            healthy = false;
            throw e;
        }
        healthy = true;
        if (slow) {
            parameters = tables.parameters();
            visibilities = tables.visibilities();
            slowReadAt = now;
            pollsSinceSlow = 0;
            slowDue = false;
        } else {
            pollsSinceSlow++;
        }
        int[] calculations = tables.calculations();
        String fw = LuxtronikDecoder.characters(calculations, 81, 10);
        if (!fw.equals(firmware)) {
            LOG.info("luxtronik {}: firmware {}", client.endpoint(), fw.isEmpty() ? "(empty)" : fw);
            firmware = fw;
        }

        Map<String, SensorReading> readings = new LinkedHashMap<>();
        for (SensorDefinition requested : sensors) {
            if (!requested.readable()) {
                continue;
            }
            Optional<Point> point = LuxtronikMap.point(requested.id());
            if (point.isEmpty()) {
                readings.put(requested.id(), SensorReading.error(requested.id(), "unknown Luxtronik sensor", now));
                continue;
            }
            Point p = point.get();
            if (notFitted(p)) {
                readings.put(p.id(), SensorReading.invalid(p.id(), "not fitted (controller visibility "
                        + p.visibility() + " is 0)", now));
                continue;
            }
            int[] table = p.sensor().registerKind() == RegisterKind.PARAMETER ? parameters : calculations;
            readings.put(p.id(), LuxtronikDecoder.decode(p, table, now));
        }
        return new ReadResult(readings, tables.requests(), tables.bytes());
    }

    private boolean notFitted(Point p) {
        return hideInvisible && p.visibility() >= 0 && visibilities != null && p.visibility() < visibilities.length
                && visibilities[p.visibility()] == 0;
    }

    @Override
    public void write(SensorDefinition sensor, double value) throws DeviceException {
        Point p = LuxtronikMap.point(sensor.id()).orElse(null);
        if (p == null || !LuxtronikMap.allowListed(sensor)) {
            throw new LuxtronikWriteRefusedException("parameter " + sensor.id() + " (index " + sensor.address()
                    + ") is not on the Luxtronik write allow-list");
        }
        SensorDefinition def = p.sensor();
        int raw = rawFor(def, value);
        if (firmware == null) {
            // Defence in depth: never write before this session has seen the firmware itself.
            firmware = LuxtronikDecoder.characters(client.readCalculations(), 81, 10);
        }
        if (LuxtronikDecoder.firmwareRebootsOnWrite(firmware)) {
            throw new LuxtronikWriteRefusedException(LuxtronikDecoder.writeRefusalForFirmware(firmware));
        }
        if (notFitted(p)) {
            throw new LuxtronikWriteRefusedException(def.id() + " is not fitted on this controller");
        }
        LuxtronikClient.WriteAck ack;
        try {
            ack = client.writeParameter(def.address(), raw);
        } catch (DeviceException e) {
            healthy = false;
            slowDue = true;
            throw e;
        }
        slowDue = true; // the read-back must see the controller's parameter table, not our cached one
        LOG.info("luxtronik {}: wrote parameter {} ({}) = {} (raw {})", client.endpoint(), def.address(), def.id(),
                value, raw);
        if (ack.word2() != def.address()) {
            LOG.debug("luxtronik {}: 3002 reply word 2 is {} (meaning unconfirmed)", client.endpoint(), ack.word2());
        }
    }

    /** Range, step and enum checks in engineering units, then the raw integer the controller stores. */
    static int rawFor(SensorDefinition def, double value) throws LuxtronikWriteRefusedException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new LuxtronikWriteRefusedException(def.id() + ": " + value + " is not a number");
        }
        if ((def.min() != null && value < def.min()) || (def.max() != null && value > def.max())) {
            throw new LuxtronikWriteRefusedException(def.id() + ": " + value + " outside " + def.min() + ".."
                    + def.max() + " " + def.unit());
        }
        if (def.step() != null) {
            double steps = (value - (def.min() == null ? 0 : def.min())) / def.step();
            if (Math.abs(steps - Math.rint(steps)) > 1e-6) {
                throw new LuxtronikWriteRefusedException(def.id() + ": " + value + " is not a multiple of "
                        + def.step());
            }
        }
        double raw = (value - def.offset()) / def.scale();
        long rounded = Math.round(raw);
        if (!def.enumValues().isEmpty() && !def.enumValues().containsKey((int) rounded)) {
            throw new LuxtronikWriteRefusedException(def.id() + ": " + value + " is not one of " + def.enumValues());
        }
        return (int) rounded;
    }

    /** True while the last exchange with the controller worked; the socket itself is closed between polls. */
    @Override
    public boolean connected() {
        return healthy && !closed;
    }

    @Override
    public void close() {
        // LuxtronikClient never keeps a socket open between batches; nothing to release.
        closed = true;
        healthy = false;
    }
}
