package gateway.core.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Stored job definitions (write a value at a time of day on some weekdays); the engine that runs them is separate. */
@ProviderType
public interface JobStore {

    /**
     * @param value the value to write, as text (a number or an enum label)
     * @param time  local time "HH:MM"
     * @param days  weekday abbreviations mon..sun; empty = every day
     */
    record Job(String id, String heatpumpId, String sensor, String value, String time, List<String> days,
               boolean enabled, Instant lastRun) {
        public Job {
            days = days == null ? List.of() : List.copyOf(days);
        }
    }

    /** @param heatpumpId a device, or null for every job */
    List<Job> list(String heatpumpId);

    Optional<Job> get(String id);

    /** Inserts (a new id when id is null or blank) or replaces the job with that id. */
    Job save(Job job);

    boolean delete(String id);
}
