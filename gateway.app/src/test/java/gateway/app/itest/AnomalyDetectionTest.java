package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import gateway.core.api.AnomalyStore;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.HeatpumpSimulator;
import gateway.core.api.HistoryStore;
import gateway.core.api.ReadingListener;

/**
 * gateway.ml inside the framework: two iDM devices polled from two identical simulators, one of which gets labelled
 * faults (low water flow and an iced coil). The detector, configured through ConfigAdmin with small windows so it
 * learns in seconds, must raise an anomaly event for that device after the injection and none for its healthy twin,
 * and write its score into the history.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class AnomalyDetectionTest {

    static final Duration WAIT = Duration.ofSeconds(120);
    /** Samples per mass window; a device polled every second fills one in 12 s. */
    static final int WINDOW_SIZE = 12;
    static final int WARMUP_SAMPLES = 12;
    static final DeviceConfig CIRCUIT_A = DeviceConfig.of(List.of("A"), List.of());

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    HeatpumpManager manager;

    @InjectService
    AnomalyStore anomalies;

    @InjectService
    HistoryStore history;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    private final List<HeatpumpSimulator.Running> sims = new ArrayList<>();
    private final List<String> devices = new ArrayList<>();
    private Configuration config;

    @AfterEach
    void cleanUp() throws Exception {
        for (String id : devices) {
            manager.delete(id);
        }
        sims.forEach(HeatpumpSimulator.Running::close);
        if (config != null) {
            config.delete();
            // re-configured on ConfigAdmin's thread: the next test meets the detector on its defaults, not mid-restart
            Await.until("anomaly detector back on its defaults", WAIT, this::detectorOnDefaults);
        }
    }

    @Test
    void injectedFaultRaisesAnAnomalyForThatDeviceOnly() throws Exception {
        config = configAdmin.getConfiguration("gateway.ml", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("trees", 25);
        props.put("window.size", WINDOW_SIZE);
        props.put("warmup.samples", WARMUP_SAMPLES);
        props.put("consecutive.hits", 3);
        props.put("threshold", 0.85);
        props.put("learn.interval.seconds", 0); // learn every poll: the simulators run 60 simulated seconds a second
        props.put("model.folder", Path.of(context.getProperty("gateway.data"), "ml-itest-" + System.nanoTime())
                .toString());
        config.update(props);
        Await.until("anomaly detector re-configured", WAIT, this::detectorReconfigured);

        HeatpumpSimulator idm = Await.value("IDM simulator service", WAIT, () -> simulators.getServices().stream()
                .filter(s -> s.manufacturerId().equals("idm")).findFirst().orElse(null));
        String faulty = device(idm, "anomaly faulty");
        String healthy = device(idm, "anomaly healthy");
        HeatpumpSimulator.Running faultySim = sims.get(0);
        assertTrue(faultySim.availableFaults().contains("low_flow"), "faults: " + faultySim.availableFaults());

        // both learn normal operation (the simulators run 60 simulated seconds per second) until they are scored:
        // past the warm-up and through one full window after it, so the reference window is normal operation only
        Instant start = Instant.now();
        int learned = WARMUP_SAMPLES + WINDOW_SIZE;
        Await.until("both devices scored for a while", WAIT, () -> scores(faulty, start) >= learned
                && scores(healthy, start) >= learned);
        List<AnomalyStore.Event> before = anomalies.events(null, start, Instant.now(), 100);

        Instant injected = Instant.now();
        assertTrue(faultySim.injectFault("low_flow"));
        assertTrue(faultySim.injectFault("failed_defrost"));
        AnomalyStore.Event event = Await.value("an anomaly event for the faulty device", WAIT,
                () -> anomalies.events(faulty, injected, Instant.now().plusSeconds(5), 10).stream()
                        .findFirst().orElse(null));
        assertEquals(faulty, event.heatpumpId());
        assertTrue(event.score() >= 0.85, "score " + event.score());
        assertEquals(3, event.features().size(), "top features named: " + event.features());
        assertTrue(event.context().containsKey("spread_flow_return"), "context: " + event.context().keySet());
        // the twins ran the same program until the injection, so anything the healthy one raised since then is noise
        assertTrue(anomalies.events(healthy, injected, Instant.now(), 100).isEmpty(),
                "no anomaly for the healthy device; before the fault there were: " + before);
    }

    /** The detector is registered again, without the test's configuration. */
    private boolean detectorOnDefaults() {
        try {
            return !detectorReconfigured() && !context.getServiceReferences(ReadingListener.class,
                    "(component.name=gateway.ml.internal.AnomalyDetector)").isEmpty();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** DS publishes a component's configuration as its service properties. */
    private boolean detectorReconfigured() {
        try {
            return !context.getServiceReferences(ReadingListener.class, "(window.size=" + WINDOW_SIZE + ")").isEmpty();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private String device(HeatpumpSimulator idm, String name) throws Exception {
        HeatpumpSimulator.Running sim = idm.start(0, CIRCUIT_A);
        sims.add(sim);
        Heatpump created = manager.create(new Heatpump(null, name, "idm", "navigator_2_0",
                new ConnectionConfig("127.0.0.1", sim.port(), 1), CIRCUIT_A, 1, true, null, null));
        devices.add(created.id());
        return created.id();
    }

    private int scores(String id, Instant from) {
        return history.query(id, AnomalyStore.SCORE_SENSOR, from, Instant.now().plusSeconds(5), 0).size();
    }
}
