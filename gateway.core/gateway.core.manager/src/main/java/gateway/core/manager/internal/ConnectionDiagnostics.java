package gateway.core.manager.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.ConnectionDiagnosis;
import gateway.core.api.ConnectionDiagnosis.Cause;
import gateway.core.api.ConnectionTestFailedException;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceProtocolException;

/**
 * Explains why a connection test failed, from the exception chain, the driver's protocol and the connection
 * settings: refused (protocol not enabled), unknown host, no route, timeout, wrong unit id, rejected request.
 */
final class ConnectionDiagnostics {

    private ConnectionDiagnostics() {
    }

    /** The failure of a connection test, diagnosed. */
    static ConnectionTestFailedException failed(DeviceException e, String protocol, ConnectionConfig connection) {
        return new ConnectionTestFailedException(diagnose(e, protocol, connection.timeoutMs(), connection.unitId()),
                e);
    }

    static ConnectionDiagnosis diagnose(DeviceException e, String protocol, int timeoutMs, int unitId) {
        String proto = protocol == null ? "" : protocol;
        boolean modbus = proto.startsWith("modbus");
        if (e instanceof DeviceProtocolException p) {
            // Modbus exceptions 10/11: a gateway (or a device acting as one) has no unit with that id
            if (p.code() == 0x0B || p.code() == 0x0A) {
                return new ConnectionDiagnosis(Cause.WRONG_UNIT_ID, "wrong unit id: no unit " + unitId
                        + " answers behind this address (Modbus exception " + p.code() + ")");
            }
            if (p.code() == 1 || p.code() == 2) {
                return new ConnectionDiagnosis(Cause.REJECTED_REQUEST, "the device rejected the request"
                        + " (Modbus exception " + p.code() + "): wrong model selected, or wrong unit id");
            }
            return new ConnectionDiagnosis(Cause.DEVICE_ERROR, "the device answered with an error");
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            // transports wrap the socket's exception, or only keep its words: look at both
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof ConnectException && m.contains("refused") || m.contains("connection refused")) {
                return new ConnectionDiagnosis(Cause.CONNECTION_REFUSED, modbus
                        ? "Modbus TCP is probably not enabled on the device (connection refused)"
                        : "the device's " + proto + " port is probably not enabled (connection refused)");
            }
            if (t instanceof UnknownHostException || m.contains("unknown host")) {
                return new ConnectionDiagnosis(Cause.UNKNOWN_HOST, "the host name is not known: check the address");
            }
            if (t instanceof NoRouteToHostException || m.contains("no route to host")) {
                return new ConnectionDiagnosis(Cause.NO_ROUTE, "no route to the device: wrong address or network");
            }
            // j2mod: the peer closed or sent what is no Modbus reply (a Luxtronik's port, a web server) at once; a
            // timeout instead says "timed out". Checked first: the transport's message also says "no reply".
            if (!(t instanceof SocketTimeoutException) && !m.contains("timed out")
                    && (m.contains("premature end of stream") || m.contains("message truncated"))) {
                return new ConnectionDiagnosis(Cause.WRONG_PROTOCOL, "something answers on this port, but not in "
                        + (modbus ? "Modbus TCP" : proto) + ": the port of another protocol or make?");
            }
            if (t instanceof SocketTimeoutException || m.contains("timed out") || m.contains("timeout")
                    || m.contains("no reply") || m.contains("no response")) {
                return new ConnectionDiagnosis(Cause.TIMEOUT, "no answer within " + timeoutMs
                        + " ms: wrong address, or the device is unreachable" + (modbus
                        ? " (a device that ignores a wrong unit id looks the same)" : ""));
            }
        }
        return new ConnectionDiagnosis(Cause.DEVICE_UNREACHABLE, "the device could not be reached");
    }
}
