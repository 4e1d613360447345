package gateway.driver.vaillant.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceSession;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.Quality;
import gateway.core.api.ReadResult;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

/** The driver against the simulated ebusd over loopback TCP: values, missing messages, faults, writes. */
class VaillantSessionTest {

    private final VaillantDriver driver = new VaillantDriver();
    private final List<SensorDefinition> all = driver.sensors(DeviceConfig.empty());
    private final List<DeviceSession> sessions = new ArrayList<>();
    private EbusdSimulator sim;

    @BeforeEach
    void start() throws Exception {
        sim = EbusdSimulator.start(0);
        sim.freeze(true);
    }

    @AfterEach
    void stop() {
        sessions.forEach(DeviceSession::close);
        sim.close();
    }

    private DeviceSession open(Map<String, String> options, int timeoutMs) throws DeviceException {
        DeviceSession s = driver.open(new ConnectionConfig("127.0.0.1", sim.port(), 1, timeoutMs, options),
                DeviceConfig.empty());
        sessions.add(s);
        return s;
    }

    private DeviceSession open() throws DeviceException {
        return open(Map.of(), 3000);
    }

    private SensorDefinition sensor(String id) {
        return driver.sensor(DeviceConfig.empty(), id).orElseThrow();
    }

    @Test
    void everyValueEqualsWhatTheSimulatorServesAndMissingMessagesAreInvalidNotErrors() throws Exception {
        DeviceSession s = open();
        ReadResult r = s.read(all);
        assertEquals(all.size(), r.readings().size(), "every sensor appears");
        for (SensorDefinition d : all) {
            SensorReading reading = r.readings().get(d.id());
            assertFalse(reading.quality() == Quality.ERROR, d.id() + ": " + reading);
            if (d.id().equals("electrical_energy_total")) {
                assertEquals(Quality.INVALID, reading.quality());
                assertTrue(reading.error().contains("ERR: invalid position"), reading.error());
                continue;
            }
            assertEquals(Quality.GOOD, reading.quality(), d.id() + ": " + reading);
            if (d.id().equals("status_code")) {
                assertTrue(reading.text().startsWith("S."), reading.text());
                continue;
            }
            assertNotNull(sim.value(d.id()), d.id());
            assertEquals(sim.value(d.id()), reading.value(), 1e-9, d.id());
        }
        // FlowTemp is broken on this unit (invalid position): RunDataFlowTemp serves the flow temperature
        assertTrue(sim.commands().contains("read -m 30 -c hmu FlowTemp"));
        assertTrue(sim.commands().contains("read -m 30 -c hmu RunDataFlowTemp"));
        assertEquals("auto", r.readings().get("heating_mode_z1").text());
        assertEquals(sim.value("electrical_power") + sim.value("environmental_yield_power"),
                r.readings().get("heat_output").value(), 1e-9);
        assertTrue(s.connected());
        System.out.printf("vaillant: %d sensors, first poll %d ebusd commands%n", all.size(), r.requests());
    }

    @Test
    void laterPollsSkipSlowValuesAndMessagesThisUnitLacks() throws Exception {
        DeviceSession s = open();
        int first = s.read(all).requests();
        int commandsBefore = sim.commands().size();
        ReadResult second = s.read(all);
        List<String> asked = sim.commands().subList(commandsBefore, sim.commands().size());
        assertFalse(asked.stream().anyMatch(c -> c.endsWith(" FlowTemp")), "the broken message is not asked again");
        assertTrue(asked.contains("read -m 30 -c hmu RunDataFlowTemp"), "the working substitute goes first");
        assertFalse(asked.stream().anyMatch(c -> c.contains("ConsumptionTotal") || c.contains("YieldHc ")
                || c.contains("CompressorStarts")), "slow values wait for their max age: " + asked);
        assertEquals(Quality.INVALID, second.readings().get("electrical_energy_total").quality());
        assertEquals(Quality.GOOD, second.readings().get("compressor_starts").quality());
        assertTrue(second.requests() < first, second.requests() + " < " + first);
        assertEquals(asked.size(), second.requests());
        System.out.printf("vaillant: later polls %d ebusd commands%n", second.requests());
    }

