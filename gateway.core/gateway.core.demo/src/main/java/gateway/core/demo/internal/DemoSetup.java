package gateway.core.demo.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.HeatpumpSimulator;
import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.ManufacturerRegistry;
import gateway.core.api.SettingsStore;
import gateway.core.api.UnknownHeatpumpException;

/**
 * Demo mode (framework property {@code gateway.demo=true}): one running simulator per registered
 * {@link HeatpumpSimulator} and one device pointing at it, created once per model and moved to the simulator's new
 * port on later starts. Without the property the component stays idle.
 */
@Component(immediate = true)
public class DemoSetup {

    public static final String DEMO_PROPERTY = "gateway.demo";
    static final String HOST = "127.0.0.1";
    /** A simulator's driver may register a moment after the simulator: retry this often, once per second. */
    static final int DRIVER_WAIT_ATTEMPTS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(DemoSetup.class);

    private final HeatpumpManager manager;
    private final ManufacturerRegistry registry;
    private final SettingsStore settings;
    private final boolean enabled;
    private final ScheduledExecutorService executor;
    /** Guarded by this. */
    private final Map<HeatpumpSimulator, HeatpumpSimulator.Running> running = new HashMap<>();
    private boolean active = true;

    @Activate
    public DemoSetup(@Reference HeatpumpManager manager, @Reference ManufacturerRegistry registry,
                     @Reference SettingsStore settings, BundleContext context) {
        this(manager, registry, settings, "true".equalsIgnoreCase(context.getProperty(DEMO_PROPERTY)));
    }

