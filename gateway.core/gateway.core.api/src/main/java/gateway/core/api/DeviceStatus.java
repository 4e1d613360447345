package gateway.core.api;

import java.time.Instant;

/**
 * The manager's record of one device.
 *
 * @param errorCount        failed polls in a row (0 after a good poll)
 * @param totalErrors       failed polls since start
 * @param lastError         text of the last error, or null
 * @param lastErrorAt       when it happened
 * @param lastSuccess       time of the last poll that returned data
 * @param requestsLastPoll  protocol requests in the last poll
 * @param bytesLastPoll     payload bytes received in the last poll
 * @param lastPollMillis    duration of the last poll
 * @param nextAttempt       when the next poll or reconnect is due
 * @param reconnects        connections opened since start
 */
public record DeviceStatus(String heatpumpId, DeviceState state, int errorCount, long totalErrors, String lastError,
                           Instant lastErrorAt, Instant lastSuccess, int requestsLastPoll, long bytesLastPoll,
                           long lastPollMillis, Instant nextAttempt, long reconnects, int sensorCount) {
}
