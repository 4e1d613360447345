package gateway.driver.stiebel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.Quality;
import gateway.core.api.ReadResult;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.modbus.ModbusSimulatorServer;
import gateway.core.modbus.RegisterBank;

/**
 * The driver's session against the simulated ISG over real loopback sockets: identification, values, split totals,
 * optional blocks dropped after exception 02, core blocks split, FC06 writes, SG Ready fall-back, disconnects and
 * latency.
 */
class StiebelSessionTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private StiebelSimulator sim(StiebelController controller) throws Exception {
        StiebelSimulator sim = StiebelSimulator.start(controller, 0, 0);
        open.add(sim);
        return sim;
    }

    private StiebelSession session(StiebelModel model, int port, int timeoutMs) {
        StiebelSession s = (StiebelSession) driver(model).openUnchecked(
                new ConnectionConfig("127.0.0.1", port, 1, timeoutMs, Map.of()));
        open.add(s);
        return s;
    }

    private StiebelSession session(StiebelModel model, int port) {
        return session(model, port, 2000);
    }

    private static TestableDriver driver(StiebelModel model) {
        return new TestableDriver(model);
    }

    /** The driver with open() free of a checked exception (it never throws: the session connects lazily). */
    private static final class TestableDriver extends StiebelDriver {
        TestableDriver(StiebelModel model) {
            super(model);
        }

        gateway.core.api.DeviceSession openUnchecked(ConnectionConfig c) {
            try {
                return open(c, DeviceConfig.empty());
            } catch (DeviceException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static List<SensorDefinition> all(StiebelModel model) {
        return driver(model).sensors(DeviceConfig.empty());
    }

    private static SensorDefinition sensor(StiebelModel model, String id) {
        return all(model).stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void wpm3iValuesMatchWhatTheIsgServes() throws Exception {
        StiebelSimulator sim = sim(StiebelController.WPM_3I);
        sim.step(600);
        StiebelSession session = session(StiebelModel.WPM, sim.port());
        ReadResult r = session.read(all(StiebelModel.WPM));
        assertEquals(StiebelController.WPM_3I, session.controller().orElseThrow());
        for (String id : List.of("temp_outdoor", "temp_flow", "temp_return", "temp_hot_water", "pressure_heating",
                "hot_water_comfort_temp", "operating_mode", "operating_status", "temp_hot_gas", "sg_ready_state",
                "runtime_compressor_heating", "energy_heating_total", "energy_consumed_total")) {
            SensorReading reading = r.readings().get(id);
            assertEquals(Quality.GOOD, reading.quality(), id + ": " + reading);
            assertEquals(sim.value(id), reading.value(), 1e-9, id);
        }
        assertEquals(391, r.readings().get("controller_id").value(), 1e-9);
        assertEquals("WPM 3i", r.readings().get("controller_id").text());
        // 2506 DEFROST INITIATED is a WPMsystem / WPM 3 register: the 3i serves 0x8000 inside the block
        assertEquals(Quality.INVALID, r.readings().get("defrost_initiated").quality());
        assertEquals(all(StiebelModel.WPM).size(), r.readings().size(), "every sensor has a reading");
    }

    @Test
    void splitTotalsAreSummedAndInvalidWhenEitherHalfIsUnavailable() throws Exception {
        StiebelSimulator sim = sim(StiebelController.WPM_3I);
        // 3502 LOW = 345 kWh, 3503 HI = 12 MWh → 12 345 kWh; 3505/3506 = 999 + 3 × 1000
        sim.setRaw(RegisterKind.INPUT, 3502, 345);
        sim.setRaw(RegisterKind.INPUT, 3503, 12);
        sim.setRaw(RegisterKind.INPUT, 3505, 999);
        sim.setRaw(RegisterKind.INPUT, 3506, 3);
        StiebelSession session = session(StiebelModel.WPM, sim.port());
        List<SensorDefinition> energy = all(StiebelModel.WPM).stream().filter(s -> s.id().startsWith("energy_")).toList();
        ReadResult r = session.read(energy);
        assertEquals(12_345, r.readings().get("energy_heating_total").value(), 1e-9);
        assertEquals(3_999, r.readings().get("energy_hot_water_total").value(), 1e-9);
        assertEquals(12_345 + 3_999, r.readings().get("energy_produced_total").value(), 1e-9);

        // pail23#133: 32768 in energy registers → no value, never 32 768 000 kWh
        sim.setRaw(RegisterKind.INPUT, 3503, 0x8000);
        sim.setRaw(RegisterKind.INPUT, 3505, 0x8000);
        r = session.read(energy);
        assertEquals(Quality.INVALID, r.readings().get("energy_heating_total").quality());
        assertNull(r.readings().get("energy_heating_total").value());
        assertEquals(Quality.INVALID, r.readings().get("energy_hot_water_total").quality(), "LOW half missing");
        assertEquals(Quality.INVALID, r.readings().get("energy_produced_total").quality());
        assertEquals(Quality.GOOD, r.readings().get("energy_heating_consumed_total").quality(), "others unaffected");
    }

    @Test
    void lwzCompressorStartsCombineHighAndLow() throws Exception {
        StiebelSimulator sim = sim(StiebelController.LWZ_X04);
        sim.setRaw(RegisterKind.INPUT, 31, 7);   // HI
        sim.setRaw(RegisterKind.INPUT, 34, 42);  // LOW
        StiebelSession session = session(StiebelModel.LWZ, sim.port());
        ReadResult r = session.read(List.of(sensor(StiebelModel.LWZ, "compressor_starts"),
                sensor(StiebelModel.LWZ, "temp_outdoor")));
        assertEquals(7_042, r.readings().get("compressor_starts").value(), 1e-9);
    }

    @Test
    void optionalBlocksAreDroppedAfterExceptionTwoAndNeverAskedAgain() throws Exception {
        StiebelSimulator sim = sim(StiebelController.WPM_3I);
        StiebelSession session = session(StiebelModel.WPM, sim.port());
        List<SensorDefinition> sensors = all(StiebelModel.WPM);
        long before = sim.requestCount();
        ReadResult first = session.read(sensors);
        // identification + 5 core blocks + 5 optional blocks (refrigerant, runtimes, system info answer;
        // the cascade HP1 block and the WPMsystem inverter power are refused)
        assertEquals(11, first.requests());
        assertEquals(11, sim.requestCount() - before);
        assertEquals(java.util.Set.of(StiebelBlock.WPM_HP1, StiebelBlock.WPM_INVERTER_POWER), session.droppedBlocks());
        for (String id : List.of("hp1_temp_flow", "hp1_pressure_high", "power_inverter")) {
            SensorReading reading = first.readings().get(id);
            assertEquals(Quality.INVALID, reading.quality(), id);
            assertTrue(reading.error().contains("exception 02"), reading.error());
        }
        ReadResult second = session.read(sensors);
        assertEquals(8, second.requests(), "steady state: 5 core + 3 answering optional blocks per poll");
        assertEquals(Quality.INVALID, second.readings().get("power_inverter").quality());
        assertEquals(Quality.GOOD, second.readings().get("temp_hot_gas").quality());
    }

    @Test
    void otherControllersServeTheirOwnOptionalBlocks() throws Exception {
        StiebelSimulator system = sim(StiebelController.WPM_SYSTEM);
        system.step(60);
        StiebelSession s = session(StiebelModel.WPM, system.port());
        ReadResult r = s.read(all(StiebelModel.WPM));
        assertEquals(java.util.Set.of(StiebelBlock.WPM_3I_REFRIGERANT, StiebelBlock.WPM_RUNTIMES), s.droppedBlocks());
        assertEquals(Quality.GOOD, r.readings().get("power_inverter").quality());
        assertEquals(Quality.GOOD, r.readings().get("defrost_initiated").quality());

        StiebelSimulator lwz = sim(StiebelController.LWZ_X04);
        StiebelSession ls = session(StiebelModel.LWZ, lwz.port());
        ReadResult first = ls.read(all(StiebelModel.LWZ));
        assertEquals(7, first.requests(), "identification + values, state, energy, parameters, SG Ready, system info");
        assertEquals(6, ls.read(all(StiebelModel.LWZ)).requests());
        assertTrue(ls.droppedBlocks().isEmpty());
    }

    @Test
    void aControllerOfTheOtherFamilyIsRefusedClearlyAndNothingIsWritten() throws Exception {
        StiebelSimulator lwz = sim(StiebelController.LWZ_X04);
        StiebelSession wrong = session(StiebelModel.WPM, lwz.port());
        DeviceProtocolException e = assertThrows(DeviceProtocolException.class, () -> wrong.read(all(StiebelModel.WPM)));
        assertTrue(e.getMessage().contains("controller id 103"), e.getMessage());
        assertTrue(e.getMessage().contains("'lwz'"), "names the model to choose: " + e.getMessage());
        assertTrue(e.getMessage().contains("'wpm'"), e.getMessage());
        assertThrows(DeviceProtocolException.class,
                () -> wrong.write(sensor(StiebelModel.WPM, "hot_water_comfort_temp"), 50));
        assertEquals(0, lwz.writeCount("hot_water_temp_day"));
        assertEquals(0, lwz.server().writeCount(StiebelRegisterMap.wire(1510)), "nothing reached the ISG");
    }

    @Test
    void anUnsupportedControllerIsRefused() throws Exception {
        StiebelSimulator sim = sim(StiebelController.WPM_3);
        sim.setRaw(RegisterKind.INPUT, 5002, 165);
        StiebelSession session = session(StiebelModel.WPM, sim.port());
        DeviceProtocolException e = assertThrows(DeviceProtocolException.class, () -> session.read(all(StiebelModel.WPM)));
        assertTrue(e.getMessage().contains("WPM II"), e.getMessage());
    }

    @Test
    void aMissingIdentificationTrustsTheConfiguredModel() throws Exception {
        // a peer that serves the LWZ values only: 5002 answers exception 02 (openhab-addons#12773)
        RegisterBank bank = new RegisterBank();
        StiebelRegisterMap.rows(StiebelModel.LWZ).stream().filter(r -> r.block() == StiebelBlock.LWZ_VALUES)
                .forEach(r -> r.wire().forEach(bank::define));
        bank.set(RegisterKind.INPUT, 6, 0xFFF6); // −1.0 °C
        ModbusSimulatorServer peer = new ModbusSimulatorServer(bank);
        open.add(peer);
        StiebelSession session = session(StiebelModel.LWZ, peer.start(0));
        ReadResult r = session.read(List.of(sensor(StiebelModel.LWZ, "temp_outdoor"),
                sensor(StiebelModel.LWZ, "temp_flow")));
        assertEquals(-1.0, r.readings().get("temp_outdoor").value(), 1e-9);
        assertTrue(session.controller().isEmpty());
    }

    @Test
    void aRefusedCoreBlockIsReadInSmallerRequestsAndTheRefusalRemembered() throws Exception {
        // a peer that has the WPM value rows but not the registers between them (and not 536): the one block
        // request is refused, the planner splits around it, and the next poll goes straight to what works
        RegisterBank bank = new RegisterBank();
        StiebelRegisterMap.rows(StiebelModel.WPM).stream().filter(r -> r.block() == StiebelBlock.WPM_VALUES
                && !r.id().equals("temp_source")).forEach(r -> r.wire().forEach(bank::define));
        bank.set(RegisterKind.INPUT, 506, 123); // 12.3 °C
        bank.set(RegisterKind.INPUT, 537, 142); // 1.42 bar
        ModbusSimulatorServer peer = new ModbusSimulatorServer(bank);
        open.add(peer);
        StiebelSession session = session(StiebelModel.WPM, peer.start(0));
        List<SensorDefinition> values = all(StiebelModel.WPM).stream()
                .filter(s -> s.address() >= 506 && s.address() <= 537).toList();
        ReadResult first = session.read(values);
        assertEquals(12.3, first.readings().get("temp_outdoor").value(), 1e-9);
        assertEquals(1.42, first.readings().get("pressure_source").value(), 1e-9);
        SensorReading source = first.readings().get("temp_source");
        assertEquals(Quality.INVALID, source.quality());
        assertTrue(source.error().contains("536"), "names the manual number: " + source.error());
        // later polls plan around every refused span: within a few polls the count settles below the first
        int previous = first.requests();
        ReadResult later = null;
        for (int poll = 0; poll < 4; poll++) {
            later = session.read(values);
            if (later.requests() == previous) {
                break;
            }
            previous = later.requests();
        }
        assertEquals(previous, later.requests(), "settled: no request is refused again");
        assertTrue(later.requests() < first.requests(), first.requests() + " then " + later.requests());
        assertEquals(12.3, later.readings().get("temp_outdoor").value(), 1e-9);
        assertEquals(Quality.INVALID, later.readings().get("temp_source").quality());
    }

    @Test
    void writesUseFc06AndLandOnce() throws Exception {
        StiebelSimulator sim = sim(StiebelController.WPM_3I);
        StiebelSession session = session(StiebelModel.WPM, sim.port());
        // the simulated ISG answers FC16 with exception 01: a multi-register write would fail here
        session.write(sensor(StiebelModel.WPM, "hot_water_comfort_temp"), 52.5);
        assertEquals(525, sim.raw(RegisterKind.HOLDING, 1510));
        assertEquals(1, sim.writeCount("hot_water_comfort_temp"));
        session.write(sensor(StiebelModel.WPM, "operating_mode"), 3);
        assertEquals(3, sim.value("operating_mode"), 1e-9);
        assertThrows(DeviceProtocolException.class, () -> session.write(sensor(StiebelModel.WPM, "temp_outdoor"), 3));
        assertThrows(DeviceProtocolException.class,
                () -> session.write(sensor(StiebelModel.WPM, "heating_curve_circuit_1"), 1));
        assertEquals(0, sim.server().writeCount(StiebelRegisterMap.wire(1504)));
    }

    @Test
    void sgReadyInputsFallBackUnlessRewritten() throws Exception {
        StiebelSimulator sim = sim(StiebelController.LWZ_X04);
        StiebelSession session = session(StiebelModel.LWZ, sim.port());
        session.write(sensor(StiebelModel.LWZ, "sg_ready_enabled"), 1);
        session.write(sensor(StiebelModel.LWZ, "sg_ready_input_1"), 1);
        sim.step(1);
        // pail23#539: switch on, input 1 = 1, input 2 = 0 → state 3 (forced)
        assertEquals(3, sim.value("sg_ready_state"), 1e-9);
        sim.step(StiebelSimulator.SG_READY_FALLBACK_SECONDS);
        assertEquals(0, sim.value("sg_ready_input_1"), 1e-9, "forgotten after 30–60 s");
        assertEquals(2, sim.value("sg_ready_state"), 1e-9);
        session.write(sensor(StiebelModel.LWZ, "sg_ready_input_1"), 1);
        sim.step(20);
        session.write(sensor(StiebelModel.LWZ, "sg_ready_input_1"), 1);
        sim.step(30);
        assertEquals(1, sim.value("sg_ready_input_1"), 1e-9, "rewritten within the fall-back, it holds");
    }

    @Test
    void aSimulatorStartedWithAShorterFallBackForgetsTheInputThen() throws Exception {
        StiebelLwzSimulatorService service = new StiebelLwzSimulatorService();
        StiebelSimulator sim = (StiebelSimulator) service.create(0, new DeviceConfig(List.of(), List.of(),
                Map.of(StiebelSimulator.OPTION_SG_READY_FALLBACK_SECONDS, "20")));
        open.add(sim);
        StiebelSession session = session(StiebelModel.LWZ, sim.port());
        session.write(sensor(StiebelModel.LWZ, "sg_ready_input_1"), 1);
        sim.step(5);
        assertEquals(1, sim.value("sg_ready_input_1"), 1e-9, "held within the 20 s");
        sim.step(20);
        assertEquals(0, sim.value("sg_ready_input_1"), 1e-9, "forgotten after 20 s, not 45 s");
        for (String bad : new String[] {"0", "-3", "soon"}) {
            DeviceConfig config = new DeviceConfig(List.of(), List.of(),
                    Map.of(StiebelSimulator.OPTION_SG_READY_FALLBACK_SECONDS, bad));
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> service.create(0, config));
            assertTrue(e.getMessage().contains(StiebelSimulator.OPTION_SG_READY_FALLBACK_SECONDS), e.getMessage());
        }
    }

    @Test
    void aDroppedConnectionIsReopenedAndTheControllerIdentifiedAgain() throws Exception {
        StiebelSimulator sim = sim(StiebelController.LWZ_X04);
        StiebelSession session = session(StiebelModel.LWZ, sim.port());
        List<SensorDefinition> one = List.of(sensor(StiebelModel.LWZ, "temp_outdoor"));
        assertEquals(2, session.read(one).requests(), "identification + one block");
        assertEquals(1, session.read(one).requests());
        sim.disconnectClients();
        ReadResult after;
        try {
            after = session.read(one);
        } catch (DeviceUnreachableException e) {
            assertTrue(!session.connected());
            after = session.read(one);
        }
        assertEquals(Quality.GOOD, after.readings().get("temp_outdoor").quality());
        assertNotNull(session.controller().orElse(null));
    }

    @Test
    void aSlowIsgWithinTheTimeoutIsReadAndBeyondItIsUnreachable() throws Exception {
        StiebelSimulator sim = sim(StiebelController.WPM_3I);
        List<SensorDefinition> one = List.of(sensor(StiebelModel.WPM, "temp_outdoor"));
        sim.latencyMillis(50);
        StiebelSession patient = session(StiebelModel.WPM, sim.port(), 2000);
        assertEquals(Quality.GOOD, patient.read(one).readings().get("temp_outdoor").quality());
        sim.latencyMillis(600);
        StiebelSession hasty = session(StiebelModel.WPM, sim.port(), 150);
        assertThrows(DeviceUnreachableException.class, () -> hasty.read(one));
        sim.latencyMillis(0);
        assertEquals(Quality.GOOD, hasty.read(one).readings().get("temp_outdoor").quality(), "recovers");
    }

    @Test
    void nothingListeningIsUnreachable() throws Exception {
        int port = freePort();
        StiebelSession session = session(StiebelModel.WPM, port, 500);
        assertThrows(DeviceUnreachableException.class, () -> session.read(all(StiebelModel.WPM)));
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