    @Test
    void aReplacementValueIsInvalid() throws Exception {
        sim.nullValue("Z1QuickVetoTemp", true);
        SensorReading r = open().read(List.of(sensor("room_quick_veto_z1"))).readings().get("room_quick_veto_z1");
        assertEquals(Quality.INVALID, r.quality());
        assertTrue(r.error().contains("(-)"), r.error());
    }

    @Test
    void aReadTimeoutFailsThatSensorOnlyAndTheNextPollRecovers() throws Exception {
        sim.readTimeout("HwcStorageTemp", true);
        DeviceSession s = open(Map.of("max_age", "0"), 3000);
        ReadResult r = s.read(all);
        assertEquals(Quality.ERROR, r.readings().get("temp_hot_water").quality());
        assertTrue(r.readings().get("temp_hot_water").error().contains("ERR: read timeout"));
        assertEquals(Quality.GOOD, r.readings().get("temp_outdoor").quality());
        sim.readTimeout("HwcStorageTemp", false);
        assertEquals(Quality.GOOD, s.read(all).readings().get("temp_hot_water").quality());
    }

    @Test
    void noSignalTakesTheDeviceOfflineAndItReturnsWithTheSignal() throws Exception {
        DeviceSession s = open(Map.of("max_age", "0", "slow_max_age", "0"), 3000);
        s.read(all);
        sim.noSignal(true);
        int before = sim.commands().size();
        DeviceUnreachableException e = assertThrows(DeviceUnreachableException.class, () -> s.read(all));
        assertTrue(e.getMessage().contains("no signal"), e.getMessage());
        assertEquals(1, sim.commands().size() - before, "the rest of the poll is skipped after ERR: no signal");
        sim.noSignal(false);
        assertEquals(Quality.GOOD, s.read(all).readings().get("temp_outdoor").quality());
    }

    @Test
    void slowRepliesWithinTheTimeoutAreFineBeyondItTheDeviceIsUnreachableUntilItAnswersAgain() throws Exception {
        DeviceSession s = open(Map.of(), 1000);
        sim.latencyMillis(50);
        assertEquals(Quality.GOOD, s.read(List.of(sensor("temp_outdoor"))).readings().get("temp_outdoor").quality());
        sim.latencyMillis(3000);
        DeviceUnreachableException e = assertThrows(DeviceUnreachableException.class,
                () -> s.read(List.of(sensor("temp_outdoor"))));
        assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
        assertFalse(s.connected(), "the connection whose reply is late is dropped");
        sim.latencyMillis(0);
        assertEquals(Quality.GOOD, s.read(List.of(sensor("temp_outdoor"))).readings().get("temp_outdoor").quality());
    }

    @Test
    void aSilentEbusdIsUnreachable() throws Exception {
        DeviceSession s = open(Map.of(), 500);
        sim.silent(true);
        assertThrows(DeviceUnreachableException.class, () -> s.read(List.of(sensor("temp_outdoor"))));
    }

    @Test
    void anEbusdThatIsNotThereIsUnreachable() throws Exception {
        DeviceSession s = open();
        sim.close();
        assertThrows(DeviceUnreachableException.class, () -> s.read(List.of(sensor("temp_outdoor"))));
    }

    @Test
    void anAllowedWriteIsOneWriteCommandAndTheReadBackGoesToTheBus() throws Exception {
        DeviceSession s = open();
        assertEquals(50.0, s.read(List.of(sensor("hot_water_target"))).readings().get("hot_water_target").value());
        int before = sim.commands().size();
        s.write(sensor("hot_water_target"), 55);
        assertEquals(List.of("write -c ctlv2 HwcTempDesired 55"), sim.commands().subList(before, sim.commands().size()));
        assertEquals(1, sim.writeCount("hot_water_target"));
        assertEquals(55.0, sim.hotWaterTarget());
        // ebusd's cache still holds 50: only a forced read sees the write
        assertEquals(55.0, s.read(List.of(sensor("hot_water_target"))).readings().get("hot_water_target").value());
        assertEquals("read -f -c ctlv2 HwcTempDesired", sim.commands().get(sim.commands().size() - 1));

        s.write(sensor("heating_mode_z1"), 0);
        assertEquals("write -c ctlv2 Z1OpMode off", sim.commands().get(sim.commands().size() - 1));
        assertEquals(0.0, sim.value("heating_mode_z1"));
        s.write(sensor("room_setpoint_day_z1"), 20.5);
        assertEquals(20.5, sim.value("room_setpoint_day_z1"));
    }

