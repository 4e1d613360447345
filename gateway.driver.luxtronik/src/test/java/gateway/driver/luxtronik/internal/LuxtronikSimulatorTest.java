package gateway.driver.luxtronik.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceSession;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.HeatpumpSimulator;
import gateway.core.api.Quality;
import gateway.core.api.ReadResult;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

/** The driver against its simulator over a real loopback socket. */
class LuxtronikSimulatorTest {

    private final LuxtronikDriver driver = new LuxtronikDriver();
    private LuxtronikSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private LuxtronikSimulator start(String firmware) throws IOException {
        sim = LuxtronikSimulator.start(0, firmware);
        return sim;
    }

    private DeviceSession open(DeviceConfig config) throws Exception {
        return driver.open(new ConnectionConfig("127.0.0.1", sim.port(), 0, 1000, Map.of()), config);
    }

    private SensorDefinition sensor(String id) {
        return driver.sensor(DeviceConfig.empty(), id).orElseThrow();
    }

    private List<SensorDefinition> all() {
        return driver.sensors(DeviceConfig.empty());
    }

    @Test
    void aPollReturnsTheValuesTheSimulatorServes() throws Exception {
        start("V3.88.1").freeze(true);
        try (DeviceSession session = open(DeviceConfig.empty())) {
            ReadResult result = session.read(all());
            assertEquals(all().size(), result.readings().size());
            for (String id : List.of("temp_flow", "temp_return", "temp_outdoor", "temp_hot_water",
                    "runtime_compressor1", "starts_compressor1", "operating_state", "heat_quantity_heating",
                    "pressure_high", "hot_water_target", "heating_mode", "heating_curve_end_point")) {
                SensorReading r = result.readings().get(id);
                assertEquals(Quality.GOOD, r.quality(), id);
                assertEquals(sim.value(id), r.value(), 1e-9, id);
            }
            assertEquals("V3.88.1", result.readings().get("firmware_version").text());
            assertEquals("192.168.1.50", result.readings().get("ip_address").text());
            assertEquals(3, result.requests(), "first poll reads calculations, parameters and visibilities");
            assertEquals(12 + 4 * 269 + 8 + 4 * 1160 + 8 + 380, result.bytes());
            assertTrue(session.connected());
        }
    }

    @Test
    void valuesMoveBetweenPolls() throws Exception {
        start("V3.88.1");
        sim.calculation(15, 0);
        try (DeviceSession session = open(DeviceConfig.empty())) {
            session.read(List.of(sensor("temp_outdoor")));
            double t1 = session.read(List.of(sensor("controller_time"))).readings().get("controller_time").value();
            // the controller's clock has whole seconds: poll until it moves (a busy machine may take longer)
            long deadline = System.nanoTime() + 30_000_000_000L;
            double t2 = t1;
            while (t2 <= t1 && System.nanoTime() < deadline) {
                t2 = session.read(List.of(sensor("controller_time"))).readings().get("controller_time").value();
            }
            assertTrue(t2 > t1, t1 + " then " + t2);
        }
    }

    @Test
    void parametersAndVisibilitiesAreReadAtASlowerCadence() throws Exception {
        start("V3.88.1");
        LuxtronikClient client = new LuxtronikClient("127.0.0.1", sim.port(), 1000, 1000, 5000);
        try (LuxtronikSession session = new LuxtronikSession(client, true, 3, Duration.ofMinutes(10))) {
            int[] perPoll = new int[7];
            for (int i = 0; i < perPoll.length; i++) {
                perPoll[i] = session.read(List.of(sensor("temp_outdoor"))).requests();
            }
            assertEquals(List.of(3, 1, 1, 3, 1, 1, 3), java.util.Arrays.stream(perPoll).boxed().toList());
        }
    }

    @Test
    void heatQuantitySignBugIsCorrected() throws Exception {
        start("V3.88.1").freeze(true);
        sim.heatQuantityBug(true);
        assertTrue(sim.calculation(151) >= LuxtronikMap.HEAT_QUANTITY_BUG_OFFSET, "simulator serves the bug");
        try (DeviceSession session = open(DeviceConfig.empty())) {
            SensorReading r = session.read(List.of(sensor("heat_quantity_heating"))).readings()
                    .get("heat_quantity_heating");
            double expected = (sim.calculation(151) - 214748364) / 10.0;
            assertEquals(expected, r.value(), 1e-9);
            assertTrue(r.value() < 100_000, "a plausible kWh figure, not 2e7");
        }
    }

