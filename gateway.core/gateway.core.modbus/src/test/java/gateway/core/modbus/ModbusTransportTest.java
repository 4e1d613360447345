package gateway.core.modbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.RegisterKind;

/** ModbusTransport (j2mod) against ModbusSimulatorServer over real loopback sockets. */
class ModbusTransportTest {

    private RegisterBank bank;
    private ModbusSimulatorServer server;
    private int port;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        bank = new RegisterBank();
        bank.define(RegisterKind.HOLDING, 100, 4, true);
        bank.define(RegisterKind.INPUT, 5, 2, false);
        bank.define(RegisterKind.COIL, 0, 3, true);
        bank.define(RegisterKind.DISCRETE_INPUT, 0, 10, false);
        bank.set(RegisterKind.HOLDING, 100, 0x7AE1);
        bank.set(RegisterKind.HOLDING, 101, 0x4084);
        bank.set(RegisterKind.HOLDING, 103, 0xFFFF);
        bank.set(RegisterKind.INPUT, 5, 215);
        bank.set(RegisterKind.INPUT, 6, 0x8000);
        bank.set(RegisterKind.COIL, 1, 1);
        bank.set(RegisterKind.DISCRETE_INPUT, 9, 1);
        server = new ModbusSimulatorServer(bank);
        port = server.start(0);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        server.close();
    }

    private ModbusTransport transport(int timeoutMs) {
        ModbusTransport t = new ModbusTransport(new ConnectionConfig("127.0.0.1", port, 1, timeoutMs, Map.of()));
        toClose.add(t);
        return t;
    }

    @Test
    void readsHoldingInputCoilAndDiscreteTables() throws Exception {
        ModbusTransport t = transport(2000);
        assertArrayEquals(new int[] {0x7AE1, 0x4084, 0, 0xFFFF}, t.readRegisters(RegisterKind.HOLDING, 100, 4));
        assertArrayEquals(new int[] {215, 0x8000}, t.readRegisters(RegisterKind.INPUT, 5, 2));
        assertArrayEquals(new int[] {0, 1, 0}, t.readRegisters(RegisterKind.COIL, 0, 3));
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, t.readRegisters(RegisterKind.DISCRETE_INPUT, 0, 10));
        assertTrue(t.connected());
        assertEquals(4, t.requestsSent());
        assertEquals(8 + 4 + 1 + 2, t.bytesReceived());
        assertEquals(4, server.requestCount());
    }

    @Test
    void keepsOneConnectionAcrossRequests() throws Exception {
        ModbusTransport t = transport(2000);
        for (int i = 0; i < 5; i++) {
            t.readRegisters(RegisterKind.HOLDING, 100, 1);
        }
        // a second client fails when only one is allowed: proves the first still holds its connection
        server.maxClients(1);
        ModbusTransport other = transport(500);
        assertThrows(DeviceUnreachableException.class, () -> other.readRegisters(RegisterKind.HOLDING, 100, 1));
        t.readRegisters(RegisterKind.HOLDING, 100, 1);
        assertEquals(6, server.requestCount());
    }

    @Test
    void illegalDataAddressBecomesProtocolExceptionWithCode2() throws Exception {
        ModbusTransport t = transport(2000);
        DeviceProtocolException e = assertThrows(DeviceProtocolException.class,
                () -> t.readRegisters(RegisterKind.HOLDING, 102, 3));
        assertEquals(2, e.code());
        // the connection survives an exception reply
        assertTrue(t.connected());
        assertEquals(0x4084, t.readRegisters(RegisterKind.HOLDING, 101, 1)[0]);
    }

    // NIBE fact sheet §1: input registers via FC04 only, holding via FC03/06/16.
    @Test
    void wrongFunctionForATableGetsIllegalFunction() throws Exception {
        server.allowFunctions(RegisterKind.HOLDING, 3, 6, 16);
        ModbusTransport t = transport(2000);
        assertEquals(1, assertThrows(DeviceProtocolException.class,
                () -> t.readRegisters(RegisterKind.HOLDING, 5, 1)).code());
        assertEquals(1, assertThrows(DeviceProtocolException.class,
                () -> t.readRegisters(RegisterKind.INPUT, 100, 1)).code());
        assertEquals(215, t.readRegisters(RegisterKind.INPUT, 5, 1)[0]);
    }

    // IDM fact sheet §1: FC03 and FC04 return the same map.
    @Test
    void holdingRegistersAnswerFc04ByDefault() throws Exception {
        ModbusTransport t = transport(2000);
        assertArrayEquals(new int[] {0x7AE1, 0x4084}, t.readRegisters(RegisterKind.INPUT, 100, 2));
    }

    @Test
    void blocksOverTheDeviceLimitGetIllegalDataValue() throws Exception {
        server.maxBlock(2);
        ModbusTransport t = transport(2000);
        assertEquals(3, assertThrows(DeviceProtocolException.class,
                () -> t.readRegisters(RegisterKind.HOLDING, 100, 3)).code());
        assertEquals(2, t.readRegisters(RegisterKind.HOLDING, 100, 2).length);
    }

    @Test
    void honoursLatencyAndTimesOutWhenTheReplyIsLate() throws Exception {
        server.latencyMillis(300);
        ModbusTransport patient = transport(2000);
        long t0 = System.nanoTime();
        patient.readRegisters(RegisterKind.HOLDING, 100, 1);
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(elapsedMs >= 290, "reply came after " + elapsedMs + " ms");

        ModbusTransport hasty = transport(100);
        assertThrows(DeviceUnreachableException.class, () -> hasty.readRegisters(RegisterKind.HOLDING, 100, 1));
        assertFalse(hasty.connected());
        server.latencyMillis(0);
        // the same transport reconnects and reads; on a busy machine a 100 ms timeout may still miss a few times
        assertEquals(0x7AE1, readEventually(hasty));
    }

    /** Retries a read that times out, for up to 30 s: what is tested is that the transport recovers, not how fast. */
    private static int readEventually(ModbusTransport t) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                return t.readRegisters(RegisterKind.HOLDING, 100, 1)[0];
            } catch (DeviceUnreachableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    @Test
    void serverGoneIsUnreachableAndReconnectsAfterRestartOnTheSamePort() throws Exception {
        ModbusTransport t = transport(1000);
        t.readRegisters(RegisterKind.HOLDING, 100, 1);
        server.close();
        assertThrows(DeviceUnreachableException.class, () -> t.readRegisters(RegisterKind.HOLDING, 100, 1));
        assertFalse(t.connected());
        assertThrows(DeviceUnreachableException.class, () -> t.readRegisters(RegisterKind.HOLDING, 100, 1));
        assertEquals(port, server.start(port));
        assertEquals(0x7AE1, t.readRegisters(RegisterKind.HOLDING, 100, 1)[0]);
        assertTrue(t.connected());
    }

    @Test
    void droppedConnectionFailsOnceThenReconnects() throws Exception {
        ModbusTransport t = transport(1000);
        t.readRegisters(RegisterKind.HOLDING, 100, 1);
        server.disconnectClients();
        Thread.sleep(50);
        assertThrows(DeviceUnreachableException.class, () -> t.readRegisters(RegisterKind.HOLDING, 100, 1));
        assertEquals(0x7AE1, t.readRegisters(RegisterKind.HOLDING, 100, 1)[0]);
    }

    @Test
    void refusedConnectionIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ModbusTransport t = new ModbusTransport(new ConnectionConfig("127.0.0.1", closedPort, 1, 500, Map.of()));
        toClose.add(t);
        assertThrows(DeviceUnreachableException.class, t::connect);
        assertThrows(DeviceUnreachableException.class, () -> t.readRegisters(RegisterKind.HOLDING, 0, 1));
    }

    @Test
    void writesWithFc16Fc06AndFc05() throws Exception {
        List<String> seen = new ArrayList<>();
        bank.onWrite((kind, address, values) -> seen.add(kind.id() + " " + address + " " + values.length));
        ModbusTransport t = transport(2000);
        t.writeRegisters(100, new int[] {0x1234, 0x5678}, false);
        t.writeRegisters(103, new int[] {7}, true);
        t.writeCoil(2, true);
        assertEquals(0x1234, bank.get(RegisterKind.HOLDING, 100));
        assertEquals(0x5678, bank.get(RegisterKind.HOLDING, 101));
        assertEquals(7, bank.get(RegisterKind.HOLDING, 103));
        assertEquals(1, bank.get(RegisterKind.COIL, 2));
        assertEquals(List.of("holding 100 2", "holding 103 1", "coil 2 1"), seen);
        assertEquals(1, server.writeCount(100));
        assertEquals(1, server.writeCount(101));
        assertEquals(0, server.writeCount(102));
        // writes to read-only or missing registers are refused with exception 02
        assertEquals(2, assertThrows(DeviceProtocolException.class,
                () -> t.writeRegisters(104, new int[] {1}, false)).code());
        // a device that only takes FC06 refuses FC16 with exception 01
        server.allowFunctions(RegisterKind.HOLDING, 3, 6);
        assertEquals(1, assertThrows(DeviceProtocolException.class,
                () -> t.writeRegisters(103, new int[] {8}, false)).code());
        t.writeRegisters(103, new int[] {9}, true);
        assertEquals(9, bank.get(RegisterKind.HOLDING, 103));
    }

    // Raw frames: the server echoes transaction and unit id, answers a count of 0 with exception 03, and drops a
    // connection whose MBAP header it cannot trust.
    @Test
    void serverChecksFramesAndEchoesIds() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(new byte[] {0x12, 0x34, 0, 0, 0, 6, 0x11, 3, 0, 100, 0, 1});
            assertArrayEquals(new byte[] {0x12, 0x34, 0, 0, 0, 5, 0x11, 3, 2, 0x7A, (byte) 0xE1}, readFrame(in, 11));
            out.write(new byte[] {0, 7, 0, 0, 0, 6, 1, 3, 0, 100, 0, 0});
            assertArrayEquals(new byte[] {0, 7, 0, 0, 0, 3, 1, (byte) 0x83, 3}, readFrame(in, 9));
            out.write(new byte[] {0, 8, 0, 0, 0, 2, 1, 0x2B});
            assertArrayEquals(new byte[] {0, 8, 0, 0, 0, 3, 1, (byte) 0xAB, 1}, readFrame(in, 9));
            out.write(new byte[] {0, 9, 0, 1, 0, 6, 1, 3, 0, 100, 0, 1});
            assertEquals(-1, in.read(), "connection closed after a bad protocol id");
        }
    }

    private static byte[] readFrame(DataInputStream in, int length) throws IOException {
        byte[] b = new byte[length];
        in.readFully(b);
        return b;
    }
}
