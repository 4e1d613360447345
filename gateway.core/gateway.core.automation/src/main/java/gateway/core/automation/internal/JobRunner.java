package gateway.core.automation.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.Automation.RunOutcome;
import gateway.core.api.DeviceException;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.JobStore;
import gateway.core.api.JobStore.Job;
import gateway.core.api.SensorDefinition;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.WriteRejectedException;
import gateway.core.api.WriteResult;

/**
 * Runs the stored jobs when they are due, through the manager's write path, and records each run.
 *
 * <p>{@link #tick} is called with the current time (often, e.g. every second); a job runs when the latest due
 * instant of its calendar is less than a minute old and after its stored {@code last_run}. The run is claimed in the
 * store ({@link JobStore#claimRun}) before anything is written, so a restart, a second tick or a second gateway on
 * the same database cannot run it again. A due instant more than a minute old was missed (the gateway was down, or
 * stalled): it is made up once when the job's {@code catch_up_minutes} reach it, otherwise recorded as skipped.
 */
final class JobRunner {

    static final String OK = "ok";
    static final String SKIPPED = "skipped";
    static final String REJECTED = "rejected";
    static final String FAILED = "failed";

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final Duration DUE_WINDOW = Duration.ofMinutes(1);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final JobStore jobs;
    private final HeatpumpManager manager;
    private final ZoneId zone;
    /**
     * The previous tick: a due instant after it and more than a minute ago fell into a pause (down or stalled). At
     * start it is the last tick the previous run recorded; null (a first start, or a store without a record) means
     * the first tick judges nothing as missed, since nothing says the gateway was meant to be running before.
     */
    private Instant previousTick;
    private boolean started;
    /** The schedules (id, time, days, enabled) seen at the last tick, to notice a new or changed one. */
    private String schedules;
    private boolean schedulesChanged;

    JobRunner(JobStore jobs, HeatpumpManager manager, ZoneId zone) {
        this(jobs, manager, zone, null);
    }

    /** @param lastAlive the last tick of the gateway's previous run, if it recorded one */
    JobRunner(JobStore jobs, HeatpumpManager manager, ZoneId zone, Instant lastAlive) {
        this.jobs = jobs;
        this.manager = manager;
        this.zone = zone;
        this.previousTick = lastAlive;
    }

    ZoneId zone() {
        return zone;
    }

    /** Marks runs left "running" by a gateway that stopped in the middle of them. */
    void recoverInterruptedRuns() {
        for (Job job : jobs.list(null)) {
            if (JobStore.RESULT_RUNNING.equals(job.lastResult())) {
                jobs.recordResult(job.id(), FAILED, "interrupted: the gateway stopped during the run");
                LOG.warn("job {}: the run at {} was interrupted by a stop", job.id(), job.lastRun());
            }
        }
    }

    /** Runs every job due at {@code now} on the calling thread; returns the outcomes (for tests and logs). */
    List<RunOutcome> tick(Instant now) {
        List<RunOutcome> outcomes = new ArrayList<>();
        for (Job job : claimDue(now)) {
            outcomes.add(run(job, now));
        }
        return outcomes;
    }

    /**
     * Claims every job due at {@code now} in the store and returns those to run; the caller runs each with
     * {@link #run} (the service does so off its timer thread, so a device that is slow to write holds up neither the
     * alerts nor the other devices' jobs). Missed runs outside their catch-up window are recorded as skipped here.
     */
    synchronized List<Job> claimDue(Instant now) {
        if (!started) {
            started = true;
            if (previousTick == null) {
                previousTick = now;
            }
        }
        List<Job> claimed = new ArrayList<>();
        List<Job> all = jobs.list(null);
        String seen = all.stream().map(j -> j.id() + "|" + j.time() + "|" + j.days() + "|" + j.enabled()).sorted()
                .collect(Collectors.joining(";"));
        if (!seen.equals(schedules)) {
            schedules = seen;
            schedulesChanged = true;
        }
        for (Job job : all) {
            if (!job.enabled()) {
                continue;
            }
            Optional<JobCalendar> calendar = JobCalendar.of(job.time(), job.days(), zone);
            if (calendar.isEmpty()) {
                continue;
            }
            Instant due = calendar.get().latestDue(now);
            if (due == null || job.lastRun() != null && !job.lastRun().isBefore(due)) {
                continue;
            }
            Duration late = Duration.between(due, now);
            boolean inTime = late.compareTo(DUE_WINDOW) < 0;
            boolean missed = !inTime && previousTick.isBefore(due);
            if (!inTime && !missed) {
                continue; // due before the job existed or was enabled: nothing was missed
            }
            if (!jobs.claimRun(job.id(), due)) {
                continue;
            }
            if (inTime || late.compareTo(Duration.ofMinutes(job.catchUpMinutes())) <= 0) {
                claimed.add(job);
            } else {
                String reason = "missed at " + LOCAL.format(due.atZone(zone)) + " (the gateway was not running);"
                        + " catch_up_minutes " + job.catchUpMinutes() + " did not reach it";
                jobs.recordResult(job.id(), SKIPPED, reason);
                LOG.info("job {}: {}", job.id(), reason);
            }
        }
        previousTick = now;
        return claimed;
    }