    @Test
    void aFailedReadBackKeepsTheNextReadOnTheBus() throws Exception {
        DeviceSession s = open();
        s.read(List.of(sensor("hot_water_target")));
        s.write(sensor("hot_water_target"), 60);
        sim.readTimeout("HwcTempDesired", true);
        assertEquals(Quality.ERROR, s.read(List.of(sensor("hot_water_target"))).readings().get("hot_water_target")
                .quality());
        sim.readTimeout("HwcTempDesired", false);
        assertEquals(60.0, s.read(List.of(sensor("hot_water_target"))).readings().get("hot_water_target").value(),
                "not ebusd's cached 50");
        assertEquals("read -f -c ctlv2 HwcTempDesired", sim.commands().get(sim.commands().size() - 1));
    }

    @Test
    void refusedWritesSendNothing() throws Exception {
        DeviceSession s = open();
        s.read(all);
        int before = sim.commands().size();
        SensorDefinition flow = sensor("temp_flow").toBuilder().access(gateway.core.api.AccessMode.READ_WRITE).build();
        assertThrows(VaillantWriteRefusedException.class, () -> s.write(flow, 30));
        assertThrows(VaillantWriteRefusedException.class, () -> s.write(sensor("hot_water_mode"), 2));
        assertThrows(VaillantWriteRefusedException.class, () -> s.write(sensor("hot_water_target"), 80));
        assertThrows(VaillantWriteRefusedException.class, () -> s.write(sensor("hot_water_target"), 50.5));
        assertThrows(VaillantWriteRefusedException.class, () -> s.write(sensor("room_quick_veto_z1"), 4.5));
        assertEquals(before, sim.commands().size(), "nothing reached ebusd");
        assertEquals(50.0, sim.hotWaterTarget());
    }

    @Test
    void anEbusdErrorOnWriteFailsTheWrite() throws Exception {
        DeviceSession s = open();
        sim.noSignal(true);
        DeviceException e = assertThrows(DeviceException.class, () -> s.write(sensor("hot_water_target"), 55));
        assertTrue(e.getMessage().contains("ERR: no signal"), e.getMessage());
        assertEquals(0, sim.writeCount("hot_water_target"));
    }

    @Test
    void circuitNamesComeFromTheConnectionOptions() throws Exception {
        sim.close();
        sim = EbusdSimulator.start(0, "hmu", "ctlv3");
        ReadResult wrong = open().read(List.of(sensor("temp_outdoor"), sensor("temp_return")));
        assertEquals(Quality.INVALID, wrong.readings().get("temp_outdoor").quality(), "ctlv2 is not there");
        assertEquals(Quality.GOOD, wrong.readings().get("temp_return").quality());
        ReadResult right = open(Map.of("controller_circuit", "ctlv3"), 3000)
                .read(List.of(sensor("temp_outdoor")));
        assertEquals(Quality.GOOD, right.readings().get("temp_outdoor").quality());
        assertTrue(sim.commands().contains("read -m 30 -c ctlv3 DisplayedOutsideTemp"));
    }

    @Test
    void sessionsOfOneEbusdNeverHaveTwoRequestsInFlight() throws Exception {
        sim.latencyMillis(2);
        DeviceSession a = open(Map.of("max_age", "0"), 5000);
        DeviceSession b = open(Map.of("max_age", "0"), 5000);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Map<String, Future<ReadResult>> polls = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                polls.put("a" + i, pool.submit(() -> a.read(all)));
                polls.put("b" + i, pool.submit(() -> b.read(all)));
            }
            for (Future<ReadResult> f : polls.values()) {
                assertEquals(Quality.GOOD, f.get(60, TimeUnit.SECONDS).readings().get("temp_outdoor").quality());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, sim.clientCount(), "two connections, one per session");
        assertEquals(1, sim.maxInFlight(), "one request in flight at a time");
    }
}
