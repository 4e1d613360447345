package gateway.core.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Stored job definitions (write a value at a time of day on some weekdays) and the record of their last run. */
@ProviderType
public interface JobStore {

    /** Result of the last run (stored lower case: {@code ok}, {@code skipped}, {@code rejected}, {@code failed}). */
    String RESULT_RUNNING = "running";

    /**
     * @param value          the value to write, as text (a number, an enum key or an enum label)
     * @param time           local time "HH:MM" in the gateway's time zone
     * @param days           weekday abbreviations mon..sun; empty = every day
     * @param lastRun        the due time of the last run that was started (scheduled), or when it was run by hand
     * @param catchUpMinutes a run missed while the gateway was down is made up when it is back within this many
     *                       minutes; 0 = missed runs are skipped
     * @param lastResult     {@code ok}, {@code skipped}, {@code rejected}, {@code failed}, {@code running}, or null
     * @param lastReason     why (the write's message or the reason it did not happen), or null
     */
    record Job(String id, String heatpumpId, String sensor, String value, String time, List<String> days,
               boolean enabled, Instant lastRun, int catchUpMinutes, String lastResult, String lastReason) {
        public Job {
            days = days == null ? List.of() : List.copyOf(days);
            catchUpMinutes = Math.max(0, catchUpMinutes);
        }

        /** A job that has not run yet and makes up no missed runs. */
        public Job(String id, String heatpumpId, String sensor, String value, String time, List<String> days,
                   boolean enabled, Instant lastRun) {
            this(id, heatpumpId, sensor, value, time, days, enabled, lastRun, 0, null, null);
        }
    }

    /** @param heatpumpId a device, or null for every job */
    List<Job> list(String heatpumpId);

    Optional<Job> get(String id);

    /**
     * Inserts (a new id when id is null or blank) or replaces the definition of the job with that id; the run record
     * ({@code lastRun}, {@code lastResult}, {@code lastReason}) of an existing job is kept as stored.
     */
    Job save(Job job);

    boolean delete(String id);

    /**
     * Claims the run due at {@code due}: sets {@code lastRun = due} and the result {@link #RESULT_RUNNING} only if the
     * job's stored {@code lastRun} is null or earlier, in one statement. A scheduler writes this before it writes to
     * the device, so a run is never started twice for the same due time, not even across a restart.
     *
     * @return true when this caller claimed the run
     */
    boolean claimRun(String id, Instant due);

    /** Marks a run by hand (unconditionally) at {@code at}, result {@link #RESULT_RUNNING}. */
    void startManualRun(String id, Instant at);

    /** Records how the claimed run ended. */
    void recordResult(String id, String result, String reason);
}
