package gateway.core.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The one store of dashboards, per device (heatpumpId) or overview (heatpumpId null). */
@ProviderType
public interface DashboardStore {

    /** @param config the dashboard as JSON text (name and charts) */
    record Dashboard(String id, String name, String heatpumpId, String config, int position) {
    }

    List<Dashboard> list(String heatpumpId);

    Optional<Dashboard> get(String id);

    Dashboard save(Dashboard dashboard);

    boolean delete(String id);
}