    /**
     * True once after a tick that saw a job created, re-timed or enabled: the service then records the tick at once
     * instead of within the minute. A restart judges a due instant after the recorded tick as missed and may make it
     * up with a write; that a new job's past due instant is never after the recorded tick then holds by construction,
     * not only because the recording period (a minute plus a tick) and the due window (a minute) nearly coincide.
     */
    synchronized boolean takeSchedulesChanged() {
        boolean changed = schedulesChanged;
        schedulesChanged = false;
        return changed;
    }

    /** The last tick, for the service to record so the next start knows how long the gateway was away. */
    synchronized Instant lastTick() {
        return started ? previousTick : null;
    }

    /** Runs a job now whatever its schedule (the API's "run now"). */
    RunOutcome runNow(Job job, Instant now) {
        jobs.startManualRun(job.id(), now);
        return run(job, now);
    }

    Optional<Instant> nextRun(Job job, Instant now) {
        if (!job.enabled()) {
            return Optional.empty();
        }
        return JobCalendar.of(job.time(), job.days(), zone).map(c -> c.nextAfter(now));
    }

    /** Writes a claimed job's value through the manager and records the outcome. */
    RunOutcome run(Job job, Instant now) {
        String actor = "job:" + job.id();
        String result;
        String reason;
        try {
            OptionalDouble value = value(job);
            if (value.isEmpty()) {
                result = REJECTED;
                reason = "'" + job.value() + "' is not a value of sensor '" + job.sensor() + "'";
            } else {
                WriteResult written = manager.write(job.heatpumpId(), job.sensor(), value.getAsDouble(), actor);
                result = outcome(written);
                reason = written.message();
            }
        } catch (WriteRejectedException e) {
            result = e.reason() == WriteRejectedException.Reason.WRITES_DISABLED ? SKIPPED : REJECTED;
            reason = e.getMessage();
        } catch (UnknownHeatpumpException e) {
            result = FAILED;
            reason = "no heat pump '" + job.heatpumpId() + "'";
        } catch (DeviceException e) {
            result = FAILED;
            reason = e.getMessage();
        } catch (RuntimeException e) {
            result = FAILED;
            reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warn("job {}: run failed", job.id(), e);
        }
        jobs.recordResult(job.id(), result, reason);
        LOG.info("job {} on {}: {} = {} -> {} ({})", job.id(), job.heatpumpId(), job.sensor(), job.value(), result,
                reason);
        return new RunOutcome(job.id(), now, result, reason);
    }

    /** As the audit has it: an unchanged EEPROM value is skipped, a read-back that differs is a failure. */
    static String outcome(WriteResult written) {
        if (!written.written()) {
            return SKIPPED;
        }
        Double back = written.readBack();
        double requested = written.requested();
        if (back != null && Math.abs(back - requested) > 1e-3 * Math.max(1, Math.abs(requested))) {
            return FAILED;
        }
        return OK;
    }

    private OptionalDouble value(Job job) throws UnknownHeatpumpException {
        OptionalDouble number = SensorValues.number(job.value() == null ? "" : job.value());
        if (number.isPresent()) {
            return number;
        }
        SensorDefinition sensor = manager.sensors(job.heatpumpId()).stream()
                .filter(s -> s.id().equals(job.sensor())).findFirst().orElse(null);
        return SensorValues.parse(sensor, job.value());
    }
}
