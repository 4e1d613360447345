package gateway.core.manager.internal;

import gateway.core.api.ListenerStats;
import gateway.core.testing.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DataType;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceState;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.Quality;
import gateway.core.api.ReadResult;
import gateway.core.api.ReadingListener;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;

class PollingManagerTest {

    private final ManagerFixture f = new ManagerFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void pollsEveryDeviceAndHandsEachSnapshotToEveryListener() throws Exception {
        SimulatedDevice a = f.simulator();
        SimulatedDevice b = f.simulator();
        b.set(TestDriver.OUTDOOR, -3.2);
        f.start();
        ManagerFixture.RecordingListener first = new ManagerFixture.RecordingListener();
        ManagerFixture.RecordingListener second = new ManagerFixture.RecordingListener();
        f.manager.addListener(first, Map.of("service.id", 1L));
        f.manager.addListener(second, Map.of("service.id", 2L));
        Heatpump hpA = f.create("Cellar", a);
        Heatpump hpB = f.create("Garage", b);

        f.await("3 snapshots of each device at each listener", () -> first.count(hpA.id()) >= 3
                && first.count(hpB.id()) >= 3 && second.count(hpA.id()) >= 3 && second.count(hpB.id()) >= 3);

        DeviceSnapshot latestB = f.latest(hpB.id());
        assertEquals(-3.2, latestB.reading("temp_outdoor").value(), 1e-9);
        assertEquals(1.25, latestB.reading("power_electric").value(), 1e-9);
        assertEquals("auto", latestB.reading("operating_mode").text());
        assertFalse(latestB.readings().containsKey("acknowledge_faults"), "write-only sensors are not polled");
        DeviceStatus status = f.status(hpA.id());
        assertEquals(DeviceState.ONLINE, status.state());
        assertTrue(status.requestsLastPoll() >= 1);
        assertTrue(status.bytesLastPoll() > 0);
        assertNotNull(status.lastSuccess());
        assertEquals(0, status.errorCount());
        assertEquals(TestDriver.SENSORS.size(), status.sensorCount());
        assertTrue(first.states.stream().anyMatch(s -> s.heatpumpId().equals(hpA.id())
                && s.state() == DeviceState.ONLINE), "listeners hear about the state change");
    }

