package gateway.core.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.ConnectionDiagnosis;
import gateway.core.api.ConnectionDiagnosis.Cause;
import gateway.core.api.ConnectionTestFailedException;
import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.Heatpump;
import gateway.core.api.InvalidConfigurationException;
import gateway.core.testing.TestDriver;

/**
 * The connection test explains its failure in words a person can act on, and checks a definition as create does;
 * both live in the manager, so the REST API (or any other client) only passes them on.
 */
class ConnectionDiagnosticsTest {

    private final ManagerFixture f = new ManagerFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    /** A port on loopback nobody listens on: one that was just closed. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A real refused connection on loopback. */
    private static ConnectException refused() throws IOException {
        int port = closedPort();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        } catch (ConnectException e) {
            return e;
        }
        throw new AssertionError("port " + port + " accepted");
    }

    private static Heatpump definition(int port, int timeoutMs) {
        return new Heatpump("", "Probe", TestDriver.MANUFACTURER, TestDriver.MODEL,
                new ConnectionConfig("127.0.0.1", port, 1, timeoutMs, Map.of()), DeviceConfig.empty(), 0, true, null,
                null);
    }

    @Test
    void aRefusedTestConnectionComesWithItsDiagnosis() throws Exception {
        f.start();
        ConnectionTestFailedException e = assertThrows(ConnectionTestFailedException.class,
                () -> f.manager.testConnection(definition(closedPort(), 1000)));
        assertEquals(Cause.CONNECTION_REFUSED, e.diagnosis().cause());
        assertEquals("Modbus TCP is probably not enabled on the device (connection refused)",
                e.diagnosis().explanation());
        assertTrue(e.getCause() instanceof DeviceUnreachableException, "the transport's failure is kept as cause");
    }

    @Test
    void aTestedDefinitionIsCheckedLikeACreatedOne() throws Exception {
        f.start();
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> f.manager.testConnection(new Heatpump("", "Probe", TestDriver.MANUFACTURER, TestDriver.MODEL,
                        new ConnectionConfig("127.0.0.1", 70000, 256, 50, Map.of()),
                        DeviceConfig.of(List.of("Z"), List.of()), 0, true, null, null)));
        assertEquals(List.of("port must be 1-65535", "unit id must be 0-255", "timeout must be 100-60000 ms",
                "unknown heating circuit Z"), e.problems());
        assertEquals(List.of("timeout must be 100-60000 ms"), assertThrows(InvalidConfigurationException.class,
                () -> f.manager.create(definition(502, 60_001))).problems());
    }

    @Test
    void refusedConnectionMeansModbusTcpIsNotEnabled() throws Exception {
        ConnectionDiagnosis d = ConnectionDiagnostics.diagnose(
                new DeviceUnreachableException("cannot connect", refused()), "modbus_tcp", 2000, 1);
        assertEquals("Modbus TCP is probably not enabled on the device (connection refused)", d.explanation());
    }

    @Test
    void timeoutNamesTheWaitAndTheLikelyCauses() throws Exception {
        SocketTimeoutException timeout;
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), silent.getLocalPort())) {
            socket.setSoTimeout(50);
            socket.getInputStream().read();
            throw new AssertionError("read returned");
        } catch (SocketTimeoutException e) {
            timeout = e;
        }
        ConnectionDiagnosis d = ConnectionDiagnostics.diagnose(new DeviceUnreachableException("no reply", timeout),
                "modbus_tcp", 1500, 1);
        assertEquals(Cause.TIMEOUT, d.cause());
        assertTrue(d.explanation().startsWith("no answer within 1500 ms: wrong address, or the device is unreachable"),
                d.explanation());
    }

    @Test
    void gatewayTargetExceptionMeansWrongUnitId() {
        ConnectionDiagnosis d = ConnectionDiagnostics.diagnose(
                new DeviceProtocolException("modbus exception 11", 0x0B), "modbus_tcp", 1000, 7);
        assertEquals(Cause.WRONG_UNIT_ID, d.cause());
        assertTrue(d.explanation().startsWith("wrong unit id: no unit 7"), d.explanation());
    }

    @Test
    void luxtronikRefusalNamesItsOwnPort() throws Exception {
        ConnectionDiagnosis d = ConnectionDiagnostics.diagnose(new DeviceUnreachableException("failed", refused()),
                "luxtronik", 1000, 1);
        assertEquals(Cause.CONNECTION_REFUSED, d.cause());
        assertTrue(d.explanation().contains("luxtronik port is probably not enabled"), d.explanation());
    }

    /**
     * Issue 16: a Luxtronik's port given to an IDM hangs up at once. j2mod 3.3.0's words for that (measured against a
     * socket that reads the request and closes) and for a silent peer (one that never answers) are told apart.
     */
    @Test
    void aPeerThatHangsUpIsAWrongProtocolNotATimeout() {
        String hungUp = "Executing transaction 00 00 00 00 00 06 01 03 00 00 00 02 failed (tried 1 times)"
                + " Premature end of stream (Message truncated) - null";
        String silent = "Executing transaction 00 00 00 00 00 06 01 03 00 00 00 02 failed (tried 1 times)"
                + " Socket timeout reading response - Read timed out";
        ConnectionDiagnosis wrong = ConnectionDiagnostics.diagnose(new DeviceUnreachableException(
                "no reply from 127.0.0.1:8889 for FC3 holding 1000: " + hungUp, new IOException(hungUp)),
                "modbus-tcp", 3000, 1);
        assertEquals(Cause.WRONG_PROTOCOL, wrong.cause());
        assertTrue(wrong.explanation().contains("not in Modbus TCP"), wrong.explanation());
        ConnectionDiagnosis timeout = ConnectionDiagnostics.diagnose(new DeviceUnreachableException(
                "no reply from 127.0.0.1:502 for FC3 holding 1000: " + silent, new IOException(silent)),
                "modbus-tcp", 3000, 1);
        assertEquals(Cause.TIMEOUT, timeout.cause());
    }
}
