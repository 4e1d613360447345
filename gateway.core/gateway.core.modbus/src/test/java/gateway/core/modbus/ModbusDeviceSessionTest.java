package gateway.core.modbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.AccessMode;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.DataType;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.Quality;
import gateway.core.api.ReadResult;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;

/** ModbusDeviceSession against ModbusSimulatorServer over real loopback sockets. */
class ModbusDeviceSessionTest {

    // IDM-like: FLOAT 10..11, UCHAR 12, hole at 13 (the device rejects it), INT16 14, FLOAT 15..16
    private static final SensorDefinition FLOW = SensorDefinition.builder("flow").type(DataType.FLOAT32)
            .kind(RegisterKind.HOLDING).address(10).invalid(-1).build();
    private static final SensorDefinition MODE = SensorDefinition.builder("mode").type(DataType.UINT8)
            .kind(RegisterKind.HOLDING).address(12).access(AccessMode.READ_WRITE).build();
    private static final SensorDefinition PUMP = SensorDefinition.builder("pump").type(DataType.INT16)
            .kind(RegisterKind.HOLDING).address(14).build();
    private static final SensorDefinition SURPLUS = SensorDefinition.builder("pv_surplus").type(DataType.FLOAT32)
            .kind(RegisterKind.HOLDING).address(15).access(AccessMode.READ_WRITE).build();
    private static final SensorDefinition OUTDOOR = SensorDefinition.builder("outdoor").type(DataType.INT16)
            .kind(RegisterKind.INPUT).address(1).scale(0.1).invalid(-32768).build();
    private static final List<SensorDefinition> SENSORS = List.of(FLOW, MODE, PUMP, SURPLUS, OUTDOOR);
    private static final WordOrder IDM = WordOrder.LOW_WORD_FIRST;

    private RegisterBank bank;
    private ModbusSimulatorServer server;
    private ConnectionConfig config;
    private ModbusDeviceProfile profile;

    @BeforeEach
    void start() throws IOException {
        bank = new RegisterBank();
        SENSORS.forEach(bank::define);
        bank.setValue(FLOW, 35.5, IDM);
        bank.setValue(MODE, 2, IDM);
        bank.set(RegisterKind.HOLDING, PUMP.address(), 0xFFFF);
        bank.setValue(SURPLUS, 4.14, IDM);
        bank.setValue(OUTDOOR, 21.5, IDM);
        server = new ModbusSimulatorServer(bank);
        int port = server.start(0);
        config = new ConnectionConfig("127.0.0.1", port, 1, 1000, Map.of());
        ModbusDeviceSession.forgetRejectedBlocks(config.endpointKey());
        profile = new ModbusDeviceProfile(IDM, IDM, 32, 2, List.of(), false);
    }

    @AfterEach
    void stop() {
        server.close();
        ModbusDeviceSession.forgetRejectedBlocks(config.endpointKey());
    }

    @Test
    void readsAndDecodesEverySensorWithFewRequests() throws Exception {
        try (ModbusDeviceSession session = new ModbusDeviceSession(config, profile)) {
            assertFalse(session.connected(), "connects lazily");
            bank.define(RegisterKind.HOLDING, 13, 1, false); // no hole: one holding block
            ReadResult r = session.read(SENSORS);
            assertEquals(2, r.requests());
            assertEquals(2 * (7 + 1), r.bytes());
            assertEquals(35.5, r.readings().get("flow").value(), 1e-6);
            assertEquals(2.0, r.readings().get("mode").value());
            assertEquals(-1.0, r.readings().get("pump").value());
            assertEquals(4.14, r.readings().get("pv_surplus").value(), 1e-6);
            assertEquals(21.5, r.readings().get("outdoor").value(), 1e-9);
            assertTrue(session.connected());
        }
    }

    @Test
    void reportsSentinelsAsInvalid() throws Exception {
        bank.setRaw(FLOW, -1, IDM);
        bank.setRaw(OUTDOOR, 0x8000, IDM);
        try (ModbusDeviceSession session = new ModbusDeviceSession(config, profile)) {
            ReadResult r = session.read(SENSORS);
            assertEquals(Quality.INVALID, r.readings().get("flow").quality());
            assertEquals(Quality.INVALID, r.readings().get("outdoor").quality());
            assertEquals(Quality.GOOD, r.readings().get("pv_surplus").quality());
        }
    }

    @Test
    void splitsBlockAfterIllegalDataAddressAndNeverSendsItAgain() throws Exception {
        try (ModbusDeviceSession session = new ModbusDeviceSession(config, profile)) {
            ReadResult first = session.read(SENSORS);
            // holding 10..16 rejected (13 is undefined), then 10..12 and 14..16, plus the input block
            assertEquals(4, first.requests());
            assertEquals(4, server.requestCount());
            for (SensorDefinition s : SENSORS) {
                assertEquals(Quality.GOOD, first.readings().get(s.id()).quality(), s.id());
            }
            assertTrue(ModbusDeviceSession.rejectedBlocks(config.endpointKey())
                    .contains(new AddressRange(RegisterKind.HOLDING, 10, 17)));

            ReadResult second = session.read(SENSORS);
            assertEquals(3, second.requests());
            assertEquals(7, server.requestCount());
        }
        // the manager reopens sessions on reconnect: the lesson outlives the session
        try (ModbusDeviceSession reopened = new ModbusDeviceSession(config, profile)) {
            ReadResult third = reopened.read(SENSORS);
            assertEquals(3, third.requests());
            assertEquals(10, server.requestCount());
            assertEquals(4.14, third.readings().get("pv_surplus").value(), 1e-6);
        }
    }