    @Test
    void sensorsOfFunctionsNotFittedAreInvalidUnlessHidingIsOff() throws Exception {
        start("V3.88.1");
        List<SensorDefinition> pool = List.of(sensor("heat_quantity_pool"), sensor("temp_flow_mk2"),
                sensor("temp_flow_mk1"));
        try (DeviceSession session = open(DeviceConfig.empty())) {
            Map<String, SensorReading> r = session.read(pool).readings();
            assertEquals(Quality.INVALID, r.get("heat_quantity_pool").quality());
            assertTrue(r.get("heat_quantity_pool").error().contains("not fitted"));
            assertEquals(Quality.INVALID, r.get("temp_flow_mk2").quality());
            assertEquals(Quality.GOOD, r.get("temp_flow_mk1").quality());
        }
        try (DeviceSession session = open(new DeviceConfig(List.of(), List.of(),
                Map.of(LuxtronikDriver.OPTION_HIDE_INVISIBLE, "false")))) {
            assertEquals(Quality.GOOD, session.read(pool).readings().get("heat_quantity_pool").quality());
        }
    }

    @Test
    void writeOfAnAllowListedParameterReachesTheControllerOnceAndReadsBack() throws Exception {
        start("V3.88.1").freeze(true);
        try (DeviceSession session = open(DeviceConfig.empty())) {
            session.read(all());
            session.write(sensor("hot_water_target"), 50.0);
            assertEquals(1, sim.writeCount("hot_water_target"));
            assertEquals(1, sim.writeCount(105));
            assertEquals(500, sim.parameter(105));
            long t0 = System.nanoTime();
            ReadResult back = session.read(List.of(sensor("hot_water_target")));
            assertTrue(System.nanoTime() - t0 >= 900_000_000L, "read-back waits for the controller");
            assertEquals(50.0, back.readings().get("hot_water_target").value(), 1e-9);
            assertEquals(3, back.requests(), "the read-back refreshes the parameter table");
        }
    }

    @Test
    void writeOfAModeUsesItsEnumValue() throws Exception {
        start("V3.88.1");
        try (DeviceSession session = open(DeviceConfig.empty())) {
            session.write(sensor("heating_mode"), 4);
            assertEquals(4, sim.parameter(3));
        }
    }

    @Test
    void parametersOffTheAllowListAndOutOfRangeValuesAreRefusedWithoutAnyWrite() throws Exception {
        start("V3.88.1");
        try (DeviceSession session = open(DeviceConfig.empty())) {
            session.read(all());
            assertThrows(LuxtronikWriteRefusedException.class,
                    () -> session.write(sensor("heating_night_setback"), 2.0));
            assertThrows(LuxtronikWriteRefusedException.class, () -> session.write(sensor("access_level"), 3));
            // a caller-made definition pointing a writable id at another index is refused too
            SensorDefinition forged = sensor("hot_water_target").toBuilder().address(107).build();
            assertThrows(LuxtronikWriteRefusedException.class, () -> session.write(forged, 50));
            assertThrows(LuxtronikWriteRefusedException.class, () -> session.write(sensor("hot_water_target"), 90));
            assertThrows(LuxtronikWriteRefusedException.class,
                    () -> session.write(sensor("heating_curve_offset"), -7.5));
        }
        for (int index : new int[] {13, 105, 107, 1}) {
            assertEquals(0, sim.writeCount(index), "index " + index);
        }
    }

    @Test
    void firmware90RefusesWritesInTheSessionEvenWithoutAnEarlierPoll() throws Exception {
        start("V2.90.0");
        try (DeviceSession session = open(DeviceConfig.empty())) {
            LuxtronikWriteRefusedException e = assertThrows(LuxtronikWriteRefusedException.class,
                    () -> session.write(sensor("hot_water_target"), 50.0));
            assertTrue(e.getMessage().contains("V2.90.0") && e.getMessage().contains("reboot"), e.getMessage());
        }
        try (DeviceSession session = open(DeviceConfig.empty())) {
            session.read(all());
            assertThrows(LuxtronikWriteRefusedException.class, () -> session.write(sensor("heating_mode"), 0));
        }
        assertEquals(0, sim.writeCount(105));
        assertEquals(0, sim.writeCount(3));
    }

