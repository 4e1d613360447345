package gateway.driver.idm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.AccessMode;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.DataType;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceSession;
import gateway.core.api.HeatpumpSimulator;
import gateway.core.api.Quality;
import gateway.core.api.ReadResult;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.modbus.ModbusDeviceProfile;
import gateway.core.modbus.ModbusDeviceSession;

/** The simulator over real loopback sockets, read and written through the shared Modbus session. */
class IdmSimulatorTest {

    private final IdmDriver driver = new IdmDriver();
    private IdmSimulator sim;
    private ConnectionConfig connection;
    private DeviceSession session;

    @BeforeEach
    void start() throws IOException {
        sim = IdmSimulator.start(0, 0, 1); // no model thread: values change only on step(), so reads are comparable
        int port = sim.port();
        connection = new ConnectionConfig("127.0.0.1", port, 1, 2000, Map.of());
        ModbusDeviceSession.forgetRejectedBlocks(connection.endpointKey());
        for (int i = 0; i < 30; i++) {
            sim.step(600);
        }
    }

    @AfterEach
    void stop() {
        if (session != null) {
            session.close();
        }
        sim.close();
    }

    private SensorDefinition sensor(String id) {
        return driver.sensor(IdmRegisterMap.FULL_CONFIG, id).orElseThrow();
    }

    @Test
    void readsCircuitASetWithTheValuesTheSimulatorServes() throws Exception {
        session = driver.open(connection, IdmRegisterMap.DEFAULT_CONFIG);
        List<SensorDefinition> sensors = driver.sensors(IdmRegisterMap.DEFAULT_CONFIG);
        ReadResult result = session.read(sensors);
        int good = 0;
        for (SensorDefinition s : sensors) {
            SensorReading r = result.readings().get(s.id());
            if (!s.readable()) {
                continue;
            }
            assertNotNull(r, s.id());
            Double served = sim.value(s.id());
            switch (r.quality()) {
                case GOOD -> {
                    good++;
                    assertEquals(served, r.value(), 1e-9, s.id());
                }
                case INVALID -> assertTrue(served == -1.0 || served == 0xFFFF || served == 255,
                        s.id() + " invalid but served " + served);
                default -> throw new AssertionError(s.id() + " " + r.quality() + " " + r.error());
            }
        }
        assertTrue(good > 80, "good readings " + good);
        // the simulated unit has no solar collector: served as −1.0, reported unavailable
        assertEquals(Quality.INVALID, result.readings().get("temp_solar_collector").quality());
        assertEquals(Quality.GOOD, result.readings().get("temp_flow_current_circuit_a").quality());
        assertEquals(result.requests(), sim.requestCount());
    }

    @Test
    void servesEveryCircuitAndZoneForAnyConfiguration() throws Exception {
        session = driver.open(connection, IdmRegisterMap.FULL_CONFIG);
        List<SensorDefinition> sensors = driver.sensors(IdmRegisterMap.FULL_CONFIG);
        ReadResult result = session.read(sensors);
        for (SensorReading r : result.readings().values()) {
            assertTrue(r.quality() == Quality.GOOD || r.quality() == Quality.INVALID, r.sensorId() + " " + r.error());
        }
        double setpoint = result.readings().get("temp_target_zone_10_room_8").value();
        double room = result.readings().get("temp_room_zone_10_room_8").value();
        assertTrue(Math.abs(room - setpoint) < 1.0, "zone room " + room + " vs setpoint " + setpoint);
    }

    @Test
    void answersIllegalDataAddressOutsideTheMap() throws Exception {
        // a profile without forbidden ranges, so the request really reaches the simulator
        ModbusDeviceProfile open = new ModbusDeviceProfile(IdmRegisterMap.WORD_ORDER, IdmRegisterMap.WORD_ORDER, 125,
                0, List.of(), false);
        SensorDefinition outside = SensorDefinition.builder("outside_the_map").address(500).type(DataType.UINT16)
                .build();
        SensorDefinition outdoor = sensor("temp_outside");
        session = new ModbusDeviceSession(connection, open);
        ReadResult result = session.read(List.of(outside, outdoor));
        assertEquals(Quality.ERROR, result.readings().get("outside_the_map").quality());
        assertEquals(Quality.GOOD, result.readings().get("temp_outside").quality());
        assertFalse(ModbusDeviceSession.rejectedBlocks(connection.endpointKey()).isEmpty());
        ModbusDeviceSession.forgetRejectedBlocks(connection.endpointKey());
    }

