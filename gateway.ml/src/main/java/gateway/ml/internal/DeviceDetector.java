package gateway.ml.internal;

import java.io.IOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.AnomalyStore.Event;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.OperatingMode;

/**
 * Anomaly detection for one device: its feature extractor and one {@link ModeModel} per operating mode (heating,
 * cooling, hot water, standby), created on the first sample of a mode and restored from {@link ModelFiles} if a
 * matching file exists. Defrost and unknown modes are not modelled: defrost is short and violent by design.
 * Not thread-safe: the detector component feeds one device from one thread.
 */
public final class DeviceDetector {

    /** Modes that get a model. */
    public static final Set<OperatingMode> MODELLED =
            Set.of(OperatingMode.HEATING, OperatingMode.COOLING, OperatingMode.HOT_WATER, OperatingMode.STANDBY);
    /** Features named in an event. */
    static final int TOP_FEATURES = 3;

    private static final Logger LOG = LoggerFactory.getLogger(DeviceDetector.class);

    /**
     * What one snapshot gave.
     *
     * @param event the raised anomaly (not stored yet), or null
     */
    public record Outcome(OperatingMode mode, double score, boolean flag, boolean warm, Event event) {
    }

    private final String deviceId;
    private final FeatureExtractor extractor;
    private final DetectorSettings settings;
    private final ModelFiles files;
    private final Map<OperatingMode, ModeModel> models = new EnumMap<>(OperatingMode.class);
    /** The last feature vector (for the evaluation harness's diagnostics). */
    double[] lastFeatures;

    /** @param files where models are restored from and saved to, or null to keep them in memory only */
    public DeviceDetector(String deviceId, FeatureExtractor extractor, DetectorSettings settings, ModelFiles files) {
        this.deviceId = deviceId;
        this.extractor = extractor;
        this.settings = settings;
        this.files = files;
    }

    public String deviceId() {
        return deviceId;
    }

    public FeatureExtractor extractor() {
        return extractor;
    }

    public Map<OperatingMode, ModeModel> models() {
        return models;
    }

    /** Scores and learns one snapshot; null when its mode is not modelled (defrost, unknown). */
    public Outcome process(DeviceSnapshot snapshot, OperatingMode mode) {
        double[] x = extractor.extract(snapshot, mode);
        lastFeatures = x;
        if (!MODELLED.contains(mode)) {
            return null;
        }
        ModeModel model = models.computeIfAbsent(mode, this::open);
        ModeModel.Result r = model.process(x, snapshot.time());
        Event event = null;
        if (r.alarm()) {
            Map<String, Double> context = new LinkedHashMap<>();
            List<String> names = extractor.names();
            for (int i = 0; i < names.size(); i++) {
                context.put(names.get(i), Double.isNaN(x[i]) ? null : x[i]);
            }
            context.values().removeIf(v -> v == null);
            event = new Event(0, deviceId, snapshot.time(), mode, r.score(), settings.effectiveThreshold(),
                    model.contributions(x, TOP_FEATURES), context, null);
        }
        return new Outcome(mode, r.score(), r.hit(), r.warm(), event);
    }

    private ModeModel open(OperatingMode mode) {
        if (files != null) {
            var restored = files.load(deviceId, mode, extractor.names(), settings);
            if (restored.isPresent()) {
                LOG.info("anomaly model {} of {} restored ({} samples)", mode, deviceId, restored.get().samples());
                return restored.get();
            }
        }
        return new ModeModel(extractor.names(), settings);
    }

    /** Writes every model to disk (no-op without files). */
    public void save() {
        if (files == null) {
            return;
        }
        for (Map.Entry<OperatingMode, ModeModel> e : models.entrySet()) {
            try {
                files.save(deviceId, e.getKey(), e.getValue());
            } catch (IOException ex) {
                LOG.warn("anomaly model {} of {} could not be saved: {}", e.getKey(), deviceId, ex.toString());
            }
        }
    }
}