    @Test
    void slowListenerLosesItsOwnSnapshotsWhilePollingAndOtherListenersGoOn() throws Exception {
        f.config.put("listener_queue_capacity", 2);
        SimulatedDevice a = f.simulator();
        f.start();
        CountDownLatch release = new CountDownLatch(1);
        ReadingListener stuck = new ReadingListener() {
            @Override
            public void snapshot(DeviceSnapshot snapshot) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ManagerFixture.RecordingListener fast = new ManagerFixture.RecordingListener();
        f.manager.addListener(stuck, Map.of("service.id", 7L));
        f.manager.addListener(fast, Map.of("service.id", 8L));
        Heatpump hp = f.create("Cellar", a);

        f.await("8 snapshots at the fast listener", () -> fast.count(hp.id()) >= 8);
        ListenerStats.ListenerStat stuckStat = f.manager.listenerStats().stream()
                .filter(s -> s.listener().endsWith("-7")).findFirst().orElseThrow();
        ListenerStats.ListenerStat fastStat = f.manager.listenerStats().stream()
                .filter(s -> s.listener().endsWith("-8")).findFirst().orElseThrow();
        assertTrue(stuckStat.dropped() >= 4, "dropped " + stuckStat.dropped());
        assertTrue(stuckStat.queued() <= 2);
        assertEquals(0, fastStat.dropped());
        assertEquals(DeviceState.ONLINE, f.status(hp.id()).state());
        release.countDown();
    }

    @Test
    void deviceIsDegradedWhenSomeSensorsCannotBeRead() throws Exception {
        SensorDefinition missing = SensorDefinition.builder("temp_missing").type(DataType.INT16).scale(0.1)
                .kind(RegisterKind.HOLDING).address(40).build(); // the simulator does not define register 40
        TestDriver partial = new TestDriver("model-p") {
            @Override
            public List<SensorDefinition> sensors(DeviceConfig deviceConfig) {
                List<SensorDefinition> all = new java.util.ArrayList<>(TestDriver.SENSORS);
                all.add(missing);
                return all;
            }
        };
        f.registry.bindDriver(partial);
        SimulatedDevice a = f.simulator();
        f.start();
        Heatpump hp = f.manager.create(new Heatpump("", "Partial", TestDriver.MANUFACTURER, "model-p",
                new ConnectionConfig("127.0.0.1", a.port(), 1), DeviceConfig.empty(), 1, true, null, null));
        f.await("degraded", () -> f.status(hp.id()).state() == DeviceState.DEGRADED);
        DeviceSnapshot latest = f.latest(hp.id());
        assertEquals(Quality.ERROR, latest.reading("temp_missing").quality());
        assertEquals(Quality.GOOD, latest.reading("temp_outdoor").quality());
    }

    @Test
    void refusesASecondDeviceOnTheSameHostPortAndUnit() throws Exception {
        f.start();
        Heatpump first = f.manager.create(ManagerFixture.definition("One", 15502));
        Heatpump sameEndpoint = new Heatpump("", "Two", TestDriver.MANUFACTURER, TestDriver.MODEL,
                new ConnectionConfig(" 127.0.0.1", 15502, 1), DeviceConfig.empty(), 1, true, null, null);

        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> f.manager.create(sameEndpoint));
        assertTrue(e.conflict());
        assertTrue(e.getMessage().contains(first.id()), e.getMessage());

        Heatpump otherUnit = new Heatpump("", "Three", TestDriver.MANUFACTURER, TestDriver.MODEL,
                new ConnectionConfig("127.0.0.1", 15502, 2), DeviceConfig.empty(), 1, true, null, null);
        Heatpump third = f.manager.create(otherUnit);
        // moving the third device onto the first one's endpoint is refused too
        Heatpump moved = new Heatpump(third.id(), "Three", TestDriver.MANUFACTURER, TestDriver.MODEL,
                new ConnectionConfig("127.0.0.1", 15502, 1), DeviceConfig.empty(), 1, true, null, null);
        assertTrue(assertThrows(InvalidConfigurationException.class, () -> f.manager.update(moved)).conflict());
        assertEquals(2, f.repository.rows.size());
    }

    @Test
    void rejectsMalformedDefinitionsWithEveryProblemNamed() {
        f.start();
        Heatpump bad = new Heatpump("", "  ", TestDriver.MANUFACTURER, TestDriver.MODEL,
                new ConnectionConfig("", 70000, 1), DeviceConfig.of(List.of("Z"), List.of()), 86401, true, null,
                null);
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> f.manager.create(bad));
        assertFalse(e.conflict());
        assertEquals(List.of("name must not be blank", "host must not be blank", "port must be 1-65535",
                "poll interval must be at most 86400 s", "unknown heating circuit Z"), e.problems());

        Heatpump longName = ManagerFixture.definition("x".repeat(101), 15503);
        assertEquals(List.of("name must be at most 100 characters"),
                assertThrows(InvalidConfigurationException.class, () -> f.manager.create(longName)).problems());