    @Test
    void idmProfileNeverAsksOutsideTheKnownAreas() throws Exception {
        SensorDefinition outside = SensorDefinition.builder("outside_the_map").address(500).type(DataType.UINT16)
                .build();
        session = driver.open(connection, IdmRegisterMap.DEFAULT_CONFIG);
        ReadResult result = session.read(List.of(outside));
        assertEquals(Quality.ERROR, result.readings().get("outside_the_map").quality());
        assertEquals(0, sim.requestCount());
    }

    @Test
    void holesInsideAnAreaReadAsZero() throws Exception {
        // 1400 lies between the circuit mode bytes and the first FLOAT setpoint
        SensorDefinition hole = SensorDefinition.builder("hole_1400").address(1400).type(DataType.UINT16).build();
        session = driver.open(connection, IdmRegisterMap.DEFAULT_CONFIG);
        SensorReading r = session.read(List.of(hole)).readings().get("hole_1400");
        assertEquals(Quality.GOOD, r.quality());
        assertEquals(0.0, r.value());
    }

    @Test
    void dhwSetpointWriteReachesTheSimulatorOnceAndReadsBack() throws Exception {
        SensorDefinition setpoint = sensor("temp_water_target");
        assertEquals(1032, setpoint.address());
        session = driver.open(connection, IdmRegisterMap.DEFAULT_CONFIG);
        session.write(setpoint, 52);
        assertEquals(1, sim.writeCount("temp_water_target"));
        assertEquals(52.0, sim.value("temp_water_target"));
        SensorReading back = session.read(List.of(setpoint)).readings().get("temp_water_target");
        assertEquals(52.0, back.value());
        assertEquals(1, sim.writeCount("temp_water_target"));
    }

    @Test
    void rejectsWritesToReadOnlyRegisters() throws Exception {
        // bypass the manager's access check to see what the controller itself answers
        SensorDefinition outdoor = sensor("temp_outside").toBuilder().access(AccessMode.READ_WRITE).build();
        double before = sim.value("temp_outside");
        session = driver.open(connection, IdmRegisterMap.DEFAULT_CONFIG);
        DeviceProtocolException e = assertThrows(DeviceProtocolException.class, () -> session.write(outdoor, 12.5));
        assertEquals(2, e.code());
        assertEquals(0, sim.writeCount("temp_outside"));
        assertEquals(before, sim.value("temp_outside"));
    }

    @Test
    void compressorChargesTheTankAndIntegratesEnergy() throws Exception {
        session = driver.open(connection, IdmRegisterMap.DEFAULT_CONFIG);
        double energyBefore = sim.value("energy_heat_total");
        boolean sawWaterCharge = false;
        boolean sawRunning = false;
        for (int i = 0; i < 24 * 60; i++) { // one simulated day in minutes
            sim.step(60);
            boolean running = sim.value("state_compressor_1") == 1;
            int state = sim.value("status_heat_pump").intValue();
            double electrical = sim.value("power_current_draw");
            double thermal = sim.value("power_current");
            if (running) {
                sawRunning = true;
                assertTrue(state != 0, "state bits while running");
                assertTrue(electrical > 0, "electrical power while running");
                if (thermal > 0) {
                    double cop = thermal / electrical;
                    assertTrue(cop >= 2 && cop <= 5, "COP " + cop);
                }
                assertEquals(sim.value("temp_heat_pump_flow") - 5, sim.value("temp_heat_pump_return"), 1e-4);
            } else {
                assertEquals(0, state);
                assertEquals(0.0, electrical);
                assertEquals(-1.0, sim.value("state_charge_pump"));
            }
            if ((state & 4) != 0) {
                sawWaterCharge = true;
            }
            double top = sim.value("temp_water_heater_top");
            assertTrue(top > 35 && top < 55, "tank top " + top);
        }
        assertTrue(sawRunning && sawWaterCharge, "compressor ran and charged DHW");
        assertTrue(sim.value("energy_heat_total") > energyBefore + 10, "energy counter integrates");
        assertEquals(sim.value("energy_heat_heating") + sim.value("energy_heat_total_water"),
                sim.value("energy_heat_total"), 0.01);
    }