    @Test
    void sensorTheDeviceRejectsAloneBecomesErrorOthersStayGood() throws Exception {
        SensorDefinition ghost = SensorDefinition.builder("ghost").type(DataType.UINT16).kind(RegisterKind.HOLDING)
                .address(13).build(); // the device does not have register 13
        List<SensorDefinition> sensors = List.of(FLOW, MODE, ghost, PUMP, SURPLUS);
        try (ModbusDeviceSession session = new ModbusDeviceSession(config, profile)) {
            ReadResult first = session.read(sensors);
            assertEquals(Quality.ERROR, first.readings().get("ghost").quality());
            for (SensorDefinition s : List.of(FLOW, MODE, PUMP, SURPLUS)) {
                assertEquals(Quality.GOOD, first.readings().get(s.id()).quality(), s.id());
            }
            long before = server.requestCount();
            ReadResult second = session.read(sensors);
            assertEquals(Quality.ERROR, second.readings().get("ghost").quality());
            assertEquals(4.14, second.readings().get("pv_surplus").value(), 1e-6);
            assertEquals(server.requestCount() - before, second.requests());
            assertEquals(2, second.requests(), "neither the whole block nor the ghost register is asked again");
        }
    }

    // IDM §2: float written low word first, 4.14 -> [0x7AE1, 0x4084].
    @Test
    void writesAndReadsBackFloatLowWordFirst() throws Exception {
        bank.define(RegisterKind.HOLDING, 13, 1, false);
        try (ModbusDeviceSession session = new ModbusDeviceSession(config, profile)) {
            session.write(SURPLUS, 7.25);
            assertEquals(1, server.writeCount(15));
            session.write(SURPLUS, 4.14);
            assertArrayEquals(new int[] {0x7AE1, 0x4084}, bank.read(RegisterKind.HOLDING, 15, 2));
            assertEquals(4.14, session.read(List.of(SURPLUS)).readings().get("pv_surplus").value(), 1e-6);
            assertEquals(4.14, bank.getValue(SURPLUS, IDM), 1e-6);
        }
    }

    @Test
    void singleRegisterWritesUseFc06WhenTheProfileSaysSo() throws Exception {
        server.allowFunctions(RegisterKind.HOLDING, 3, 4, 6); // a device without FC16
        ModbusDeviceProfile fc06 = new ModbusDeviceProfile(IDM, IDM, 32, 2, List.of(), true);
        try (ModbusDeviceSession session = new ModbusDeviceSession(config, fc06)) {
            session.write(MODE, 4);
            assertEquals(4.0, bank.getValue(MODE, IDM));
        }
        try (ModbusDeviceSession session = new ModbusDeviceSession(config, profile)) {
            assertEquals(1, assertThrows(DeviceProtocolException.class, () -> session.write(MODE, 5)).code());
        }
    }

    @Test
    void writesCoilsAndRefusesReadOnlyTables() throws Exception {
        SensorDefinition pump = SensorDefinition.builder("pump_on").type(DataType.BOOL).kind(RegisterKind.COIL)
                .address(3).access(AccessMode.READ_WRITE).build();
        bank.define(pump);
        try (ModbusDeviceSession session = new ModbusDeviceSession(config, profile)) {
            session.write(pump, 1);
            assertEquals(1, bank.get(RegisterKind.COIL, 3));
            assertEquals(1.0, session.read(List.of(pump)).readings().get("pump_on").value());
            assertThrows(DeviceProtocolException.class, () -> session.write(OUTDOOR, 20));
        }
    }

    @Test
    void unreachableDeviceThrowsAndSessionRecovers() throws Exception {
        bank.define(RegisterKind.HOLDING, 13, 1, false);
        try (ModbusDeviceSession session = new ModbusDeviceSession(config, profile)) {
            session.read(SENSORS);
            int port = server.port();
            server.close();
            assertThrows(DeviceUnreachableException.class, () -> session.read(SENSORS));
            assertFalse(session.connected());
            server.start(port);
            assertEquals(Quality.GOOD, session.read(SENSORS).readings().get("flow").quality());
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (ModbusDeviceSession nowhere = new ModbusDeviceSession(
                new ConnectionConfig("127.0.0.1", closedPort, 1, 500, Map.of()), profile)) {
            assertThrows(DeviceUnreachableException.class, () -> nowhere.read(SENSORS));
        }
    }

    @Test
    void nonModbusSensorsReadAsErrorsWithoutRequests() throws Exception {
        SensorDefinition calc = SensorDefinition.builder("calc").kind(RegisterKind.CALCULATION).address(10).build();
        try (ModbusDeviceSession session = new ModbusDeviceSession(config, profile)) {
            ReadResult r = session.read(List.of(calc));
            assertEquals(0, r.requests());
            assertEquals(Quality.ERROR, r.readings().get("calc").quality());
            assertNull(r.readings().get("calc").value());
        }
        assertEquals(Set.of(), ModbusDeviceSession.rejectedBlocks(config.endpointKey()));
    }
}
