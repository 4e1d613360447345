package gateway.core.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The manufacturers and models whose drivers are present right now. */
@ProviderType
public interface ManufacturerRegistry {

    record Model(String id, String name, String protocol, int defaultPort) {
    }

    record Manufacturer(String id, String name, List<Model> models) {
        public Manufacturer {
            models = List.copyOf(models);
        }
    }

    List<Manufacturer> manufacturers();

    Optional<HeatpumpDriver> driver(String manufacturerId, String modelId);
}