    @Test
    void standbyWrittenByAClientStopsTheCompressor() throws Exception {
        session = driver.open(connection, IdmRegisterMap.DEFAULT_CONFIG);
        session.write(sensor("request_water"), 1); // force a DHW charge
        sim.step(60);
        assertEquals(1.0, sim.value("state_compressor_1"));
        session.write(sensor("status_system"), 0);
        sim.step(60);
        assertEquals(0.0, sim.value("state_compressor_1"));
        assertEquals(0.0, sim.value("power_current_draw"));
        SensorReading state = session.read(List.of(sensor("status_heat_pump"))).readings().get("status_heat_pump");
        assertEquals(0.0, state.value());
    }

    @Test
    void raisedDhwSetpointChargesTheTankHigher() throws Exception {
        session = driver.open(connection, IdmRegisterMap.DEFAULT_CONFIG);
        session.write(sensor("temp_water_target"), 53);
        session.write(sensor("request_water_once"), 1);
        double max = 0;
        for (int i = 0; i < 180; i++) {
            sim.step(60);
            max = Math.max(max, sim.value("temp_water_heater_top"));
        }
        assertTrue(max >= 53, "tank reached " + max);
    }

    @Test
    void circuitRoomsSettleNearTheirSetpoints() {
        for (int i = 0; i < 48 * 6; i++) {
            sim.step(600);
        }
        for (String c : IdmRegisterMap.CIRCUITS) {
            String l = c.toLowerCase();
            double room = sim.value("temp_room_circuit_" + l);
            double set = sim.value("temp_room_target_heating_normal_circuit_" + l);
            assertTrue(Math.abs(room - set) < 1.0, c + ": room " + room + " setpoint " + set);
        }
    }

    @Test
    void latencyDelaysReplies() throws Exception {
        session = driver.open(connection, IdmRegisterMap.DEFAULT_CONFIG);
        List<SensorDefinition> one = List.of(sensor("temp_outside"));
        session.read(one); // connect first
        sim.latencyMillis(300);
        long t0 = System.nanoTime();
        session.read(one);
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 290, "latency applied");
    }

    @Test
    void dropsClientsAndAcceptsThemAgain() throws Exception {
        session = driver.open(connection, IdmRegisterMap.DEFAULT_CONFIG);
        List<SensorDefinition> one = List.of(sensor("temp_outside"));
        assertEquals(Quality.GOOD, session.read(one).readings().get("temp_outside").quality());
        sim.disconnectClients();
        try {
            session.read(one); // may fail once: the connection was dropped
        } catch (DeviceException expected) {
            // the manager would back off and retry
        }
        assertEquals(Quality.GOOD, session.read(one).readings().get("temp_outside").quality());
    }

    @Test
    void serviceStartsAndStopsSimulatorsOnLoopback() throws Exception {
        IdmSimulatorService service = new IdmSimulatorService();
        assertEquals("idm", service.manufacturerId());
        assertEquals("navigator_2_0", service.modelId());
        HeatpumpSimulator.Running running = service.start(0, IdmRegisterMap.DEFAULT_CONFIG);
        int port = running.port();
        assertTrue(port > 0);
        assertNotNull(running.value("temp_outside"));
        try (Socket s = new Socket("127.0.0.1", port)) {
            assertTrue(s.isConnected());
        }
        assertEquals(1, service.runningCount());
        service.deactivate();
        assertEquals(0, service.runningCount());
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());
        running.close(); // idempotent
    }

    @Test
    void serviceRefusesAConfigurationTheControllerCannotHave() {
        IdmSimulatorService service = new IdmSimulatorService();
        DeviceConfig unknownCircuit = DeviceConfig.of(List.of("Z"), List.of());
        assertThrows(IllegalArgumentException.class, () -> service.start(0, unknownCircuit));
        assertEquals(0, service.runningCount());
    }

    @Test
    void servesSentinelsThroughValueAndFaultsOnSimulatedTime() {
        assertEquals(-1.0, sim.value("temp_solar_collector"), "not fitted: the sentinel, not null");
        assertEquals(null, sim.value("no_such_sensor"));
        double start = sim.simulatedSeconds();
        assertTrue(sim.injectFault("sensor_drift"));
        sim.step(3600);
        assertEquals(start + 3600, sim.simulatedSeconds(), 1e-9);
        double spread = sim.value("state_compressor_1") == 1 ? 5 : 0.5;
        assertEquals(spread + 1.0, sim.value("temp_heat_pump_flow") - sim.value("temp_heat_pump_return"), 1e-4,
                "after one simulated hour B33 reads 1 K high");
        assertEquals(6, sim.availableFaults().size());
    }
}
