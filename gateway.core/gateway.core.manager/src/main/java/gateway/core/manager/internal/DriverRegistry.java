package gateway.core.manager.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.HeatpumpDriver;
import gateway.core.api.ManufacturerRegistry;

/**
 * The drivers present right now, tracked from the service registry. It is the one place that follows driver
 * services: the manager listens here (inside the bundle) instead of tracking drivers a second time.
 */
@Component(name = DriverRegistry.COMPONENT_NAME, service = ManufacturerRegistry.class, immediate = true)
public class DriverRegistry implements ManufacturerRegistry {

    /** The manager of this bundle finds this registry (and its listener hook) by this name. */
    public static final String COMPONENT_NAME = "gateway.core.manager.drivers";

    private static final Logger LOG = LoggerFactory.getLogger(DriverRegistry.class);

    /** Told after a driver for a model arrived or left; look the current driver up again with {@link #driver}. */
    public interface DriverListener {
        void driversChanged(String manufacturerId, String modelId);
    }

    /** Per manufacturer/model, in bind order; the first one is used (a second registration waits as a spare). */
    private final Map<String, List<HeatpumpDriver>> drivers = new ConcurrentHashMap<>();
    private final List<DriverListener> listeners = new CopyOnWriteArrayList<>();
    /** Keeps arrival and departure events in order; lookups never take it. */
    private final Object events = new Object();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindDriver(HeatpumpDriver driver) {
        synchronized (events) {
            drivers.computeIfAbsent(key(driver.manufacturerId(), driver.modelId()), k -> new CopyOnWriteArrayList<>())
                    .add(driver);
            LOG.info("driver added: {}/{}", driver.manufacturerId(), driver.modelId());
            notifyListeners(driver.manufacturerId(), driver.modelId());
        }
    }

    public void unbindDriver(HeatpumpDriver driver) {
        synchronized (events) {
            String key = key(driver.manufacturerId(), driver.modelId());
            List<HeatpumpDriver> list = drivers.get(key);
            if (list == null || !list.removeIf(d -> d == driver)) {
                return;
            }
            drivers.computeIfPresent(key, (k, l) -> l.isEmpty() ? null : l);
            LOG.info("driver removed: {}/{}", driver.manufacturerId(), driver.modelId());
            notifyListeners(driver.manufacturerId(), driver.modelId());
        }
    }

    public void addDriverListener(DriverListener listener) {
        listeners.add(listener);
    }

    public void removeDriverListener(DriverListener listener) {
        listeners.remove(listener);
    }

    private void notifyListeners(String manufacturerId, String modelId) {
        for (DriverListener l : listeners) {
            try {
                l.driversChanged(manufacturerId, modelId);
            } catch (RuntimeException e) {
                LOG.warn("driver listener failed for {}/{}: {}", manufacturerId, modelId, e.toString());
            }
        }
    }

    @Override
    public List<Manufacturer> manufacturers() {
        Map<String, List<HeatpumpDriver>> byManufacturer = new TreeMap<>();
        for (List<HeatpumpDriver> list : drivers.values()) {
            if (!list.isEmpty()) {
                HeatpumpDriver d = list.get(0);
                byManufacturer.computeIfAbsent(d.manufacturerId(), k -> new ArrayList<>()).add(d);
            }
        }
        List<Manufacturer> result = new ArrayList<>();
        byManufacturer.forEach((id, list) -> {
            list.sort(Comparator.comparing(HeatpumpDriver::modelId));
            List<Model> models = list.stream()
                    .map(d -> new Model(d.modelId(), d.modelName(), d.protocol(), d.defaultPort()))
                    .toList();
            result.add(new Manufacturer(id, list.get(0).manufacturerName(), models));
        });
        return result;
    }

    @Override
    public Optional<HeatpumpDriver> driver(String manufacturerId, String modelId) {
        if (manufacturerId == null || modelId == null) {
            return Optional.empty();
        }
        List<HeatpumpDriver> list = drivers.get(key(manufacturerId, modelId));
        if (list == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(list.get(0));
        } catch (IndexOutOfBoundsException e) {
            return Optional.empty(); // emptied concurrently
        }
    }

    private static String key(String manufacturerId, String modelId) {
        return manufacturerId + "/" + modelId;
    }
}
