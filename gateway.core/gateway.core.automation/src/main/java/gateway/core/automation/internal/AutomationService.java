package gateway.core.automation.internal;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.AlertStore;
import gateway.core.api.AnomalyStore;
import gateway.core.api.Automation;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceStatus;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.JobStore;
import gateway.core.api.ManufacturerRegistry;
import gateway.core.api.NotificationOutbox;
import gateway.core.api.ReadingListener;
import gateway.core.api.SettingsStore;
import gateway.core.api.UnknownHeatpumpException;

/**
 * The automation component: runs the job scheduler and the alert engine on one timer thread and receives every
 * snapshot as a {@link ReadingListener}. Due jobs are claimed on the timer and written by a few worker threads, so
 * a device that is slow to answer holds up neither time-driven alerts nor other devices' jobs. The notification outbox and the anomaly store are optional and may come and
 * go; without an outbox, alert events are still recorded in the history.
 *
 * <p>Time comes from a {@link Clock} service with the property {@value #CLOCK_PROPERTY}{@code =true} when one is
 * registered (tests drive simulated time with it), else from the system clock.
 */
@Component(service = { Automation.class, ReadingListener.class }, configurationPid = AutomationService.PID,
        immediate = true)
@Designate(ocd = AutomationConfig.class)
public final class AutomationService implements Automation, ReadingListener {

    public static final String PID = "gateway.automation";
    /** Service property of a {@link Clock} that replaces the system clock (simulated time in tests). */
    public static final String CLOCK_PROPERTY = "gateway.automation.clock";

    private static final Logger LOG = LoggerFactory.getLogger(AutomationService.class);
    /** Parallel job writes: the manager serialises per device anyway; a few hung devices must not block the rest. */
    static final int JOB_WRITERS = 4;
    /** Settings key of the scheduler's last tick (ISO instant), recorded once a minute and at stop. */
    static final String LAST_TICK_SETTING = "automation.last_tick";

    /** Delegates to the registered clock while there is one, else to the system clock. */
    private static final class SwitchableClock extends Clock {
        private final ZoneId zone;
        private volatile Clock delegate;

        SwitchableClock(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId z) {
            return Clock.fixed(instant(), z);
        }

        @Override
        public Instant instant() {
            Clock c = delegate;
            return c == null ? Instant.now() : c.instant();
        }
    }

    private final JobStore jobs;
    private final SettingsStore settings;
    private final SwitchableClock clock;
    private final JobRunner jobRunner;
    private final AlertEngine alertEngine;
    private final AlertTemplates templates;
    private final AutomationConfig config;
    private final ScheduledExecutorService timer;
    /** Job writes run here, not on the timer: a write waits for the device (up to its timeout, or a whole poll). */
    private final ThreadPoolExecutor jobWriters;
    private volatile NotificationOutbox outbox;
    private volatile AnomalyStore anomalies;
    /** Real time: when the scheduler's last tick was recorded in the settings (once a minute is enough). */
    private long lastAliveRecordedNanos;
    /** Real time (not the possibly simulated clock): re-reading definitions is about edits people make now. */
    private long lastReloadNanos;

    @Activate
    public AutomationService(@Reference HeatpumpManager manager, @Reference JobStore jobs,
                             @Reference AlertStore alerts, @Reference ManufacturerRegistry registry,
                             @Reference SettingsStore settings, AutomationConfig config) {
        this(manager, jobs, alerts, registry, settings, config, null);
    }

