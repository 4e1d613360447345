package gateway.core.api;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/** The push of readings to a time-series database (VictoriaMetrics or anything that accepts its import). */
@ProviderType
public interface MetricsPush {

    /**
     * @param enabled        whether a target is configured
     * @param state          {@code disabled}, {@code ok}, {@code retrying}, {@code misconfigured} (bad URL: nothing is
     *                       sent), {@code unauthorized} (401/403 from the target; data is kept), {@code unreachable}
     * @param target         the configured URL without credentials, or null
     * @param format         {@code influx}, {@code prometheus} or {@code remote_write}
     * @param lastError      text of the last failure, or null
     * @param lastErrorAt    when it happened
     * @param lastSuccess    when a batch was last accepted
     * @param pointsSent     points accepted by the target since start
     * @param pointsDropped  points lost because the spool was full or the target rejected them as malformed
     * @param spoolBatches   batches waiting on disk
     * @param spoolBytes     their size
     * @param lagSeconds     age of the oldest waiting point, 0 when nothing waits
     */
    record Status(boolean enabled, String state, String target, String format, String lastError, Instant lastErrorAt,
                  Instant lastSuccess, long pointsSent, long pointsDropped, int spoolBatches, long spoolBytes,
                  double lagSeconds) {
    }

    Status status();
}
