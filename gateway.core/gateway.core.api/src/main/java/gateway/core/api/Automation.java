package gateway.core.api;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The job scheduler and alert engine, for the API: run a job now, the next run, the alert templates. */
@ProviderType
public interface Automation {

    /** How a run ended: {@code ok}, {@code skipped}, {@code rejected} or {@code failed}, and why. */
    record RunOutcome(String jobId, Instant time, String result, String reason) {
    }

    /**
     * An alert template for one device: the alert it suggests, or why the device cannot serve it.
     *
     * @param role        the sensor role it needs, or null
     * @param sensor      the device's sensor for the role, or null when {@code unavailable} says why not
     * @param unavailable why the device cannot serve it, or null when it can
     */
    record AlertTemplate(String id, String name, String description, String heatpumpId, String type,
                         SensorRole role, String sensor, String condition, String threshold, int intervalSeconds,
                         int forSeconds, double hysteresis, String message, String unavailable) {
    }

    /** The zone job times are in. */
    ZoneId timeZone();

    /** Runs the job now through the manager's write path (actor {@code job:<id>}) and records the result. */
    RunOutcome runNow(String jobId) throws NoSuchJobException;

    /** When the job runs next (after now); empty when it is disabled or has no valid schedule. */
    Optional<Instant> nextRun(JobStore.Job job);

    /** The templates for the device, each with its sensor or the reason it does not apply. */
    List<AlertTemplate> templates(String heatpumpId) throws UnknownHeatpumpException;

    /** A job id that names no job. */
    class NoSuchJobException extends Exception {
        private static final long serialVersionUID = 1L;

        public NoSuchJobException(String jobId) {
            super("no job '" + jobId + "'");
        }
    }
}