    /** For tests: {@code simulated} (if not null) is the clock from the first tick on. */
    AutomationService(HeatpumpManager manager, JobStore jobs, AlertStore alerts, ManufacturerRegistry registry,
                      SettingsStore settings, AutomationConfig config, Clock simulated) {
        this.jobs = jobs;
        this.settings = settings;
        this.config = config;
        this.clock = new SwitchableClock(zone(config.time_zone()));
        this.clock.delegate = simulated;
        this.jobRunner = new JobRunner(jobs, manager, clock.getZone(), lastAlive(settings));
        this.alertEngine = new AlertEngine(alerts, manager, () -> outbox, () -> anomalies, clock, clock.getZone());
        this.templates = new AlertTemplates(manager, registry);
        jobRunner.recoverInterruptedRuns();
        alertEngine.reload();
        lastReloadNanos = System.nanoTime();
        AtomicInteger writerCount = new AtomicInteger();
        jobWriters = new ThreadPoolExecutor(JOB_WRITERS, JOB_WRITERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "gateway-job-" + writerCount.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        jobWriters.allowCoreThreadTimeOut(true);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-automation");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(100, config.tick_millis());
        timer.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        LOG.info("automation started: time zone {}, jobs {}, alerts {} ({} enabled)", clock.getZone(),
                config.jobs_enabled() ? "on" : "off", config.alerts_enabled() ? "on" : "off",
                alertEngine.ruleCount());
    }

    /** The last tick the previous run recorded: jobs due after it and before this start were missed. */
    static Instant lastAlive(SettingsStore settings) {
        try {
            return settings.get(LAST_TICK_SETTING).map(Instant::parse).orElse(null);
        } catch (DateTimeException e) {
            LOG.warn("setting {} is not an instant; judging no job as missed", LAST_TICK_SETTING);
            return null;
        }
    }

    private void recordAlive(boolean now) {
        Instant last = jobRunner.lastTick();
        if (last != null && (now || System.nanoTime() - lastAliveRecordedNanos >= TimeUnit.MINUTES.toNanos(1))) {
            settings.put(LAST_TICK_SETTING, last.toString());
            lastAliveRecordedNanos = System.nanoTime();
        }
    }

    static ZoneId zone(String configured) {
        if (configured == null || configured.isBlank()) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(configured.trim());
        } catch (DateTimeException e) {
            LOG.warn("time_zone '{}' is not a zone id; using the system's {}", configured, ZoneId.systemDefault());
            return ZoneId.systemDefault();
        }
    }

    @Deactivate
    public void deactivate() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            recordAlive(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("could not record the scheduler's last tick: {}", e.toString());
        }
        // a run cut short here stays "running" in the store and is reported as interrupted at the next start
        jobWriters.shutdownNow();
        try {
            jobWriters.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setOutbox(NotificationOutbox box) {
        this.outbox = box;
    }

    void unsetOutbox(NotificationOutbox box) {
        if (this.outbox == box) {
            this.outbox = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAnomalies(AnomalyStore store) {
        this.anomalies = store;
    }

    void unsetAnomalies(AnomalyStore store) {
        if (this.anomalies == store) {
            this.anomalies = null;
        }
    }

    @Reference(service = Clock.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + CLOCK_PROPERTY + "=true)")
    void setClock(Clock replacement) {
        clock.delegate = replacement;
        LOG.info("automation clock replaced: {}", replacement.instant());
    }

    void unsetClock(Clock replacement) {
        if (clock.delegate == replacement) {
            clock.delegate = null;
        }
    }

    private void tick() {
        try {
            Instant now = clock.instant();
            if (config.jobs_enabled()) {
                for (JobStore.Job job : jobRunner.claimDue(now)) {
                    jobWriters.execute(() -> jobRunner.run(job, now));
                }
                recordAlive(jobRunner.takeSchedulesChanged());
            }
            if (config.alerts_enabled()) {
                if (System.nanoTime() - lastReloadNanos >= TimeUnit.SECONDS.toNanos(config.reload_seconds())) {
                    alertEngine.reload();
                    lastReloadNanos = System.nanoTime();
                }
                alertEngine.tick();
            }
        } catch (RuntimeException e) {
            // a store restart or a bad row must not stop the timer thread
            LOG.warn("automation tick failed: {}", e.toString());
        }
    }

    @Override
    public void snapshot(DeviceSnapshot snapshot) {
        if (config.alerts_enabled()) {
            alertEngine.snapshot(snapshot);
        }
    }

    @Override
    public void stateChanged(DeviceStatus status) {
        alertEngine.stateChanged(status);
    }

    @Override
    public ZoneId timeZone() {
        return clock.getZone();
    }

    @Override
    public RunOutcome runNow(String jobId) throws NoSuchJobException {
        JobStore.Job job = jobs.get(jobId).orElseThrow(() -> new NoSuchJobException(jobId));
        return jobRunner.runNow(job, clock.instant());
    }

    @Override
    public Optional<Instant> nextRun(JobStore.Job job) {
        return jobRunner.nextRun(job, clock.instant());
    }

    @Override
    public List<AlertTemplate> templates(String heatpumpId) throws UnknownHeatpumpException {
        return templates.forDevice(heatpumpId);
    }
}