    public DemoSetup(HeatpumpManager manager, ManufacturerRegistry registry, SettingsStore settings, boolean enabled) {
        this.manager = manager;
        this.registry = registry;
        this.settings = settings;
        this.enabled = enabled;
        this.executor = enabled ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-demo");
            t.setDaemon(true);
            return t;
        }) : null;
        if (enabled) {
            LOG.info("demo mode: starting a simulator per driver");
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addSimulator(HeatpumpSimulator simulator) {
        if (!enabled) {
            return;
        }
        synchronized (this) {
            if (!active) {
                return;
            }
            running.put(simulator, null);
        }
        submit(() -> startDemo(simulator, 1), 0);
    }

    public void removeSimulator(HeatpumpSimulator simulator) {
        HeatpumpSimulator.Running r;
        synchronized (this) {
            r = running.remove(simulator);
        }
        close(simulator, r);
    }

    @Deactivate
    public void deactivate() {
        Map<HeatpumpSimulator, HeatpumpSimulator.Running> all;
        synchronized (this) {
            active = false;
            all = new HashMap<>(running);
            running.clear();
        }
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        all.forEach(DemoSetup::close);
    }

    private void submit(Runnable task, long delaySeconds) {
        try {
            executor.schedule(task, delaySeconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("demo stopping, task dropped");
        }
    }

    private void startDemo(HeatpumpSimulator simulator, int attempt) {
        synchronized (this) {
            if (!active || !running.containsKey(simulator) || running.get(simulator) != null) {
                return;
            }
        }
        String mfr = simulator.manufacturerId();
        String model = simulator.modelId();
        Optional<HeatpumpDriver> driver = registry.driver(mfr, model);
        if (driver.isEmpty()) {
            if (attempt < DRIVER_WAIT_ATTEMPTS) {
                submit(() -> startDemo(simulator, attempt + 1), 1);
            } else {
                LOG.warn("demo: no driver for simulator {}/{}; no demo device", mfr, model);
            }
            return;
        }
        DeviceConfig deviceConfig = demoConfig(driver.get());
        HeatpumpSimulator.Running sim;
        try {
            sim = simulator.start(0, deviceConfig);
        } catch (IOException | RuntimeException e) {
            LOG.warn("demo: simulator {}/{} did not start: {}", mfr, model, e.toString());
            return;
        }
        synchronized (this) {
            if (!active || !running.containsKey(simulator)) {
                close(simulator, sim);
                return;
            }
            running.put(simulator, sim);
        }
        LOG.info("demo: simulator {}/{} listening on {}:{}", mfr, model, HOST, sim.port());
        try {
            configureDevice(driver.get(), deviceConfig, sim.port(), sim.connectionOptions());
        } catch (InvalidConfigurationException | UnknownHeatpumpException | RuntimeException e) {
            LOG.warn("demo: device for {}/{} not configured: {}", mfr, model, e.getMessage());
        }
    }

    /** IDM needs at least one heating circuit; other drivers take their defaults. */
    static DeviceConfig demoConfig(HeatpumpDriver driver) {
        if ("idm".equals(driver.manufacturerId())) {
            return DeviceConfig.of(List.of("A"), List.of());
        }
        DeviceConfig empty = DeviceConfig.empty();
        List<String> circuits = driver.capabilities(empty).circuits();
        if (!driver.validate(empty).isEmpty() && !circuits.isEmpty()) {
            return DeviceConfig.of(List.of(circuits.get(0)), List.of());
        }
        return empty;
    }

    static String settingsKey(String manufacturerId, String modelId) {
        return "demo." + manufacturerId + "." + modelId;
    }

    /** @param simulatorOptions what the simulator says a device needs besides host and port (a cloud API's URLs) */
    private void configureDevice(HeatpumpDriver driver, DeviceConfig deviceConfig, int port,
                                 Map<String, String> simulatorOptions)
            throws InvalidConfigurationException, UnknownHeatpumpException {
        String key = settingsKey(driver.manufacturerId(), driver.modelId());
        Optional<String> known = settings.get(key);
        if (known.isPresent()) {
            Optional<Heatpump> existing = manager.heatpump(known.get());
            if (existing.isEmpty()) {
                // the user deleted the demo device; respect that
                LOG.info("demo: device {} for {} was deleted; not recreated", known.get(), key);
                return;
            }
            Heatpump hp = existing.get();
            ConnectionConfig c = hp.connection();
            Map<String, String> options = new HashMap<>(c.options());
            options.putAll(simulatorOptions);
            if (c.port() != port || !HOST.equals(c.host()) || !options.equals(c.options())) {
                manager.update(new Heatpump(hp.id(), hp.name(), hp.manufacturer(), hp.model(),
                        new ConnectionConfig(HOST, port, c.unitId(), c.timeoutMs(), options),
                        hp.deviceConfig(), hp.pollIntervalSeconds(), hp.enabled(), hp.createdAt(), hp.updatedAt()));
                LOG.info("demo: device {} moved to port {}", hp.id(), port);
            }
            return;
        }
        String name = demoName(driver.manufacturerName(), driver.modelName());
        Heatpump created = manager.create(new Heatpump("", name, driver.manufacturerId(),
                driver.modelId(), new ConnectionConfig(HOST, port, 1, ConnectionConfig.DEFAULT_TIMEOUT_MS,
                simulatorOptions), deviceConfig, 0, true, null, null));
        settings.put(key, created.id());
        LOG.info("demo: created device {} ({})", created.id(), name);
    }

    private static void close(HeatpumpSimulator simulator, HeatpumpSimulator.Running r) {
        if (r == null) {
            return;
        }
        try {
            r.close();
            LOG.info("demo: simulator {}/{} stopped", simulator.manufacturerId(), simulator.modelId());
        } catch (RuntimeException e) {
            LOG.debug("demo: closing simulator failed: {}", e.toString());
        }
    }

    /** "NIBE S1155 (demo)", not "NIBE NIBE S1155 (demo)": model names often repeat the brand. */
    public static String demoName(String manufacturer, String model) {
        String brand = manufacturer.split("[ (]", 2)[0];
        return (model.regionMatches(true, 0, brand, 0, brand.length()) ? model : manufacturer + " " + model) + " (demo)";
    }
}