        Heatpump unknownModel = new Heatpump("", "Other", "nobody", "nothing", new ConnectionConfig("h", 502, 1),
                DeviceConfig.empty(), 0, true, null, null);
        assertEquals(List.of("no driver installed for nobody/nothing"),
                assertThrows(InvalidConfigurationException.class, () -> f.manager.create(unknownModel)).problems());
        assertTrue(f.repository.rows.isEmpty());
    }

    @Test
    void pollIntervalIsNeverBelowTheDriversMinimumAndDefaultsToItsSuggestion() throws Exception {
        TestDriver slow = new TestDriver("model-s") {
            @Override
            public int minPollIntervalSeconds() {
                return 5;
            }

            @Override
            public int defaultPollIntervalSeconds() {
                return 60;
            }
        };
        f.registry.bindDriver(slow);
        f.start();
        Heatpump tooFast = new Heatpump("", "Slow", TestDriver.MANUFACTURER, "model-s",
                new ConnectionConfig("10.0.0.9", 502, 1), DeviceConfig.empty(), 4, true, null, null);
        assertEquals(List.of("poll interval must be at least 5 s for this model"),
                assertThrows(InvalidConfigurationException.class, () -> f.manager.create(tooFast)).problems());
        Heatpump unset = new Heatpump("", "Slow", TestDriver.MANUFACTURER, "model-s",
                new ConnectionConfig("10.0.0.9", 502, 1), DeviceConfig.empty(), 0, false, null, null);
        assertEquals(60, f.manager.create(unset).pollIntervalSeconds());
    }

    @Test
    void createdDeviceGetsAnIdStoredRowAndTheDriversDashboard() throws Exception {
        f.start();
        Heatpump hp = f.manager.create(ManagerFixture.definition("  Cellar  ", 15504));
        assertTrue(hp.id().matches("hp-[0-9a-f]{8}"), hp.id());
        assertEquals("Cellar", hp.name());
        assertNotNull(hp.createdAt());
        assertEquals(hp, f.repository.rows.get(hp.id()));
        var boards = f.dashboards.list(hp.id());
        assertEquals(1, boards.size());
        assertEquals("Overview", boards.get(0).name());
        assertTrue(boards.get(0).config().contains("\"charts\":[{\"title\":\"Temperatures\""),
                boards.get(0).config());

        f.manager.delete(hp.id());
        assertTrue(f.repository.rows.isEmpty());
        assertTrue(f.manager.heatpumps().isEmpty());
    }

    @Test
    void disabledDeviceIsNotPolledAndResumesWhenEnabled() throws Exception {
        SimulatedDevice a = f.simulator();
        f.start();
        Heatpump hp = f.create("Cellar", a);
        f.await("online", () -> f.status(hp.id()).state() == DeviceState.ONLINE);
        f.manager.setEnabled(hp.id(), false);
        assertEquals(DeviceState.DISABLED, f.status(hp.id()).state());
        long requests = a.server().requestCount();
        f.time.advance(java.time.Duration.ofSeconds(5)); // five poll intervals
        assertEquals(requests, a.server().requestCount(), "no request reaches a disabled device");
        assertFalse(f.repository.rows.get(hp.id()).enabled());

        f.manager.setEnabled(hp.id(), true);
        f.await("online again", () -> f.status(hp.id()).state() == DeviceState.ONLINE);
    }

    @Test
    void devicesStoredBeforeStartArePolledAfterStart() throws Exception {
        SimulatedDevice a = f.simulator();
        Heatpump stored = ManagerFixture.definition("Cellar", a.port()).withId("hp-legacy");
        f.repository.insert(stored);
        f.start();
        f.await("the stored device online", () -> f.status("hp-legacy").state() == DeviceState.ONLINE);
        assertEquals(Quality.GOOD, f.latest("hp-legacy").reading("temp_outdoor").quality());
    }

    @Test
    void testConnectionReadsSomeSensorsThroughAFreshSession() throws Exception {
        SimulatedDevice a = f.simulator();
        f.start();
        ReadResult r = f.manager.testConnection(ManagerFixture.definition("Wizard", a.port()));
        assertEquals(7.5, r.readings().get("temp_outdoor").value(), 1e-9);
        assertTrue(r.readings().size() <= PollingManager.TEST_CONNECTION_SENSORS);
        assertEquals(1, f.driver.sessions.size());
        assertEquals(0, f.driver.openSessions(), "the wizard's session is closed");
        assertTrue(f.manager.heatpumps().isEmpty(), "testing a connection does not configure a device");
    }
}
