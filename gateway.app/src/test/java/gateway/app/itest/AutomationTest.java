package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import gateway.core.api.AlertStore;
import gateway.core.api.AlertStore.Alert;
import gateway.core.api.AuditLog;
import gateway.core.api.Automation;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.HeatpumpSimulator;
import gateway.core.api.JobStore;
import gateway.core.api.JobStore.Job;
import gateway.core.api.Notification;
import gateway.core.api.NotificationOutbox;

/**
 * gateway.core.automation in the framework, with the real manager, stores and an iDM simulator: a threshold alert
 * fires and its notification reaches a NotificationOutbox service the test registers; a job writes at its minute
 * exactly once through the write path, audited as job:&lt;id&gt;. The engine's time is a Clock service the test
 * registers and moves (no sleeps); the time zone comes through ConfigAdmin.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class AutomationTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final DeviceConfig CIRCUIT_A = DeviceConfig.of(List.of("A"), List.of());

    /** Simulated time the test moves. */
    static final class SimulatedClock extends Clock {
        volatile Instant now;

        SimulatedClock(Instant start) {
            now = start;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Keeps each notification once per key, as the real outbox promises. */
    static final class RecordingOutbox implements NotificationOutbox {
        final Map<String, Notification> byKey = new ConcurrentHashMap<>();

        @Override
        public List<Entry> enqueue(Notification n) {
            return byKey.putIfAbsent(n.key(), n) == null
                    ? List.of(new Entry(byKey.size(), n, "itest", State.PENDING, 0, n.createdAt(), null, null))
                    : List.of();
        }

        @Override
        public List<Entry> entries(State state, int limit) {
            return List.of();
        }
    }

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    HeatpumpManager manager;

    @InjectService
    JobStore jobs;

    @InjectService
    AlertStore alerts;

    @InjectService
    AuditLog audit;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    @InjectService
    ServiceAware<Automation> automation;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final List<HeatpumpSimulator.Running> sims = new ArrayList<>();
    private final List<String> devices = new ArrayList<>();
    private final List<String> jobIds = new ArrayList<>();
    private final List<String> alertIds = new ArrayList<>();
    private Configuration config;
    private boolean writesBefore;

    @AfterEach
    void cleanUp() throws Exception {
        jobIds.forEach(jobs::delete);
        alertIds.forEach(alerts::delete);
        for (String id : devices) {
            manager.delete(id);
        }
        sims.forEach(HeatpumpSimulator.Running::close);
        registrations.forEach(ServiceRegistration::unregister);
        manager.setWriteEnabled(writesBefore, "itest");
        if (config != null) {
            config.delete();
        }
    }

    private SimulatedClock start(Instant at) throws Exception {
        writesBefore = manager.writeEnabled();
        config = configAdmin.getConfiguration("gateway.automation", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("time.zone", "Europe/Berlin");
        props.put("tick.millis", 200L);
        props.put("reload.seconds", 1);
        config.update(props);
        Await.until("automation configured for Europe/Berlin", WAIT, () -> automation.getServices().stream()
                .anyMatch(a -> a.timeZone().equals(BERLIN)));
        SimulatedClock clock = new SimulatedClock(at);
        Dictionary<String, Object> clockProps = new Hashtable<>();
        clockProps.put("gateway.automation.clock", "true");
        registrations.add(context.registerService(Clock.class, clock, clockProps));
        return clock;
    }

    private String idmDevice(String name) throws Exception {
        HeatpumpSimulator idm = Await.value("IDM simulator service", WAIT, () -> simulators.getServices().stream()
                .filter(s -> s.manufacturerId().equals("idm")).findFirst().orElse(null));
        HeatpumpSimulator.Running sim = idm.start(0, CIRCUIT_A);
        sims.add(sim);
        Heatpump created = manager.create(new Heatpump(null, name, "idm", "navigator_2_0",
                new ConnectionConfig("127.0.0.1", sim.port(), 1), CIRCUIT_A, 1, true, null, null));
        devices.add(created.id());
        return created.id();
    }

    @Test
    void aThresholdAlertOnASimulatedDeviceReachesTheOutbox() throws Exception {
        start(Instant.parse("2026-12-07T09:00:00Z"));
        RecordingOutbox outbox = new RecordingOutbox();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, 1000);
        registrations.add(context.registerService(NotificationOutbox.class, outbox, props));

        String hp = idmDevice("automation alert");
        // the example: "outdoor temperature > -50" must fire
        Alert alert = alerts.save(new Alert(null, hp, "Outdoor check", "threshold", "temp_outside", ">", "-50", null,
                true, 0, null, 0, 0, List.of("itest-channel"), true));
        alertIds.add(alert.id());

        Notification n = Await.value("the alert's notification in the outbox", WAIT,
                () -> outbox.byKey.values().stream().filter(x -> x.source().equals("alert:" + alert.id()))
                        .findFirst().orElse(null));
        assertEquals("Alert: Outdoor check", n.title());
        assertEquals(List.of("itest-channel"), n.channelIds());
        assertEquals(hp, n.heatpumpId());
        assertTrue(n.message().startsWith("Outdoor check: Outdoor temperature (B32) on automation alert is "),
                n.message());
        AlertStore.AlertEvent fired = alerts.events(hp, null, null, 10).get(0);
        assertEquals("fired", fired.kind());
        assertEquals("alert-event-" + fired.id(), n.key());
        // it keeps holding on every poll, but fires once (interval 0 = notify once)
        Await.until("a few more polls evaluated", WAIT, () -> alerts.events(hp, null, null, 10).size() == 1
                && pollsSince(hp) >= 3);
        assertEquals(1, outbox.byKey.values().stream().filter(x -> x.source().equals("alert:" + alert.id())).count());
    }

    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

    /** Snapshots seen since this was first asked, by their time. */
    private long pollsSince(String hp) {
        try {
            Instant latest = manager.latest(hp).map(s -> s.time()).orElse(Instant.EPOCH);
            Instant first = firstSeen.computeIfAbsent(hp, k -> latest);
            return Duration.between(first, latest).toSeconds();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aJobWritesAtItsMinuteExactlyOnceAndTheAuditNamesIt() throws Exception {
        Instant before = LocalDateTime.parse("2026-12-07T04:02:30").atZone(BERLIN).toInstant();
        SimulatedClock clock = start(before);
        String hp = idmDevice("automation job");
        Await.until("device polled", WAIT, () -> latest(hp) != null);
        manager.setWriteEnabled(true, "itest");

        Job job = jobs.save(new Job(null, hp, "temp_water_target", "48", "04:03", List.of(), true, null));
        jobIds.add(job.id());
        // a second job a minute later: once it has run, the engine has ticked well past the first one's minute
        Job marker = jobs.save(new Job(null, hp, "temp_water_switch_on", "44", "04:05", List.of(), true, null));
        jobIds.add(marker.id());

        clock.now = LocalDateTime.parse("2026-12-07T04:03:05").atZone(BERLIN).toInstant();
        Await.until("the job ran", WAIT, () -> "ok".equals(jobs.get(job.id()).orElseThrow().lastResult()));
        clock.now = LocalDateTime.parse("2026-12-07T04:03:50").atZone(BERLIN).toInstant();
        clock.now = LocalDateTime.parse("2026-12-07T04:05:01").atZone(BERLIN).toInstant();
        Await.until("the marker job ran", WAIT, () -> {
            String result = jobs.get(marker.id()).orElseThrow().lastResult();
            return result != null && !result.equals(JobStore.RESULT_RUNNING);
        });

        List<AuditLog.Entry> byJob = audit.recent(hp, 100).stream()
                .filter(e -> e.actor().equals("job:" + job.id())).toList();
        assertEquals(1, byJob.size(), "exactly one write by the job: " + byJob);
        assertEquals("temp_water_target", byJob.get(0).sensorId());
        assertEquals(48.0, byJob.get(0).newValue());
        assertEquals("ok", byJob.get(0).result());
        Job after = jobs.get(job.id()).orElseThrow();
        assertEquals(LocalDateTime.parse("2026-12-07T04:03").atZone(BERLIN).toInstant(), after.lastRun());
        assertEquals(LocalDateTime.parse("2026-12-08T04:03").atZone(BERLIN).toInstant(),
                automation.getService().nextRun(after).orElseThrow());
        Await.until("the device holds the value", WAIT, () -> {
            var s = latest(hp);
            return s != null && s.reading("temp_water_target") != null
                    && Double.valueOf(48.0).equals(s.reading("temp_water_target").value());
        });
    }

    private gateway.core.api.DeviceSnapshot latest(String hp) {
        try {
            return manager.latest(hp).orElse(null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
