package gateway.core.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Stored alert definitions (threshold or periodic status); the engine that evaluates them is separate. */
@ProviderType
public interface AlertStore {

    /**
     * @param type      "threshold" or "status"
     * @param condition one of {@code > < = !=} (threshold alerts)
     * @param threshold compared value, as text
     * @param intervalSeconds cooldown (threshold) or period (status); 0 = none
     */
    record Alert(String id, String heatpumpId, String name, String type, String sensor, String condition,
                 String threshold, String message, boolean enabled, int intervalSeconds, Instant lastTriggered) {
    }

    /** @param heatpumpId a device, or null for every alert */
    List<Alert> list(String heatpumpId);

    Optional<Alert> get(String id);

    /** Inserts (a new id when id is null or blank) or replaces the alert with that id. */
    Alert save(Alert alert);

    boolean delete(String id);
}
