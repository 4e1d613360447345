package gateway.core.api;

import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The append-only trail of every change to a device or the gateway's safety settings. */
@ProviderType
public interface AuditLog {

    /**
     * @param result  {@code ok}, {@code skipped}, {@code rejected}, {@code failed}
     */
    record Entry(long id, Instant time, String actor, String heatpumpId, String sensorId, Double oldValue,
                 Double newValue, String result, String detail) {
    }

    Entry record(String actor, String heatpumpId, String sensorId, Double oldValue, Double newValue, String result,
                 String detail);

    /** Newest first; heatpumpId null for all devices. */
    List<Entry> recent(String heatpumpId, int limit);
}
