package gateway.core.manager.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.api.AuditLog;
import gateway.core.api.CopStore;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.DashboardStore;
import gateway.core.api.DashboardTemplate;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceRateLimitedException;
import gateway.core.api.DeviceSession;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceState;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.ReadResult;
import gateway.core.api.ReadingListener;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.api.SettingsStore;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.WriteRejectedException;
import gateway.core.api.WriteRejectedException.Reason;
import gateway.core.api.WriteResult;
import gateway.core.api.HeatpumpStore;
import gateway.core.api.ListenerStats;
import gateway.core.api.ManufacturerRegistry;
import gateway.core.api.PollStatistics;
import gateway.core.api.RefreshHolds;

/**
 * The heat pump manager: configured devices, one {@link DeviceWorker} each on shared thread pools, validated
 * writes, and delivery of snapshots to every {@link ReadingListener} through its own bounded queue.
 */
@Component(service = { HeatpumpManager.class, ListenerStats.class, RefreshHolds.class, PollStatistics.class },
        immediate = true,
        configurationPid = PollingManager.PID)
@Designate(ocd = ManagerConfig.class)
public class PollingManager implements HeatpumpManager, ListenerStats, RefreshHolds, DriverRegistry.DriverListener,
        DeviceWorker.Context, PollStatistics {

    public static final String PID = "gateway.manager";
    /** Environment variable that switches writes on at start. */
    public static final String WRITE_ENABLED_ENV = "GATEWAY_WRITE_ENABLED";
    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_POLL_INTERVAL_SECONDS = 86_400;
    /** Connect and read timeout of a device: below 100 ms a busy LAN looks dead, above a minute a dead one hangs. */
    static final int MIN_TIMEOUT_MS = 100;
    static final int MAX_TIMEOUT_MS = 60_000;
    static final int TEST_CONNECTION_SENSORS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(PollingManager.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HeatpumpStore repository;
    private final SettingsStore settings;
    private final AuditLog auditLog;
    private final DashboardStore dashboards;
    private final DriverRegistry registry;
    /** Replaced by {@link #modified}; every use reads it anew. */
    private volatile ManagerConfig config;
    private volatile Backoff backoff;
    private final CopStore copStore;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService pollPool;

    /** Guards changes to the set of devices and their drivers. */
    private final Object devices = new Object();
    private final Map<String, DeviceWorker> workers = new ConcurrentHashMap<>();
    private final List<ListenerDispatcher> dispatchers = new CopyOnWriteArrayList<>();
    private final AtomicInteger listenerIds = new AtomicInteger();
    private final PollStatistics.Counters pollCounters = new PollStatistics.Counters();
    private final SensorLists sensorLists = new SensorLists();
    private volatile boolean active = true;

    @Activate
    public PollingManager(@Reference HeatpumpStore repository, @Reference SettingsStore settings,
                          @Reference AuditLog auditLog, @Reference DashboardStore dashboards,
                          @Reference(target = "(component.name=" + DriverRegistry.COMPONENT_NAME + ")")
                          ManufacturerRegistry registry, @Reference CopStore copStore, ManagerConfig config) {
        // the registry of this bundle: the manager also needs its listener hook, which is not API
        this(repository, settings, auditLog, dashboards, (DriverRegistry) registry, copStore, config,
                System::getenv, Scheduling.system(Math.max(1, config.poll_threads())));
    }

    /**
     * @param env        environment lookup (tests pass their own)
     * @param scheduling clock, scheduler and poll pool (tests pass simulated time)
     */
    PollingManager(HeatpumpStore repository, SettingsStore settings, AuditLog auditLog,
                   DashboardStore dashboards, DriverRegistry registry, CopStore copStore, ManagerConfig config,
                   Function<String, String> env, Scheduling scheduling) {
        this.repository = repository;
        this.copStore = copStore;
        this.settings = settings;
        this.auditLog = auditLog;
        this.dashboards = dashboards;
        this.registry = registry;
        this.config = config;
        this.backoff = backoffOf(config);
        this.clock = scheduling.clock();
        this.scheduler = scheduling.scheduler();
        this.pollPool = scheduling.pollPool();
        int pollThreads = Math.max(1, config.poll_threads());

        try {
            if ("true".equalsIgnoreCase(String.valueOf(env.apply(WRITE_ENABLED_ENV)).trim()) && !writeEnabled()) {
                setWriteEnabled(true, "environment " + WRITE_ENABLED_ENV);
            }
            // listen first, then load: a driver arriving in between is seen by the reconcile under the same lock
            registry.addDriverListener(this);
            synchronized (devices) {
                for (Heatpump hp : repository.all()) {
                    startWorker(hp);
                }
            }
        } catch (RuntimeException e) {
            deactivate(); // no thread may outlive a failed activation
            throw e;
        }
        LOG.info("manager started: {} devices, {} poll threads, writes {}", workers.size(), pollThreads,
                writeEnabled() ? "enabled" : "disabled");
    }

    private static Backoff backoffOf(ManagerConfig config) {
        return new Backoff(config.backoff_min_millis(),
                Math.max(config.backoff_min_millis(), config.backoff_max_millis()), 0.2);
    }

    /**
     * Applies new settings in place: every one of them takes effect without reconnecting a device (backoff and write
     * wait from the next use, poll threads at once, the queue capacity for listeners that arrive from now on, the
     * default interval for devices created from now on).
     */
    @Modified
    void modified(ManagerConfig newConfig) {
        int threads = Math.max(1, newConfig.poll_threads());
        if (pollPool instanceof ThreadPoolExecutor pool) {
            pool.setMaximumPoolSize(threads); // the core stays one thread: the pool grows only when polls overlap
        }
        backoff = backoffOf(newConfig);
        config = newConfig;
        LOG.info("manager re-configured in place: {} poll threads, backoff {}..{} ms, no device reconnected", threads,
                backoff.minMillis(), backoff.maxMillis());
    }

    /** Threads the poll pool may use now. */
    int pollThreads() {
        return pollPool instanceof ThreadPoolExecutor pool ? pool.getMaximumPoolSize() : -1;
    }

    @Deactivate
    public void deactivate() {
        active = false;
        registry.removeDriverListener(this);
        synchronized (devices) {
            workers.values().forEach(DeviceWorker::stopNow);
        }
        scheduler.shutdownNow();
        pollPool.shutdownNow();
        try {
            if (!pollPool.awaitTermination(10, TimeUnit.SECONDS) || !scheduler.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("poll threads still busy 10 s after stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.values().forEach(DeviceWorker::closeIdleSession);
        workers.clear();
        dispatchers.forEach(ListenerDispatcher::stop);
        dispatchers.clear();
        LOG.info("manager stopped");
    }

    // ---- reading listeners (whiteboard) ------------------------------------------------------------------------

    /** DS: every {@link ReadingListener} service, fetched lazily (see {@link LazyListener}). */
    @Reference(service = ReadingListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindReadingListener(ComponentServiceObjects<ReadingListener> service, Map<String, Object> properties) {
        Object component = properties == null ? null : properties.get("component.name");
        String type = component == null ? null
                : component.toString().substring(component.toString().lastIndexOf('.') + 1);
        addListener(new LazyListener(service), properties, type);
    }

    void unbindReadingListener(ComponentServiceObjects<ReadingListener> service) {
        for (ListenerDispatcher d : dispatchers) {
            if (d.listener() instanceof LazyListener lazy && lazy.service() == service) {
                removeListener(lazy);
                lazy.release();
            }
        }
    }

    public void addListener(ReadingListener listener, Map<String, Object> properties) {
        addListener(listener, properties, null);
    }

    private void addListener(ReadingListener listener, Map<String, Object> properties, String typeName) {
        Object serviceId = properties == null ? null : properties.get("service.id");
        String type = typeName != null ? typeName : listener.getClass().getSimpleName().isEmpty()
                ? listener.getClass().getName() : listener.getClass().getSimpleName();
        String name = type + "-"
                + (serviceId != null ? serviceId : "l" + listenerIds.incrementAndGet());
        dispatchers.add(new ListenerDispatcher(listener, name, config.listener_queue_capacity()));
        LOG.info("reading listener added: {}", name);
    }

    public void removeListener(ReadingListener listener) {
        for (ListenerDispatcher d : dispatchers) {
            if (d.listener() == listener) {
                dispatchers.remove(d);
                d.stop();
                LOG.info("reading listener removed: {}", d.stat().listener());
            }
        }
    }

    @Override
    public List<ListenerStat> listenerStats() {
        return dispatchers.stream().map(ListenerDispatcher::stat).toList();
    }

    // ---- DeviceWorker.Context ----------------------------------------------------------------------------------

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public ExecutorService pollPool() {
        return pollPool;
    }

    @Override
    public Backoff backoff() {
        return backoff;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public long writeWaitMillis() {
        return Math.max(1, config.write_wait_seconds()) * 1000L;
    }

    @Override
    public Optional<CopStore.CopTotals> loadCop(String heatpumpId) {
        return copStore.load(heatpumpId);
    }

    @Override
    public void saveCop(CopStore.CopTotals totals) {
        copStore.save(totals);
    }

    @Override
    public void publish(DeviceSnapshot snapshot) {
        for (ListenerDispatcher d : dispatchers) {
            d.offer(snapshot);
        }
    }

    @Override
    public void pollFinished(String heatpumpId, String result, long nanos, int requests) {
        pollCounters.record(result, nanos, requests);
    }

    @Override
    public List<SensorDefinition> sharedSensors(List<SensorDefinition> sensors) {
        return sensorLists.canonical(sensors);
    }

    @Override
    public void pollStartedLate(String heatpumpId, long lateNanos) {
        pollCounters.recordLateness(lateNanos);
    }

    @Override
    public Histogram pollDurations() {
        return pollCounters.pollDurations();
    }

    @Override
    public Histogram pollLateness() {
        return pollCounters.pollLateness();
    }

    @Override
    public Map<String, Long> pollsByResult() {
        return pollCounters.pollsByResult();
    }

    @Override
    public long protocolRequests() {
        return pollCounters.protocolRequests();
    }

    @Override
    public void stateChanged(DeviceStatus status) {
        for (ListenerDispatcher d : dispatchers) {
            d.offer(status);
        }
    }

    @Override
    public void audit(String actor, String heatpumpId, String sensorId, Double oldValue, Double newValue,
                      String result, String detail) {
        try {
            auditLog.record(actor, heatpumpId, sensorId, oldValue, newValue, result, detail);
        } catch (RuntimeException e) {
            LOG.error("{}: audit record for {} lost: {}", heatpumpId, sensorId, e.toString());
        }
    }

    // ---- drivers -----------------------------------------------------------------------------------------------

    @Override
    public void driversChanged(String manufacturerId, String modelId) {
        synchronized (devices) {
            if (!active) {
                return;
            }
            HeatpumpDriver now = registry.driver(manufacturerId, modelId).orElse(null);
            for (DeviceWorker w : workers.values()) {
                Heatpump hp = w.heatpump();
                if (hp.manufacturer().equals(manufacturerId) && hp.model().equals(modelId)) {
                    w.useDriver(now);
                }
            }
        }
    }

    private void startWorker(Heatpump hp) {
        DeviceWorker w = new DeviceWorker(hp, this);
        workers.put(hp.id(), w);
        w.useDriver(registry.driver(hp.manufacturer(), hp.model()).orElse(null));
    }

    private DeviceWorker worker(String id) throws UnknownHeatpumpException {
        DeviceWorker w = id == null ? null : workers.get(id);
        if (w == null) {
            throw new UnknownHeatpumpException(id);
        }
        return w;
    }

    // ---- configuration -----------------------------------------------------------------------------------------

    @Override
    public List<Heatpump> heatpumps() {
        return workers.values().stream().map(DeviceWorker::heatpump)
                .sorted(Comparator.comparing((Heatpump h) -> h.name() == null ? "" : h.name().toLowerCase())
                        .thenComparing(Heatpump::id))
                .toList();
    }

    @Override
    public Optional<Heatpump> heatpump(String id) {
        DeviceWorker w = id == null ? null : workers.get(id);
        return Optional.ofNullable(w).map(DeviceWorker::heatpump);
    }

    @Override
    public Heatpump create(Heatpump heatpump) throws InvalidConfigurationException {
        synchronized (devices) {
            HeatpumpDriver driver = registry.driver(heatpump.manufacturer(), heatpump.model())
                    .orElseThrow(() -> new InvalidConfigurationException(List.of("no driver installed for "
                            + heatpump.manufacturer() + "/" + heatpump.model())));
            String id = heatpump.id();
            if (id == null || id.isBlank()) {
                do {
                    id = String.format("hp-%08x", ThreadLocalRandom.current().nextInt());
                } while (workers.containsKey(id));
            } else if (workers.containsKey(id)) {
                throw new InvalidConfigurationException(List.of("a device with id " + id + " exists"), true);
            }
            Heatpump valid = validate(heatpump.withId(id), driver, true);
            Instant now = clock.instant();
            Heatpump stored = new Heatpump(id, valid.name(), valid.manufacturer(), valid.model(), valid.connection(),
                    valid.deviceConfig(), valid.pollIntervalSeconds(), valid.enabled(), now, now);
            repository.insert(stored);
            saveDashboard(stored, driver);
            startWorker(stored);
            LOG.info("{}: created {} ({}/{}) at {}", id, stored.name(), stored.manufacturer(), stored.model(),
                    stored.connection().endpointKey());
            return stored;
        }
    }

    @Override
    public Heatpump update(Heatpump heatpump) throws InvalidConfigurationException, UnknownHeatpumpException {
        synchronized (devices) {
            DeviceWorker old = worker(heatpump.id());
            Heatpump before = old.heatpump();
            Optional<HeatpumpDriver> driver = registry.driver(heatpump.manufacturer(), heatpump.model());
            boolean sameModel = before.manufacturer().equals(heatpump.manufacturer())
                    && before.model().equals(heatpump.model());
            if (driver.isEmpty() && !sameModel) {
                throw new InvalidConfigurationException(List.of("no driver installed for "
                        + heatpump.manufacturer() + "/" + heatpump.model()));
            }
            // a device whose driver is missing may still be renamed or moved; driver checks wait for the driver
            Heatpump valid = validate(heatpump, driver.orElse(null), false);
            Heatpump stored = new Heatpump(before.id(), valid.name(), valid.manufacturer(), valid.model(),
                    valid.connection(), valid.deviceConfig(), valid.pollIntervalSeconds(), valid.enabled(),
                    before.createdAt(), clock.instant());
            repository.update(stored);
            old.stop();
            startWorker(stored);
            LOG.info("{}: updated", stored.id());
            return stored;
        }
    }

    @Override
    public void delete(String id) throws UnknownHeatpumpException {
        synchronized (devices) {
            DeviceWorker w = worker(id);
            w.stop();
            workers.remove(id);
            repository.delete(id);
            copStore.delete(id);
            LOG.info("{}: deleted", id);
        }
    }

    @Override
    public Heatpump setEnabled(String id, boolean enabled) throws UnknownHeatpumpException {
        synchronized (devices) {
            DeviceWorker w = worker(id);
            if (w.heatpump().enabled() == enabled) {
                return w.heatpump();
            }
            Heatpump changed = w.heatpump().withEnabled(enabled);
            repository.update(changed);
            w.stop();
            startWorker(changed);
            LOG.info("{}: {}", id, enabled ? "enabled" : "disabled");
            return changed;
        }
    }

    /**
     * Checks a definition and returns it normalised (name trimmed, poll interval defaulted).
     *
     * @param driver null when the driver is missing (update only): driver checks are skipped
     */
    private Heatpump validate(Heatpump h, HeatpumpDriver driver, boolean creating)
            throws InvalidConfigurationException {
        List<String> problems = new ArrayList<>();
        String name = h.name() == null ? "" : h.name().trim();
        if (name.isEmpty()) {
            problems.add("name must not be blank");
        } else if (name.length() > MAX_NAME_LENGTH) {
            problems.add("name must be at most " + MAX_NAME_LENGTH + " characters");
        }
        problems.addAll(connectionProblems(h.connection()));
        int interval = h.pollIntervalSeconds();
        int min = driver == null ? 1 : Math.max(1, driver.minPollIntervalSeconds());
        if (interval == 0) {
            int preferred = config.default_poll_interval_seconds() > 0 ? config.default_poll_interval_seconds()
                    : driver == null ? 30 : driver.defaultPollIntervalSeconds();
            interval = Math.min(MAX_POLL_INTERVAL_SECONDS, Math.max(min, preferred));
        } else if (interval < min) {
            problems.add("poll interval must be at least " + min + " s for this model");
        } else if (interval > MAX_POLL_INTERVAL_SECONDS) {
            problems.add("poll interval must be at most " + MAX_POLL_INTERVAL_SECONDS + " s");
        }
        if (driver != null) {
            problems.addAll(driverProblems(driver, h));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        String endpoint = endpointKey(driver, h.connection());
        for (DeviceWorker w : workers.values()) {
            Heatpump other = w.heatpump();
            if ((creating || !other.id().equals(h.id()))
                    && endpointKey(w.driver(), other.connection()).equals(endpoint)) {
                throw new InvalidConfigurationException(List.of("device " + other.id() + " (" + other.name()
                        + ") already uses " + endpoint), true);
            }
        }
        return new Heatpump(h.id(), name, h.manufacturer(), h.model(), h.connection(), h.deviceConfig(), interval,
                h.enabled(), h.createdAt(), h.updatedAt());
    }

    private static List<String> connectionProblems(ConnectionConfig c) {
        List<String> problems = new ArrayList<>();
        if (c.host().isBlank()) {
            problems.add("host must not be blank");
        }
        if (c.port() < 1 || c.port() > 65535) {
            problems.add("port must be 1-65535");
        }
        if (c.unitId() < 0 || c.unitId() > 255) {
            problems.add("unit id must be 0-255");
        }
        if (c.timeoutMs() < MIN_TIMEOUT_MS || c.timeoutMs() > MAX_TIMEOUT_MS) {
            problems.add("timeout must be " + MIN_TIMEOUT_MS + "-" + MAX_TIMEOUT_MS + " ms");
        }
        return problems;
    }

    private static List<String> driverProblems(HeatpumpDriver driver, Heatpump h) {
        List<String> out = new ArrayList<>();
        try {
            List<String> p = driver.validate(h.deviceConfig());
            out.addAll(p == null ? List.of() : p);
        } catch (RuntimeException e) {
            out.add("driver rejected the device configuration: " + e.getMessage());
        }
        try {
            List<String> p = driver.validateConnection(h.connection());
            out.addAll(p == null ? List.of() : p);
        } catch (RuntimeException e) {
            out.add("driver rejected the connection: " + e.getMessage());
        }
        return out;
    }

    /** The driver's identity of the device behind a connection; host, port and unit without a driver. */
    private static String endpointKey(HeatpumpDriver driver, ConnectionConfig connection) {
        if (driver != null) {
            try {
                return driver.endpointKey(connection);
            } catch (RuntimeException e) {
                LOG.debug("driver {} failed to name an endpoint: {}", driver.modelId(), e.toString());
            }
        }
        return connection.endpointKey();
    }

    private void saveDashboard(Heatpump hp, HeatpumpDriver driver) {
        try {
            DashboardTemplate t = driver.dashboardTemplate(hp.deviceConfig());
            if (t == null) {
                return;
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", t.name());
            List<Map<String, Object>> charts = new ArrayList<>();
            for (DashboardTemplate.Chart c : t.charts()) {
                Map<String, Object> chart = new LinkedHashMap<>();
                chart.put("title", c.title());
                chart.put("type", c.type());
                chart.put("sensors", c.sensors());
                chart.put("hours", c.hours());
                charts.add(chart);
            }
            json.put("charts", charts);
            dashboards.save(new DashboardStore.Dashboard(null, t.name(), hp.id(), JSON.writeValueAsString(json), 0));
        } catch (JsonProcessingException | RuntimeException e) {
            // the device works without its dashboard; the user can add one
            LOG.warn("{}: default dashboard not saved: {}", hp.id(), e.toString());
        }
    }

    // ---- state and values --------------------------------------------------------------------------------------

    @Override
    public DeviceStatus status(String id) throws UnknownHeatpumpException {
        return worker(id).status();
    }

    @Override
    public List<SensorDefinition> sensors(String id) throws UnknownHeatpumpException {
        return worker(id).sensors();
    }

    @Override
    public Optional<DeviceSnapshot> latest(String id) throws UnknownHeatpumpException {
        return Optional.ofNullable(worker(id).latest());
    }

    // ---- writes ------------------------------------------------------------------------------------------------

    @Override
    public WriteResult write(String id, String sensorId, double value, String actor)
            throws UnknownHeatpumpException, WriteRejectedException, DeviceException {
        DeviceWorker w = worker(id);
        String who = actor == null || actor.isBlank() ? "unknown" : actor;
        if (!writeEnabled()) {
            throw reject(w, sensorId, value, who, Reason.WRITES_DISABLED,
                    "writes are disabled; switch on write_enabled in the settings first");
        }
        HeatpumpDriver driver = w.driver();
        if (driver == null) {
            throw reject(w, sensorId, value, who, Reason.DEVICE_UNAVAILABLE,
                    "driver " + w.heatpump().manufacturer() + "/" + w.heatpump().model() + " is not installed");
        }
        SensorDefinition sensor = w.sensors().stream().filter(s -> s.id().equals(sensorId)).findFirst()
                .orElseThrow(() -> reject(w, sensorId, value, who, Reason.UNKNOWN_SENSOR,
                        "device " + id + " has no sensor '" + sensorId + "'"));
        try {
            WriteValidator.check(sensor, value);
        } catch (WriteRejectedException e) {
            throw reject(w, sensorId, value, who, e.reason(), e.getMessage());
        }
        Optional<String> refused;
        try {
            refused = driver.refuseWrite(sensor, value, w.latest());
        } catch (RuntimeException e) {
            refused = Optional.of("driver check failed: " + e.getMessage());
        }
        if (refused != null && refused.isPresent()) {
            throw reject(w, sensorId, value, who, Reason.REFUSED_BY_DRIVER, refused.get());
        }
        Instant retryAt = w.rateLimitedUntil();
        if (retryAt != null) {
            // a quota says "not before": the write would only spend a call on another 429, so it is not sent, and
            // the caller learns when to try again (the web answers 429, not 503: nothing is broken, only spent)
            String message = "device " + id + " is rate limited until " + retryAt + "; the write was not sent";
            auditRejected(w, sensorId, value, who, message);
            LOG.info("{}: write of {} by {} rejected: rate limited until {}", id, sensorId, who, retryAt);
            throw new DeviceRateLimitedException(message, retryAt);
        }
        DeviceState state = w.state();
        if (state != DeviceState.ONLINE && state != DeviceState.DEGRADED && state != DeviceState.CONNECTING) {
            throw reject(w, sensorId, value, who, Reason.DEVICE_UNAVAILABLE,
                    "device " + id + " is " + state.name().toLowerCase().replace('_', ' '));
        }
        return w.write(sensor, value, who);
    }

    private WriteRejectedException reject(DeviceWorker w, String sensorId, double value, String actor, Reason reason,
                                          String message) {
        auditRejected(w, sensorId, value, actor, message);
        LOG.info("{}: write of {} by {} rejected ({}): {}", w.heatpump().id(), sensorId, actor, reason, message);
        return new WriteRejectedException(reason, message);
    }

    private void auditRejected(DeviceWorker w, String sensorId, double value, String actor, String message) {
        DeviceSnapshot latest = w.latest();
        SensorReading current = latest == null ? null : latest.reading(sensorId);
        audit(actor, w.heatpump().id(), sensorId, current == null ? null : current.value(),
                Double.isFinite(value) ? value : null, "rejected", message);
    }

    @Override
    public boolean writeEnabled() {
        return settings.get(SettingsStore.WRITE_ENABLED).map(v -> v.trim().equalsIgnoreCase("true")).orElse(false);
    }

    @Override
    public void setWriteEnabled(boolean enabled, String actor) {
        boolean before = writeEnabled();
        settings.put(SettingsStore.WRITE_ENABLED, Boolean.toString(enabled));
        audit(actor == null ? "unknown" : actor, null, SettingsStore.WRITE_ENABLED, before ? 1.0 : 0.0,
                enabled ? 1.0 : 0.0, "ok", "writes " + (enabled ? "enabled" : "disabled"));
        LOG.info("writes {} by {}", enabled ? "enabled" : "disabled", actor);
    }

    @Override
    public Map<String, Double> held(String heatpumpId) {
        DeviceWorker w = heatpumpId == null ? null : workers.get(heatpumpId);
        return w == null ? Map.of() : w.held();
    }

    @Override
    public boolean release(String heatpumpId, String sensorId) {
        DeviceWorker w = heatpumpId == null ? null : workers.get(heatpumpId);
        return w != null && w.release(sensorId);
    }

    // ---- setup wizard ------------------------------------------------------------------------------------------

    @Override
    public ReadResult testConnection(Heatpump heatpump) throws DeviceException, InvalidConfigurationException {
        HeatpumpDriver driver = registry.driver(heatpump.manufacturer(), heatpump.model())
                .orElseThrow(() -> new InvalidConfigurationException(List.of("no driver installed for "
                        + heatpump.manufacturer() + "/" + heatpump.model())));
        List<String> problems = new ArrayList<>(connectionProblems(heatpump.connection()));
        problems.addAll(driverProblems(driver, heatpump));
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        List<SensorDefinition> few = driver.sensors(heatpump.deviceConfig()).stream()
                .filter(SensorDefinition::readable).limit(TEST_CONNECTION_SENSORS).toList();
        // a fresh session, not the device's worker: the wizard tests settings that may not be saved yet
        try (DeviceSession session = driver.open(heatpump.connection(), heatpump.deviceConfig())) {
            return session.read(few);
        } catch (DeviceException e) {
            throw ConnectionDiagnostics.failed(e, driver.protocol(), heatpump.connection());
        }
    }
}