    @Test
    void firmware90SimulatorRebootsOnARawWriteAndComesBack() throws Exception {
        start("V1.90.0").rebootMillis(1500);
        LuxtronikClient raw = new LuxtronikClient("127.0.0.1", sim.port(), 500, 500, 2000);
        assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(DeviceUnreachableException.class, () -> raw.writeParameter(105, 500)));
        assertEquals(1, sim.writeCount(105));
        assertEquals(480, sim.parameter(105), "the rebooting controller did not store it");
        assertThrows(DeviceUnreachableException.class, raw::readCalculations);
        // back after its reboot: retry until it answers instead of sleeping through the 1.5 s
        assertEquals("V1.90.0", LuxtronikDecoder.characters(readWhenBack(raw), 81, 10));
    }

    @Test
    void aSecondClientIsRefusedWhileTheFirstIsConnected() throws Exception {
        start("V3.88.1");
        try (Socket first = new Socket(InetAddress.getLoopbackAddress(), sim.port())) {
            readCalculationsRaw(first);
            try (Socket second = new Socket(InetAddress.getLoopbackAddress(), sim.port())) {
                second.setSoTimeout(2000);
                assertEquals(-1, second.getInputStream().read(), "second client is closed");
            }
            readCalculationsRaw(first); // the first client is unaffected
            assertEquals(1, sim.refusedClients());
            // and the driver, as a second client, sees the controller as unreachable
            try (DeviceSession session = open(DeviceConfig.empty())) {
                assertThrows(DeviceUnreachableException.class, () -> session.read(List.of(sensor("temp_flow"))));
            }
        }
    }

    @Test
    void withDropOldPolicyTheNewClientWins() throws Exception {
        start("V3.88.1").secondClient(LuxtronikSimulator.SecondClient.DROP_OLD);
        try (Socket first = new Socket(InetAddress.getLoopbackAddress(), sim.port())) {
            readCalculationsRaw(first);
            first.setSoTimeout(2000);
            try (DeviceSession session = open(DeviceConfig.empty())) {
                assertEquals(Quality.GOOD, session.read(List.of(sensor("temp_flow"))).readings().get("temp_flow")
                        .quality());
            }
            assertEquals(-1, first.getInputStream().read(), "the first client was dropped");
        }
    }

    @Test
    void simulatorFaultsBecomeClearExceptionsAndThePollAfterwardsWorks() throws Exception {
        start("V3.88.1");
        try (DeviceSession session = open(DeviceConfig.empty())) {
            List<SensorDefinition> one = List.of(sensor("temp_flow"));
            session.read(one);
            sim.injectFault(LuxtronikSimulator.Fault.DROP_MID_REPLY);
            assertThrows(DeviceUnreachableException.class, () -> session.read(one));
            sim.injectFault(LuxtronikSimulator.Fault.OVERSIZED_LENGTH);
            assertThrows(DeviceProtocolException.class, () -> session.read(one));
            sim.injectFault(LuxtronikSimulator.Fault.GARBAGE);
            assertThrows(DeviceProtocolException.class, () -> session.read(one));
            sim.injectFault(LuxtronikSimulator.Fault.TRUNCATED_REPLY);
            assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(DeviceUnreachableException.class, () -> session.read(one)));
            sim.injectFault(LuxtronikSimulator.Fault.EXTRA_ENTRIES);
            assertEquals(Quality.GOOD, session.read(one).readings().get("temp_flow").quality());
            sim.latencyMillis(200);
            assertEquals(Quality.GOOD, session.read(one).readings().get("temp_flow").quality());
            sim.disconnectClients();
            assertEquals(Quality.GOOD, session.read(one).readings().get("temp_flow").quality());
        }
    }

    @Test
    void unknownCommandClosesTheConnection() throws Exception {
        start("V3.88.1");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), sim.port())) {
            s.setSoTimeout(2000);
            new DataOutputStream(s.getOutputStream()).write(new byte[] {0, 0, 0x0B, (byte) 0xB9, 0, 0, 0, 0});
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void simulatorServiceOffersTheContractIdsAndClosesWhatItStarted() throws Exception {
        LuxtronikSimulatorService service = new LuxtronikSimulatorService();
        assertEquals("luxtronik", service.manufacturerId());
        assertEquals("luxtronik_2_1", service.modelId());
        HeatpumpSimulator.Running running = service.start(0, new DeviceConfig(List.of(), List.of(),
                Map.of("firmware", "V2.90.0")));
        int port = running.port();
        assertNotNull(running.value("temp_flow"));
        assertEquals(0, running.writeCount("hot_water_target"));
        service.deactivate();
        LuxtronikClient client = new LuxtronikClient("127.0.0.1", port, 500, 500, 1000);
        assertThrows(DeviceUnreachableException.class, client::readCalculations);
    }

    /** Reads one 3004 reply by hand. */
    private static void readCalculationsRaw(Socket s) throws IOException {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(3004);
        out.writeInt(0);
        out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        assertEquals(3004, in.readInt());
        in.readInt();
        int n = in.readInt();
        assertEquals(269, n);
        in.readNBytes(4 * n);
    }

    private static int[] readWhenBack(LuxtronikClient client) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                return client.readCalculations();
            } catch (DeviceUnreachableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20); // polling the condition, not waiting a fixed time
            }
        }
    }
}
