package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

import org.junit.jupiter.api.Test;

import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceUnreachableException;

/** The connection test explains its failure in words a person can act on. */
class ConnectionDiagnosisTest {

    /** A real refused connection on loopback: a port that was just closed. */
    private static ConnectException refused() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        } catch (ConnectException e) {
            return e;
        }
        throw new AssertionError("port " + port + " accepted");
    }

    @Test
    void refusedConnectionMeansModbusTcpIsNotEnabled() throws Exception {
        var d = HeatpumpResource.diagnose(new DeviceUnreachableException("cannot connect", refused()), "modbus_tcp",
                2000, 1);
        assertEquals("Modbus TCP is probably not enabled on the device (connection refused)", d.detail());
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
        var d = HeatpumpResource.diagnose(new DeviceUnreachableException("no reply", timeout), "modbus_tcp", 1500, 1);
        assertTrue(d.detail().startsWith("no answer within 1500 ms: wrong address, or the device is unreachable"),
                d.detail());
    }

    @Test
    void gatewayTargetExceptionMeansWrongUnitId() {
        var d = HeatpumpResource.diagnose(new DeviceProtocolException("modbus exception 11", 0x0B), "modbus_tcp",
                1000, 7);
        assertEquals("wrong-unit-id", d.slug());
        assertTrue(d.detail().startsWith("wrong unit id"), d.detail());
    }

    @Test
    void luxtronikRefusalNamesItsOwnPort() throws Exception {
        var d = HeatpumpResource.diagnose(new DeviceUnreachableException("failed", refused()), "luxtronik", 1000, 1);
        assertTrue(d.detail().contains("luxtronik port is probably not enabled"), d.detail());
    }
}
