package gateway.core.manager.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.CopStore.CopTotals;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceRateLimitedException;
import gateway.core.api.DeviceSession;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceState;
import gateway.core.api.DeviceStatus;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.Quality;
import gateway.core.api.ReadResult;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorFlag;
import gateway.core.api.SensorReading;
import gateway.core.api.WriteRejectedException;
import gateway.core.api.WriteResult;

/**
 * Polls one configured device and carries its writes. Everything that goes on the wire (polls, writes, refresh
 * rewrites) holds {@link #wire}, so one device sees one request at a time; the next poll is scheduled only after
 * the previous one finished. A new driver (or its loss) bumps {@link #generation}, which retires every task and
 * session of the old one.
 */
final class DeviceWorker {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceWorker.class);

    /** What a worker needs from its manager. */
    interface Context {
        ScheduledExecutorService scheduler();

        ExecutorService pollPool();

        Backoff backoff();

        /** Stamps polls, errors and next attempts; the scheduler's time (simulated in tests). */
        Clock clock();

        long writeWaitMillis();

        void publish(DeviceSnapshot snapshot);

        void stateChanged(DeviceStatus status);

        void audit(String actor, String heatpumpId, String sensorId, Double oldValue, Double newValue, String result,
                   String detail);

        /**
         * One poll ended (for self-metrics).
         *
         * @param result {@code ok}, {@code degraded} (some sensors failed), {@code rejected}, {@code unreachable} or
         *               {@code failed}
         */
        default void pollFinished(String heatpumpId, String result, long nanos, int requests) {
        }

        /**
         * A poll due on the device's slot grid started {@code lateNanos} after its slot (for self-metrics). Polls off
         * the grid (the first after a start, a change or a failure) are not reported: they have no slot to miss.
         */
        default void pollStartedLate(String heatpumpId, long lateNanos) {
        }

        /** The list equal to {@code sensors} that other devices already use, so they share one copy. */
        default List<SensorDefinition> sharedSensors(List<SensorDefinition> sensors) {
            return sensors;
        }

        /** The device's saved COP sums, if any. */
        default Optional<CopTotals> loadCop(String heatpumpId) {
            return Optional.empty();
        }

        /** Keeps the device's COP sums across a restart. */
        default void saveCop(CopTotals totals) {
        }
    }

    private record Hold(SensorDefinition sensor, double value, ScheduledFuture<?> future) {
    }

    private final Heatpump heatpump;
    private final Context ctx;
    private final ReentrantLock wire = new ReentrantLock();

    // guarded by wire
    private DeviceSession session;
    private long sessionGeneration = -1;

    // guarded by this
    private HeatpumpDriver driver;
    private List<SensorDefinition> sensors = List.of();
    private List<SensorDefinition> readable = List.of();
    private long generation;
    private boolean stopped;
    private boolean attached;
    private ScheduledFuture<?> nextPoll;
    private final Map<String, Hold> holds = new HashMap<>();
    private DeviceState state;
    private int errorCount;
    private long totalErrors;
    private String lastError;
    private Instant lastErrorAt;
    private Instant lastSuccess;
    private int requestsLastPoll;
    private long bytesLastPoll;
    private long lastPollMillis;
    private Instant nextAttempt;
    /** The quota's reset time while the state is RATE_LIMITED (what the service answered), else null. */
    private Instant rateLimitedUntil;
    private long reconnects;
    private int failuresInRow;

    private volatile DeviceSnapshot latest;
    /** The running poll was scheduled on the device's slot grid (see {@link #untilNextSlot}); false after a start,
     *  a reconfiguration or a failure, whose next poll is off the grid. */
    private volatile boolean onGrid;
    /** Adds the derived COP sensors; null when the driver declares no COP sources. Used by the poll holding wire. */
    private volatile CopCalculator cop;
    /** How often the COP sums are saved while polling: at most this much of power-integrated COP is lost to a kill. */
    static final long COP_SAVE_MILLIS = 60_000;
    /** Poll time (epoch ms) of the last save; used by the poll holding wire. */
    private long copSavedAt = Long.MIN_VALUE;

    DeviceWorker(Heatpump heatpump, Context ctx) {
        this.heatpump = heatpump;
        this.ctx = ctx;
        this.state = heatpump.enabled() ? DeviceState.CONNECTING : DeviceState.DISABLED;
    }

    Heatpump heatpump() {
        return heatpump;
    }

    synchronized HeatpumpDriver driver() {
        return driver;
    }

    synchronized List<SensorDefinition> sensors() {
        return sensors;
    }

    DeviceSnapshot latest() {
        return latest;
    }

    /**
     * Follows the registry: a different driver (or none) retires the old session and tasks; polling starts when a
     * driver is present and the device is enabled.
     */
    void useDriver(HeatpumpDriver newDriver) {
        long retired;
        synchronized (this) {
            if (stopped || (attached && newDriver == driver)) {
                return;
            }
            attached = true;
            retired = retireLocked();
            driver = newDriver;
            if (newDriver == null) {
                sensors = List.of();
                readable = List.of();
                setStateLocked(heatpump.enabled() ? DeviceState.DRIVER_MISSING : DeviceState.DISABLED);
            } else {
                try {
                    sensors = ctx.sharedSensors(List.copyOf(newDriver.sensors(heatpump.deviceConfig())));
                } catch (RuntimeException e) {
                    LOG.warn("{}: driver {}/{} failed to list sensors: {}", heatpump.id(), heatpump.manufacturer(),
                            heatpump.model(), e.toString());
                    sensors = List.of();
                }
                readable = sensors.stream().filter(SensorDefinition::readable).toList();
                CopCalculator previous = cop;
                cop = copCalculator(newDriver, sensors);
                if (cop != null) {
                    // a new driver version goes on with the sums; a new worker (start, edit) with the saved ones
                    Optional<CopTotals> carried = previous != null ? Optional.of(previous.totals(heatpump.id()))
                            : loadCop();
                    carried.ifPresent(cop::restore);
                }
                if (heatpump.enabled()) {
                    failuresInRow = 0;
                    setStateLocked(DeviceState.CONNECTING);
                    onGrid = false;
                    scheduleLocked(0, generation);
                } else {
                    setStateLocked(DeviceState.DISABLED);
                }
            }
        }
        closeRetiredSession(retired);
    }

    private Optional<CopTotals> loadCop() {
        try {
            return ctx.loadCop(heatpump.id());
        } catch (RuntimeException e) {
            LOG.warn("{}: saved COP sums unreadable, starting from zero: {}", heatpump.id(), e.toString());
            return Optional.empty();
        }
    }

    /** Saves the COP sums; a failure costs at most the sums since the last save, never the poll. */
    private void saveCop() {
        CopCalculator c = cop;
        if (c == null) {
            return;
        }
        try {
            ctx.saveCop(c.totals(heatpump.id()));
        } catch (RuntimeException e) {
            LOG.warn("{}: COP sums not saved: {}", heatpump.id(), e.toString());
        }
    }

    private CopCalculator copCalculator(HeatpumpDriver d, List<SensorDefinition> defs) {
        try {
            return d.copSources(heatpump.deviceConfig())
                    .map(src -> new CopCalculator(src, defs.stream().collect(Collectors.toMap(SensorDefinition::id,
                            x -> x, (a, b) -> a)), ZoneId.systemDefault()))
                    .orElse(null);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("{}: driver failed to declare COP sources: {}", heatpump.id(), e.toString());
            return null;
        }
    }

    /** Stops for good: no more polls or rewrites, session closed (waiting briefly for a running request). */
    void stop() {
        long retired;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            retired = retireLocked();
        }
        closeRetiredSession(retired);
        saveCop();
    }

    /** Stops tasks without waiting for the wire (deactivation shuts the pools down first). */
    void stopNow() {
        synchronized (this) {
            stopped = true;
            retireLocked();
        }
        saveCop();
    }

    /** Closes the session if nothing is on the wire; used after the pools are shut down. */
    void closeIdleSession() {
        if (wire.tryLock()) {
            try {
                closeSession();
            } finally {
                wire.unlock();
            }
        }
    }

    private long retireLocked() {
        long old = generation++;
        if (nextPoll != null) {
            nextPoll.cancel(false);
            nextPoll = null;
        }
        for (Hold h : holds.values()) {
            h.future().cancel(false);
            LOG.info("{}: released refresh hold of {}", heatpump.id(), h.sensor().id());
        }
        holds.clear();
        return old;
    }

    private void closeRetiredSession(long retired) {
        boolean locked = false;
        try {
            // a running request ends within the connection timeout; no need to hold up the caller longer
            long wait = Math.min(ctx.writeWaitMillis(), heatpump.connection().timeoutMs() + 1000L);
            locked = wire.tryLock(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (locked) {
            try {
                if (sessionGeneration <= retired) {
                    closeSession();
                }
            } finally {
                wire.unlock();
            }
        } else {
            // the request on the wire closes the session itself when it sees the new generation
            LOG.warn("{}: session still busy while retiring; it closes after the running request", heatpump.id());
        }
    }

    // ---- status -------------------------------------------------------------------------------------------------

    synchronized DeviceStatus status() {
        return new DeviceStatus(heatpump.id(), state, errorCount, totalErrors, lastError, lastErrorAt, lastSuccess,
                requestsLastPoll, bytesLastPoll, lastPollMillis, nextAttempt, reconnects, sensors.size());
    }

    synchronized DeviceState state() {
        return state;
    }

    /** When the service takes requests again, while the device is {@link DeviceState#RATE_LIMITED}; else null. */
    synchronized Instant rateLimitedUntil() {
        return state == DeviceState.RATE_LIMITED ? rateLimitedUntil : null;
    }

    private void setStateLocked(DeviceState newState) {
        if (state != newState) {
            LOG.info("{}: {} -> {}", heatpump.id(), state, newState);
            state = newState;
            ctx.stateChanged(status());
        }
    }

    // ---- polling ------------------------------------------------------------------------------------------------

    private void scheduleLocked(long delayMillis, long gen) {
        nextAttempt = ctx.clock().instant().plusMillis(delayMillis);
        try {
            nextPoll = ctx.scheduler().schedule(() -> submitPoll(gen), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            nextPoll = null; // shutting down
        }
    }

    private void submitPoll(long gen) {
        try {
            ctx.pollPool().execute(() -> named(() -> poll(gen)));
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: poll not run, manager stopping", heatpump.id());
        }
    }

    private void named(Runnable work) {
        Thread t = Thread.currentThread();
        String name = t.getName();
        t.setName(name + "-" + heatpump.id());
        try {
            work.run();
        } finally {
            t.setName(name);
        }
    }

    private synchronized boolean current(long gen) {
        return gen == generation && !stopped;
    }

    private void poll(long gen) {
        HeatpumpDriver d;
        List<SensorDefinition> toRead;
        synchronized (this) {
            if (!current(gen)) {
                return;
            }
            d = driver;
            toRead = readable;
        }
        long delay;
        wire.lock();
        try {
            if (!current(gen)) {
                return;
            }
            delay = pollOnce(d, toRead, gen);
        } catch (RuntimeException | LinkageError e) {
            // a driver bug must not end the device's schedule
            LOG.warn("{}: poll failed unexpectedly: {}", heatpump.id(), e.toString());
            ctx.pollFinished(heatpump.id(), "failed", 0, 0);
            closeSession();
            delay = failed(e.toString(), DeviceState.OFFLINE);
        } finally {
            releaseWire(gen);
        }
        synchronized (this) {
            if (current(gen)) {
                scheduleLocked(delay, gen);
            }
        }
    }

    /** Unlocks the wire, closing the session first if its driver was retired meanwhile. */
    private void releaseWire(long gen) {
        try {
            if (!current(gen) && sessionGeneration <= gen) {
                closeSession();
            }
        } finally {
            wire.unlock();
        }
    }

    /**
     * The delay to the device's next poll slot. Slots are fixed multiples of the interval on the clock, shifted per
     * device by a hash of its id: the schedule does not drift by each poll's own duration, and a plant of devices
     * started together (every gateway start) spreads over the interval instead of polling on the same second. After
     * a poll off the grid (the first after a start, a change or a failure) a slot less than half an interval away is
     * skipped, so that poll and the next are not back to back; after a poll on the grid the next slot is always
     * taken, so a poll that ran late (a busy machine) does not cost the following one.
     */
    static long untilNextSlot(long nowMillis, long intervalMillis, String deviceId, boolean onGrid) {
        if (intervalMillis <= 0) {
            return 0;
        }
        long phase = Math.floorMod(mix(deviceId.hashCode()), intervalMillis);
        long delay = intervalMillis - Math.floorMod(nowMillis - phase, intervalMillis);
        return !onGrid && delay < intervalMillis / 2 ? delay + intervalMillis : delay;
    }

    /** Spreads similar ids (hp-1, hp-2, …), whose String hashes differ only in the last bits, over the interval. */
    private static long mix(int hash) {
        long z = hash * 0x9E3779B97F4A7C15L;
        return z ^ (z >>> 29);
    }

    /** One poll; returns the delay until the next. Runs holding the wire. */
    private long pollOnce(HeatpumpDriver d, List<SensorDefinition> toRead, long gen) {
        Instant started = ctx.clock().instant();
        if (onGrid) {
            // late by whatever held it up: the scheduler, a full poll pool, a write on the wire
            Instant due;
            synchronized (this) {
                due = nextAttempt;
            }
            if (due != null) {
                ctx.pollStartedLate(heatpump.id(), Duration.between(due, started).toNanos());
            }
        }
        long t0 = System.nanoTime();
        try {
            DeviceSession s = session(d, gen);
            ReadResult result = s.read(toRead);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            DeviceSnapshot snapshot = new DeviceSnapshot(heatpump.id(), heatpump.manufacturer(), heatpump.model(),
                    started, result.readings());
            CopCalculator c = cop;
            if (c != null) {
                try {
                    if (c.startsNewDay(started)) {
                        // the finished day's sums, kept as that day's total (the energy view's bars)
                        saveCop();
                    }
                    snapshot = c.enrich(snapshot);
                    long t = started.toEpochMilli();
                    if (copSavedAt == Long.MIN_VALUE || t - copSavedAt >= COP_SAVE_MILLIS || t < copSavedAt) {
                        copSavedAt = t;
                        saveCop();
                    }
                } catch (RuntimeException e) {
                    LOG.warn("{}: COP derivation failed: {}", heatpump.id(), e.toString());
                }
            }
            boolean anyError = result.readings().values().stream().anyMatch(r -> r.quality() == Quality.ERROR);
            latest = snapshot;
            synchronized (this) {
                if (!current(gen)) {
                    return 0;
                }
                errorCount = 0;
                failuresInRow = 0;
                lastSuccess = ctx.clock().instant();
                requestsLastPoll = result.requests();
                bytesLastPoll = result.bytes();
                lastPollMillis = millis;
                setStateLocked(anyError ? DeviceState.DEGRADED : DeviceState.ONLINE);
            }
            ctx.pollFinished(heatpump.id(), anyError ? "degraded" : "ok", System.nanoTime() - t0, result.requests());
            ctx.publish(snapshot);
            boolean wasOnGrid = onGrid;
            onGrid = true;
            return untilNextSlot(ctx.clock().millis(), heatpump.pollIntervalSeconds() * 1000L, heatpump.id(),
                    wasOnGrid);
        } catch (DeviceRateLimitedException e) {
            // the service answered "not now": keep the session, wait for its reset time instead of backing off
            ctx.pollFinished(heatpump.id(), "rate_limited", System.nanoTime() - t0, 0);
            LOG.info("{}: rate limited until {}: {}", heatpump.id(), e.retryAt(), e.getMessage());
            synchronized (this) {
                rateLimitedUntil = e.retryAt();
            }
            failed(e.getMessage(), DeviceState.RATE_LIMITED);
            long untilReset = Duration.between(ctx.clock().instant(), e.retryAt()).toMillis();
            return Math.max(1000L, untilReset);
        } catch (DeviceUnreachableException e) {
            ctx.pollFinished(heatpump.id(), "unreachable", System.nanoTime() - t0, 0);
            closeSession();
            LOG.info("{}: unreachable: {}", heatpump.id(), e.getMessage());
            return failed(e.getMessage(), DeviceState.OFFLINE);
        } catch (DeviceException e) {
            // the device answered, but refused the whole read: keep the connection, poll again at the interval
            ctx.pollFinished(heatpump.id(), "rejected", System.nanoTime() - t0, 0);
            LOG.info("{}: poll rejected: {}", heatpump.id(), e.getMessage());
            failed(e.getMessage(), DeviceState.DEGRADED);
            return heatpump.pollIntervalSeconds() * 1000L;
        }
    }

    /** Records a failed poll, marks the last values stale and returns the reconnect delay. */
    private long failed(String error, DeviceState newState) {
        onGrid = false;
        DeviceSnapshot previous = latest;
        if (previous != null) {
            Map<String, SensorReading> stale = new LinkedHashMap<>();
            previous.readings().forEach((id, r) -> stale.put(id, r.stale()));
            latest = new DeviceSnapshot(previous.heatpumpId(), previous.manufacturer(), previous.model(),
                    previous.time(), stale);
        }
        synchronized (this) {
            errorCount++;
            totalErrors++;
            failuresInRow++;
            lastError = error;
            lastErrorAt = ctx.clock().instant();
            requestsLastPoll = 0;
            bytesLastPoll = 0;
            setStateLocked(newState);
            return ctx.backoff().delayMillis(failuresInRow, ThreadLocalRandom.current()::nextDouble);
        }
    }

    /** The open session for the current driver, opened lazily. Runs holding the wire. */
    private DeviceSession session(HeatpumpDriver d, long gen) throws DeviceException {
        if (session != null && sessionGeneration != gen) {
            closeSession();
        }
        if (session == null) {
            session = d.open(heatpump.connection(), heatpump.deviceConfig());
            sessionGeneration = gen;
            synchronized (this) {
                reconnects++;
            }
            LOG.debug("{}: session opened to {}", heatpump.id(), heatpump.connection().endpointKey());
        }
        return session;
    }

    private void closeSession() {
        DeviceSession s = session;
        session = null;
        sessionGeneration = -1;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("{}: closing session failed: {}", heatpump.id(), e.toString());
            }
        }
    }

    // ---- writes -------------------------------------------------------------------------------------------------

    /**
     * Writes an already validated value, serial with the polls: reads the current value, skips an unchanged EEPROM
     * register, writes, reads back, audits and (for REFRESH_REQUIRED) starts holding the value.
     */
    WriteResult write(SensorDefinition sensor, double value, String actor)
            throws DeviceException, WriteRejectedException {
        HeatpumpDriver d;
        long gen;
        synchronized (this) {
            gen = generation;
            d = driver;
        }
        if (!lockWire(actor, sensor, value)) {
            throw new DeviceException("device " + heatpump.id() + " is busy; write not sent");
        }
        Double old = null;
        try {
            if (!current(gen) || d == null) {
                throw rejectUnavailable(actor, sensor, value, "device " + heatpump.id() + " changed while the write waited");
            }
            DeviceSession s = session(d, gen);
            if (sensor.readable()) {
                old = readValue(s, sensor);
            }
            if (old != null && sensor.has(SensorFlag.EEPROM) && WriteValidator.sameValue(sensor, old, value)) {
                String msg = "unchanged; EEPROM register " + sensor.id() + " not written";
                ctx.audit(actor, heatpump.id(), sensor.id(), old, value, "skipped", msg);
                LOG.info("{}: write of {} skipped, value already {}", heatpump.id(), sensor.id(), old);
                return new WriteResult(heatpump.id(), sensor.id(), old, value, old, false, msg);
            }
            s.write(sensor, value);
            Double readBack = sensor.readable() ? readValue(s, sensor) : null;
            boolean confirmed = readBack == null || WriteValidator.sameValue(sensor, readBack, value);
            String msg = confirmed ? "written" : "written, but the device reports " + readBack;
            ctx.audit(actor, heatpump.id(), sensor.id(), old, value, confirmed ? "ok" : "failed", msg);
            LOG.info("{}: {} wrote {} = {} (was {}, reads back {})", heatpump.id(), actor, sensor.id(), value, old,
                    readBack);
            if (readBack != null) {
                updateLatest(sensor, readBack);
            }
            if (confirmed) {
                holdIfRequired(sensor, value, gen);
            }
            return new WriteResult(heatpump.id(), sensor.id(), old, value, readBack, true, msg);
        } catch (DeviceException e) {
            if (e instanceof DeviceUnreachableException) {
                closeSession();
            }
            ctx.audit(actor, heatpump.id(), sensor.id(), old, value, "failed", e.getMessage());
            LOG.info("{}: write of {} failed: {}", heatpump.id(), sensor.id(), e.getMessage());
            throw e;
        } finally {
            releaseWire(gen);
        }
    }

    private WriteRejectedException rejectUnavailable(String actor, SensorDefinition sensor, double value, String msg) {
        ctx.audit(actor, heatpump.id(), sensor.id(), null, value, "rejected", msg);
        return new WriteRejectedException(WriteRejectedException.Reason.DEVICE_UNAVAILABLE, msg);
    }

    private boolean lockWire(String actor, SensorDefinition sensor, double value) {
        try {
            if (wire.tryLock(ctx.writeWaitMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ctx.audit(actor, heatpump.id(), sensor.id(), null, value, "failed", "device busy");
        return false;
    }

    private static Double readValue(DeviceSession s, SensorDefinition sensor) throws DeviceException {
        SensorReading r = s.read(List.of(sensor)).readings().get(sensor.id());
        return r != null && r.good() ? r.value() : null;
    }

    private void updateLatest(SensorDefinition sensor, double value) {
        DeviceSnapshot previous = latest;
        if (previous == null) {
            return;
        }
        Map<String, SensorReading> readings = new LinkedHashMap<>(previous.readings());
        String text = sensor.enumValues().get((int) Math.round(value));
        readings.put(sensor.id(), SensorReading.good(sensor.id(), value, text, ctx.clock().instant()));
        latest = new DeviceSnapshot(previous.heatpumpId(), previous.manufacturer(), previous.model(), previous.time(),
                readings);
    }

    // ---- refresh holds ------------------------------------------------------------------------------------------

    private void holdIfRequired(SensorDefinition sensor, double value, long gen) {
        if (!sensor.has(SensorFlag.REFRESH_REQUIRED) || sensor.has(SensorFlag.EEPROM)
                || sensor.has(SensorFlag.NO_CYCLIC_WRITE)) {
            return;
        }
        if (sensor.refreshSeconds() <= 0) {
            LOG.warn("{}: {} needs refreshing but names no period; not held", heatpump.id(), sensor.id());
            return;
        }
        long period = sensor.refreshSeconds() * 1000L;
        synchronized (this) {
            if (!current(gen)) {
                return;
            }
            Hold previous = holds.remove(sensor.id());
            if (previous != null) {
                previous.future().cancel(false);
            }
            ScheduledFuture<?> future = ctx.scheduler().scheduleWithFixedDelay(
                    () -> submitRefresh(sensor.id(), gen), period, period, TimeUnit.MILLISECONDS);
            holds.put(sensor.id(), new Hold(sensor, value, future));
        }
        LOG.info("{}: holding {} = {}, rewritten every {} s", heatpump.id(), sensor.id(), value,
                sensor.refreshSeconds());
    }

    synchronized Map<String, Double> held() {
        Map<String, Double> result = new LinkedHashMap<>();
        holds.forEach((id, h) -> result.put(id, h.value()));
        return result;
    }

    synchronized boolean release(String sensorId) {
        Hold h = holds.remove(sensorId);
        if (h == null) {
            return false;
        }
        h.future().cancel(false);
        LOG.info("{}: released refresh hold of {}", heatpump.id(), sensorId);
        return true;
    }

    private void submitRefresh(String sensorId, long gen) {
        try {
            ctx.pollPool().execute(() -> named(() -> refresh(sensorId, gen)));
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: refresh not run, manager stopping", heatpump.id());
        }
    }

    /** The only periodic write: the device forgets this value unless it is sent again. */
    private void refresh(String sensorId, long gen) {
        Hold hold;
        HeatpumpDriver d;
        synchronized (this) {
            hold = current(gen) ? holds.get(sensorId) : null;
            d = driver;
        }
        if (hold == null || d == null) {
            return;
        }
        wire.lock();
        try {
            synchronized (this) {
                if (!current(gen) || holds.get(sensorId) != hold) {
                    return;
                }
            }
            session(d, gen).write(hold.sensor(), hold.value());
            ctx.audit("refresh", heatpump.id(), sensorId, null, hold.value(), "ok", "periodic rewrite the device requires");
        } catch (DeviceException | RuntimeException e) {
            if (e instanceof DeviceUnreachableException) {
                closeSession();
            }
            ctx.audit("refresh", heatpump.id(), sensorId, null, hold.value(), "failed", e.getMessage());
            LOG.info("{}: refresh of {} failed: {}", heatpump.id(), sensorId, e.toString());
        } finally {
            releaseWire(gen);
        }
    }
}
