package gateway.ml.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.AnomalyFeatures;
import gateway.core.api.AnomalyProfile;
import gateway.core.api.AnomalyStore;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.ManufacturerRegistry;
import gateway.core.api.OperatingMode;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;

/**
 * The anomaly detector: a reading listener that keeps a {@link DeviceDetector} per device whose driver is also an
 * {@link AnomalyProfile} naming anomaly features, stores every score (history sensors {@code anomaly_score}/{@code anomaly_flag}) and every raised anomaly
 * (for {@code GET /api/anomalies} and the alert engine) in the {@link AnomalyStore}, and saves model state every few
 * minutes and when it stops, so updating a driver or this bundle keeps what the models learned.
 *
 * <p>The manager calls {@link #snapshot} from this listener's own thread, one snapshot at a time; the lock only
 * guards against the final save on deactivation.
 */
@Component(service = gateway.core.api.ReadingListener.class, immediate = true, configurationPid = AnomalyDetector.PID)
@Designate(ocd = MlConfig.class)
public final class AnomalyDetector implements gateway.core.api.ReadingListener {

    public static final String PID = "gateway.ml";
    static final String DATA_PROPERTY = "gateway.data";

    private static final Logger LOG = LoggerFactory.getLogger(AnomalyDetector.class);

    private final HeatpumpManager manager;
    private final ManufacturerRegistry registry;
    private final AnomalyStore store;
    private final boolean enabled;
    private final DetectorSettings settings;
    private final ModelFiles files;
    private final Duration saveInterval;
    private final Clock clock;
    private final Map<String, DeviceDetector> detectors = new HashMap<>();
    private Instant lastSave;
    private boolean closed;

    @Activate
    public AnomalyDetector(@Reference HeatpumpManager manager, @Reference ManufacturerRegistry registry,
                           @Reference AnomalyStore store, BundleContext context, MlConfig config) {
        this(manager, registry, store, config.enabled(), settings(config),
                new ModelFiles(folder(config.model_folder(), context.getProperty(DATA_PROPERTY))),
                Duration.ofSeconds(Math.max(10, config.save_interval_seconds())), Clock.systemUTC());
    }

    AnomalyDetector(HeatpumpManager manager, ManufacturerRegistry registry, AnomalyStore store, boolean enabled,
                    DetectorSettings settings, ModelFiles files, Duration saveInterval, Clock clock) {
        this.manager = manager;
        this.registry = registry;
        this.store = store;
        this.enabled = enabled;
        this.settings = settings;
        this.files = files;
        this.saveInterval = saveInterval;
        this.clock = clock;
        this.lastSave = clock.instant();
        LOG.info("anomaly detection {}: {} trees, height {}, window {}, threshold {}, learning every {} s (rare modes: window over {} h), models in {}",
                enabled ? "on" : "off", settings.trees(), settings.height(), settings.window(),
                settings.effectiveThreshold(), settings.learnInterval().toSeconds(), settings.referenceSpan().toHours(),
                files.folder());
    }

    static DetectorSettings settings(MlConfig c) {
        return new DetectorSettings(c.trees(), c.height(), c.window_size(), c.seed(), c.threshold(), c.sensitivity(),
                c.warmup_samples(), c.consecutive_hits(), Duration.ofSeconds(c.cooldown_seconds()), c.size_limit(),
                Duration.ofSeconds(Math.max(0, c.learn_interval_seconds())),
                Duration.ofHours(Math.max(0, c.reference_span_hours())));
    }

    static Path folder(String configured, String dataProperty) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        Path data = dataProperty != null && !dataProperty.isBlank() ? Path.of(dataProperty.trim()) : Path.of("data");
        return data.resolve("ml");
    }

    @Override
    public synchronized void snapshot(DeviceSnapshot snapshot) {
        if (!enabled || closed) {
            return;
        }
        try {
            DeviceDetector detector = detector(snapshot);
            if (detector == null) {
                return;
            }
            OperatingMode mode = registry.driver(snapshot.manufacturer(), snapshot.model())
                    .flatMap(AnomalyDetector::profile)
                    .map(p -> p.operatingMode(snapshot))
                    .orElse(OperatingMode.UNKNOWN);
            DeviceDetector.Outcome outcome = detector.process(snapshot, mode);
            if (outcome != null) {
                store.recordScore(snapshot.heatpumpId(), snapshot.time(), outcome.score(), outcome.flag());
                if (outcome.event() != null) {
                    AnomalyStore.Event stored = store.record(outcome.event());
                    LOG.warn("anomaly on {} in {} mode: score {} (threshold {}), features {}", snapshot.heatpumpId(),
                            mode, String.format("%.3f", stored.score()), stored.threshold(),
                            stored.features().stream().map(AnomalyStore.Contribution::feature).toList());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("anomaly detection failed for {}: {}", snapshot.heatpumpId(), e.toString());
        }
        Instant now = clock.instant();
        if (!now.isBefore(lastSave.plus(saveInterval))) {
            saveAll();
            lastSave = now;
        }
    }

    /** The device's detector, (re)built when the driver's feature list changed; null when it names no features. */
    private DeviceDetector detector(DeviceSnapshot snapshot) {
        String id = snapshot.heatpumpId();
        Optional<Heatpump> hp = manager.heatpump(id);
        Optional<HeatpumpDriver> driver = registry.driver(snapshot.manufacturer(), snapshot.model());
        if (hp.isEmpty() || driver.isEmpty()) {
            return detectors.get(id);
        }
        AnomalyFeatures features = profile(driver.get()).map(p -> p.anomalyFeatures(hp.get().deviceConfig()))
                .orElse(AnomalyFeatures.NONE);
        DeviceDetector current = detectors.get(id);
        if (current != null && current.extractor().features().equals(features)) {
            return current;
        }
        if (current != null) {
            current.save();
        }
        if (features.isEmpty()) {
            detectors.remove(id);
            return null;
        }
        Set<String> temperatures = driver.get().sensors(hp.get().deviceConfig()).stream()
                .filter(s -> s.category() == SensorCategory.TEMPERATURE)
                .map(SensorDefinition::id)
                .filter(features.sensors()::contains)
                .collect(Collectors.toSet());
        DeviceDetector d = new DeviceDetector(id,
                new FeatureExtractor(features, temperatures, ZoneId.systemDefault()), settings, files);
        detectors.put(id, d);
        LOG.info("anomaly detection for {}: {} features", id, d.extractor().names().size());
        return d;
    }

    /**
     * The driver's anomaly profile: the same service object, when the driver supports anomaly detection. A cast
     * rather than a second service: the profile is keyed by the same manufacturer/model and comes and goes with the
     * driver, so a separate registration would only add a second lookup that can disagree with the first.
     */
    static Optional<AnomalyProfile> profile(HeatpumpDriver driver) {
        return driver instanceof AnomalyProfile p ? Optional.of(p) : Optional.empty();
    }

    private void saveAll() {
        detectors.values().forEach(DeviceDetector::save);
    }

    @Deactivate
    synchronized void deactivate() {
        closed = true;
        saveAll();
        detectors.clear();
    }
}
