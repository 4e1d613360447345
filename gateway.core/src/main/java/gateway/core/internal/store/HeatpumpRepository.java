package gateway.core.internal.store;

import java.util.List;
import java.util.Optional;

import gateway.core.api.Heatpump;

/** Stored device definitions (table {@code heatpumps}); a service private to gateway.core. */
public interface HeatpumpRepository {

    List<Heatpump> all();

    Optional<Heatpump> find(String id);

    void insert(Heatpump heatpump);

    void update(Heatpump heatpump);

    /** Deletes the device and its dashboards; jobs and alerts keep their rows. */
    boolean delete(String id);
}
