package gateway.driver.nibe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceSession;
import gateway.core.api.Quality;
import gateway.core.api.ReadResult;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.core.modbus.ModbusTransport;

/** The NIBE simulators over real loopback sockets, read through the driver's own session. */
class NibeSimulatorTest {

    private NibeSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private static ConnectionConfig connection(int port) {
        return new ConnectionConfig("127.0.0.1", port, 1, 2000, Map.of());
    }

    private static void assertServedValues(NibeSimulator sim, NibeDriver driver, DeviceConfig config) throws Exception {
        List<SensorDefinition> sensors = driver.sensors(config);
        try (DeviceSession session = driver.open(connection(sim.port()), config)) {
            ReadResult r = session.read(sensors);
            assertEquals(sensors.size(), r.readings().size());
            for (SensorDefinition s : sensors) {
                SensorReading reading = r.readings().get(s.id());
                Double served = sim.value(s.id());
                if (served == null) {
                    assertEquals(Quality.INVALID, reading.quality(), s.id() + " serves a sentinel");
                } else {
                    assertEquals(Quality.GOOD, reading.quality(), s.id() + ": " + reading.error());
                    assertEquals(served, reading.value(), 1e-6, s.id());
                }
            }
        }
    }

    @Test
    void s1155ReadingsEqualWhatTheSimulatorServes() throws Exception {
        sim = NibeSimulator.start(NibeModel.S1155, 0, 0);
        sim.set("temp_outdoor", -3.4);
        sim.set("degree_minutes", -250.7);           // s32, served low word first
        sim.set("energy_produced_total", 123456.7);  // u32 needing both words
        sim.set("heating_offset_circuit_1", -2);      // s8, sign-extended
        assertServedValues(sim, new NibeS1155Driver(), new DeviceConfig(List.of("1", "2", "3"), List.of(), Map.of()));
    }

    @Test
    void s2125ReadingsEqualWhatTheSimulatorServes() throws Exception {
        sim = NibeSimulator.start(NibeModel.S2125, 0, 0);
        sim.step(120);
        sim.set("compressor_freq_current", 54.3);
        assertServedValues(sim, new NibeS2125Driver(), DeviceConfig.empty());
    }

    @Test
    void disconnectedSensorsReadInvalidNotMinus3276Degrees() throws Exception {
        sim = NibeSimulator.start(NibeModel.S1255, 0, 0);
        sim.breakSensor("temp_hot_water_top");
        NibeDriver driver = new NibeS1255Driver();
        try (DeviceSession session = driver.open(connection(sim.port()), DeviceConfig.empty())) {
            ReadResult r = session.read(driver.sensors(DeviceConfig.empty()));
            assertEquals(Quality.INVALID, r.readings().get("temp_hot_water_top").quality());
            assertEquals(Quality.INVALID, r.readings().get("temp_room_circuit_1").quality(), "BT50 not connected");
            assertEquals(Quality.GOOD, r.readings().get("temp_outdoor").quality());
        }
    }

    @Test
    void simulatorRefusesFc03OnInputRegistersAndHasNoCoils() throws Exception {
        sim = NibeSimulator.start(NibeModel.S1155, 0, 0);
        try (ModbusTransport t = new ModbusTransport(connection(sim.port()))) {
            t.connect();
            assertEquals(1, t.readRegisters(RegisterKind.INPUT, 1, 1).length);
            DeviceProtocolException fc03 = assertThrows(DeviceProtocolException.class,
                    () -> t.readRegisters(RegisterKind.HOLDING, 1, 1));
            assertTrue(fc03.code() == 1 || fc03.code() == 2, "exception " + fc03.code());
            DeviceProtocolException fc01 = assertThrows(DeviceProtocolException.class,
                    () -> t.readRegisters(RegisterKind.COIL, 0, 1));
            assertTrue(fc01.code() == 1 || fc01.code() == 2, "exception " + fc01.code());
        }
    }

    @Test
    void aWriteReachesTheSimulatorOnceAndThirtyTwoBitWritesGoHighWordFirst() throws Exception {
        sim = NibeSimulator.start(NibeModel.S1155, 0, 0);
        NibeDriver driver = new NibeS1155Driver();
        SensorDefinition offset = driver.sensor(DeviceConfig.empty(), "heating_offset_circuit_1").orElseThrow();
        SensorDefinition dm = driver.sensor(DeviceConfig.empty(), "degree_minutes").orElseThrow();
        try (DeviceSession session = driver.open(connection(sim.port()), DeviceConfig.empty())) {
            session.write(offset, -3);
            assertEquals(1, sim.writeCount("heating_offset_circuit_1"));
            assertEquals(-3.0, sim.value("heating_offset_circuit_1"), 1e-9);

            // the simulator takes 32-bit writes high word first and serves them low word first, like the pump
            session.write(dm, -300);
            assertEquals(1, sim.writeCount("degree_minutes"));
            assertEquals(-300.0, sim.value("degree_minutes"), 1e-9);
            SensorReading back = session.read(List.of(dm)).readings().get("degree_minutes");
            assertEquals(-300.0, back.value(), 1e-9);
        }
    }

    @Test
    void thermalModelMovesValuesPlausibly() throws Exception {
        sim = NibeSimulator.start(NibeModel.S1155, 0, 0);
        double outdoor = sim.value("temp_outdoor");
        for (int i = 0; i < 60; i++) {
            sim.step(10);
        }
        assertTrue(Math.abs(sim.value("temp_outdoor") - outdoor) > 0.1, "outdoor moves");
        assertTrue(sim.value("energy_produced_total") > 12345.6, "energy meter counts up");
        double supply = sim.value("temp_supply_circuit_1");
        assertTrue(supply > 10 && supply < 70, "supply " + supply);
        assertNotNull(sim.value("compressor_freq_current"));
    }

    @Test
    void simulatorServiceStartsOneDevicePerCall() throws Exception {
        NibeS2125SimulatorService service = new NibeS2125SimulatorService();
        try (var running = service.start(0, DeviceConfig.empty())) {
            assertTrue(running.port() > 0);
            assertNotNull(running.value("temp_outdoor"));
            assertEquals("s2125", service.modelId());
        }
    }
}
