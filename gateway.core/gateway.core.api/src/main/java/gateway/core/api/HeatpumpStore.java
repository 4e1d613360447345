package gateway.core.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Stored device definitions, implemented by the store bundle and used by the manager (the only writer: everyone else
 * changes devices through {@link HeatpumpManager}, which validates them).
 */
@ProviderType
public interface HeatpumpStore {

    List<Heatpump> all();

    Optional<Heatpump> find(String id);

    void insert(Heatpump heatpump);

    void update(Heatpump heatpump);

    /** Deletes the device and its dashboards; jobs and alerts keep their rows. */
    boolean delete(String id);
}
