package gateway.core.automation.internal;

import gateway.core.testing.ManualClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.AlertStore.Alert;
import gateway.core.api.AlertStore.AlertEvent;
import gateway.core.api.AnomalyStore;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceState;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Notification;
import gateway.core.api.OperatingMode;
import gateway.core.api.SensorReading;
import gateway.core.store.internal.Database;
import gateway.core.store.internal.H2AlertStore;
import gateway.core.store.internal.H2AnomalyStore;

/** The alert engine on simulated time, with the real H2 alert and anomaly stores and a recording outbox. */
class AlertEngineTest {

    static final String HP = "hp-1";
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;
    Database db;
    H2AlertStore store;
    H2AnomalyStore anomalies;
    RecordingManager manager;
    RecordingOutbox outbox;
    ManualClock clock;
    AlertEngine engine;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        store = new H2AlertStore(db);
        anomalies = new H2AnomalyStore(db);
        manager = new RecordingManager().device(HP, "Basement");
        outbox = new RecordingOutbox();
        clock = new ManualClock(T0);
        engine = newEngine();
    }

    AlertEngine newEngine() {
        return new AlertEngine(store, manager, () -> outbox, () -> anomalies, clock, ZoneId.of("Europe/Berlin"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    Alert threshold(String sensor, String condition, String threshold, int forSeconds, double hysteresis,
                    int interval, boolean notifyResolved) {
        Alert a = store.save(new Alert(null, HP, "Hot water", "threshold", sensor, condition, threshold, null, true,
                interval, null, forSeconds, hysteresis, List.of("mail"), notifyResolved));
        engine.reload();
        return a;
    }

    void hotWater(double celsius) {
        engine.snapshot(new DeviceSnapshot(HP, "testmaker", "model-a", clock.instant(), Map.of("temp_hot_water",
                SensorReading.good("temp_hot_water", celsius, null, clock.instant()))));
    }

    void fault(int value, String label) {
        engine.snapshot(new DeviceSnapshot(HP, "testmaker", "model-a", clock.instant(), Map.of("common_fault",
                SensorReading.good("common_fault", value, label, clock.instant()))));
    }

    void at(long seconds) {
        clock.set(T0.plusSeconds(seconds));
    }

    List<String> kinds() {
        List<String> newestFirst = new java.util.ArrayList<>(store.events(HP, null, null, 100).stream()
                .map(AlertEvent::kind).toList());
        java.util.Collections.reverse(newestFirst);
        return newestFirst;
    }

    @Test
    void firesOnceAfterTheConditionHeldForItsHoldTime() {
        threshold("temp_hot_water", "<", "40", 60, 0, 0, true);
        at(0);
        hotWater(38);
        at(30);
        hotWater(37.5);
        assertEquals(0, outbox.all().size(), "not before for_seconds");
        at(60);
        hotWater(37);
        at(90);
        hotWater(36);
        at(4000);
        engine.tick();
        assertEquals(1, outbox.all().size());
        Notification n = outbox.all().get(0);
        assertEquals("Alert: Hot water", n.title());
        assertEquals(List.of("mail"), n.channelIds());
        assertEquals("Hot water: Hot water temperature on Basement is 37 °C (< 40) at 2026-12-01 11:01:00",
                n.message());
        assertEquals(List.of("fired"), kinds());
        assertEquals(37.0, store.events(HP, null, null, 10).get(0).value());
    }

    @Test
    void aConditionThatStopsHoldingBeforeItsHoldTimeDoesNotFire() {
        threshold("temp_hot_water", "<", "40", 60, 0, 0, true);
        at(0);
        hotWater(38);
        at(50);
        hotWater(41);
        at(70);
        hotWater(38);
        at(120);
        hotWater(38);
        assertEquals(0, outbox.all().size(), "the hold time starts again at 70 s");
        at(130);
        hotWater(38);
        assertEquals(1, outbox.all().size());
    }

    @Test
    void repeatsPerIntervalWhileFiringAndStopsOnceAcknowledged() {
        threshold("temp_hot_water", "<", "40", 0, 0, 300, true);
        at(0);
        hotWater(35);
        at(299);
        engine.tick();
        assertEquals(1, outbox.all().size());
        at(300);
        engine.tick();
        at(600);
        engine.tick();
        assertEquals(3, outbox.all().size());
        assertEquals("Alert (repeated): Hot water", outbox.all().get(2).title());
        long fired = store.events(HP, null, null, 10).get(0).id();
        assertTrue(store.acknowledge(fired, "alice", clock.instant()).orElseThrow().acknowledgedAt() != null);
        at(900);
        engine.tick();
        at(1200);
        engine.tick();
        assertEquals(3, outbox.all().size(), "acknowledged: no more repeats");
    }

    @Test
    void resolvesOnlyBackPastTheThresholdByTheHysteresis() {
        threshold("temp_hot_water", "<", "40", 0, 2, 0, true);
        at(0);
        hotWater(38);
        at(10);
        hotWater(41.9); // above 40, but not above 42
        assertEquals(List.of("fired"), kinds());
        at(20);
        hotWater(39); // still firing: no second fire
        at(30);
        hotWater(42.1);
        assertEquals(List.of("fired", "resolved"), kinds());
        assertEquals(2, outbox.all().size());
        Notification resolved = outbox.all().get(1);
        assertEquals("Resolved: Hot water", resolved.title());
        assertTrue(resolved.message().startsWith("Resolved: Hot water: Hot water temperature on Basement is back at "
                + "42.1 °C"), resolved.message());
        at(40);
        hotWater(39);
        assertEquals(List.of("fired", "resolved", "fired"), kinds());
    }

    @Test
    void aResolutionIsRecordedButNotSentWhenNotifyResolvedIsOff() {
        threshold("temp_hot_water", ">", "60", 0, 0, 0, false);
        at(0);
        hotWater(65);
        at(10);
        hotWater(50);
        assertEquals(List.of("fired", "resolved"), kinds());
        assertEquals(1, outbox.all().size());
    }

    @Test
    void enumsCompareByLabelOrKey() {
        Alert byLabel = threshold("common_fault", "=", "Fault", 0, 0, 0, true);
        store.save(new Alert(null, HP, "Fault by key", "threshold", "common_fault", "!=", "0", null, true, 0, null));
        engine.reload();
        at(0);
        fault(0, "none");
        assertEquals(0, outbox.all().size());
        at(10);
        fault(1, "fault");
        assertEquals(2, outbox.all().size());
        assertTrue(outbox.all().stream().anyMatch(n -> n.source().equals("alert:" + byLabel.id())));
        assertTrue(outbox.all().get(0).message().contains(" is fault "), outbox.all().get(0).message());
    }

    @Test
    void staleFiresWhenNoGoodValueArrivesForItsHoldTime() {
        store.save(new Alert(null, HP, "Sensor silent", "stale", "temp_hot_water", null, null, null, true, 0, null,
                120, 0, List.of(), true));
        engine.reload();
        at(0);
        hotWater(45);
        at(60);
        engine.snapshot(new DeviceSnapshot(HP, "testmaker", "model-a", clock.instant(), Map.of("temp_hot_water",
                SensorReading.error("temp_hot_water", "timeout", clock.instant()))));
        at(119);
        engine.tick();
        assertEquals(0, outbox.all().size());
        at(120);
        engine.tick();
        assertEquals(List.of("fired"), kinds());
        assertTrue(outbox.all().get(0).message().startsWith("Sensor silent: no valid value of Hot water temperature"));
        at(130);
        hotWater(44);
        assertEquals(List.of("fired", "resolved"), kinds());
    }

    @Test
    void deviceStateFiresWhenOfflineLongerThanItsHoldTime() {
        store.save(new Alert(null, HP, "Offline", "device_state", null, null, "offline", null, true, 0, null, 60, 0,
                List.of(), true));
        engine.reload();
        at(0);
        engine.stateChanged(status(DeviceState.OFFLINE));
        at(59);
        engine.tick();
        assertEquals(0, outbox.all().size());
        at(60);
        engine.tick();
        at(61);
        engine.tick();
        assertEquals(1, outbox.all().size());
        assertEquals("critical", outbox.all().get(0).severity());
        assertEquals("Offline: Basement is offline (2026-12-01 11:01:00)", outbox.all().get(0).message());
        at(70);
        engine.stateChanged(status(DeviceState.ONLINE));
        engine.tick();
        assertEquals(List.of("fired", "resolved"), kinds());
    }

    @Test
    void deviceStateIgnoresStatesItDoesNotWatch() {
        store.save(new Alert(null, HP, "Offline", "device_state", null, null, "offline", null, true, 0, null, 0, 0,
                List.of(), true));
        engine.reload();
        engine.stateChanged(status(DeviceState.DRIVER_MISSING));
        at(600);
        engine.tick();
        assertEquals(0, outbox.all().size());
    }

    @Test
    void rateLimitedFiresOnlyForAlertsThatChoseIt() {
        store.save(new Alert(null, HP, "Default states", "device_state", null, null, null, null, true, 0, null, 0, 0,
                List.of(), true));
        store.save(new Alert(null, HP, "Quota", "device_state", null, null, "rate_limited", null, true, 0, null, 0,
                0, List.of(), true));
        engine.reload();
        at(0);
        engine.stateChanged(status(DeviceState.RATE_LIMITED));
        at(1);
        engine.tick();
        assertEquals(1, outbox.all().size(), "only the alert that opted in: " + outbox.all());
        assertEquals("Quota: Basement is rate_limited (2026-12-01 11:00:01)", outbox.all().get(0).message());
    }

    @Test
    void statusReportsEveryInterval() {
        store.save(new Alert(null, HP, "Daily", "status", "temp_hot_water", null, null, "{name}: {sensor} {value} "
                + "{unit} on {heatpump} at {time}", true, 3600, null));
        engine.reload();
        manager.latest.put(HP, new DeviceSnapshot(HP, "testmaker", "model-a", T0, Map.of("temp_hot_water",
                SensorReading.good("temp_hot_water", 47.5, null, T0))));
        at(0);
        engine.tick();
        at(3599);
        engine.tick();
        assertEquals(0, outbox.all().size());
        at(3600);
        engine.tick();
        at(3700);
        engine.tick();
        at(7200);
        engine.tick();
        assertEquals(2, outbox.all().size());
        assertEquals("Daily: Hot water temperature 47.5 °C on Basement at 2026-12-01 12:00:00",
                outbox.all().get(0).message());
        assertEquals(List.of("status", "status"), kinds());
    }

    @Test
    void aFiringAlertStaysFiringAcrossARestartAndResolvesAfterIt() {
        threshold("temp_hot_water", ">", "60", 0, 0, 600, true);
        at(0);
        hotWater(65);
        assertEquals(1, outbox.all().size());

        AlertEngine restarted = newEngine();
        restarted.reload();
        engine = restarted;
        at(30);
        hotWater(66);
        assertEquals(1, outbox.all().size(), "no second fire after the restart");
        at(600);
        engine.tick();
        assertEquals(2, outbox.all().size(), "the repeat schedule survived");
        at(610);
        hotWater(55);
        assertEquals(List.of("fired", "resolved"), kinds());
    }

    @Test
    void aHoldTimeInProgressSurvivesARestart() {
        threshold("temp_hot_water", "<", "40", 300, 0, 0, true);
        at(0);
        hotWater(35);
        engine = newEngine();
        engine.reload();
        at(300);
        hotWater(35);
        assertEquals(1, outbox.all().size());
    }

    @Test
    void anomalyEventsBecomeAlertEventsAndAreMarkedNotified() {
        store.save(new Alert(null, null, "Anomalies", "anomaly", null, null, null, null, true, 0, null));
        engine.reload();
        AnomalyStore.Event recorded = anomalies.record(new AnomalyStore.Event(0, HP, T0, OperatingMode.HEATING, 0.93,
                0.8, List.of(new AnomalyStore.Contribution("temp_flow", 61.0, 45.0, 4.2)), Map.of(), null));
        at(5);
        engine.tick();
        assertEquals(List.of("anomaly"), kinds());
        assertEquals(1, outbox.all().size());
        assertEquals("anomaly-" + recorded.id() + "-" + store.list(null).get(0).id(), outbox.all().get(0).key());
        assertTrue(outbox.all().get(0).message().contains("temp_flow 61 (usually 45)"), outbox.all().get(0).message());
        assertTrue(anomalies.pending(10).isEmpty());
        assertNotNull(anomalies.events(HP, Instant.EPOCH, T0.plusSeconds(60), 10).get(0).notifiedAt());
        engine.tick();
        assertEquals(1, outbox.all().size());
    }

    @Test
    void withoutAnOutboxEventsAreStillRecorded() {
        engine = new AlertEngine(store, manager, () -> null, () -> anomalies, clock, ZoneId.of("UTC"));
        threshold("temp_hot_water", "<", "40", 0, 0, 0, true);
        at(0);
        hotWater(30);
        assertEquals(List.of("fired"), kinds());
        assertEquals(0, outbox.enqueueCalls);
    }

    @Test
    void disabledAlertsAreNotEvaluated() {
        store.save(new Alert(null, HP, "Off", "threshold", "temp_hot_water", "<", "40", null, false, 0, null));
        engine.reload();
        hotWater(30);
        assertEquals(0, outbox.all().size());
        assertEquals(0, engine.ruleCount());
    }

    static DeviceStatus status(DeviceState state) {
        return new DeviceStatus(HP, state, 0, 0, null, null, null, 0, 0, 0, null, 0, 0);
    }

    @Test
    void fillsOnlyKnownPlaceholders() {
        assertEquals("a 1 {unknown} {", AlertEngine.fill("a {x} {unknown} {", Map.of("x", "1")));
    }
}
