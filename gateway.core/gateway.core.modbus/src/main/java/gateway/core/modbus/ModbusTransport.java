package gateway.core.modbus;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.io.ModbusTCPTransaction;
import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;
import com.ghgande.j2mod.modbus.msg.ReadCoilsRequest;
import com.ghgande.j2mod.modbus.msg.ReadCoilsResponse;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesResponse;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersResponse;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersResponse;
import com.ghgande.j2mod.modbus.msg.WriteCoilRequest;
import com.ghgande.j2mod.modbus.msg.WriteMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.WriteSingleRegisterRequest;
import com.ghgande.j2mod.modbus.net.TCPMasterConnection;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.RegisterKind;

/**
 * One Modbus TCP connection on j2mod with one request in flight. The connection stays open between requests; any
 * I/O failure closes it, and the next request reconnects. j2mod's own retries are off: the manager decides when to
 * retry and how long to back off.
 *
 * <p>Errors: a Modbus exception reply becomes {@link DeviceProtocolException} with its code (1 illegal function,
 * 2 illegal data address, 3 illegal data value, 4 device failure, ...); refused, timed out or dropped connections
 * become {@link DeviceUnreachableException}.
 */
public final class ModbusTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusTransport.class);

    private final ConnectionConfig config;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private TCPMasterConnection connection;
    private int transactionId;

    public ModbusTransport(ConnectionConfig config) {
        this.config = config;
    }

    /** Opens the connection unless it is open; the connect timeout is {@link ConnectionConfig#timeoutMs()}. */
    public synchronized void connect() throws DeviceUnreachableException {
        if (connected()) {
            return;
        }
        disconnect();
        InetAddress address;
        try {
            address = InetAddress.getByName(config.host());
        } catch (UnknownHostException e) {
            throw new DeviceUnreachableException("unknown host " + config.host(), e);
        }
        TCPMasterConnection c = new TCPMasterConnection(address);
        c.setPort(config.port());
        c.setTimeout(config.timeoutMs());
        try {
            c.connect();
        } catch (Exception e) {
            c.close();
            throw new DeviceUnreachableException("cannot connect to " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        connection = c;
        LOG.debug("modbus {}: connected", config.endpointKey());
    }

    /**
     * Reads {@code count} registers (or coils/discrete inputs, as 0/1) of one table: HOLDING with FC03, INPUT with
     * FC04, COIL with FC01, DISCRETE_INPUT with FC02.
     */
    public synchronized int[] readRegisters(RegisterKind kind, int start, int count) throws DeviceException {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive, was " + count);
        }
        switch (kind) {
            case HOLDING: {
                ModbusResponse r = execute(new ReadMultipleRegistersRequest(start, count), kind, start);
                ReadMultipleRegistersResponse rr = cast(r, ReadMultipleRegistersResponse.class);
                checkCount(kind, start, count, rr.getWordCount());
                int[] out = new int[count];
                for (int i = 0; i < count; i++) {
                    out[i] = rr.getRegisterValue(i) & 0xFFFF;
                }
                bytes.addAndGet(2L * count);
                return out;
            }
            case INPUT: {
                ModbusResponse r = execute(new ReadInputRegistersRequest(start, count), kind, start);
                ReadInputRegistersResponse rr = cast(r, ReadInputRegistersResponse.class);
                checkCount(kind, start, count, rr.getWordCount());
                int[] out = new int[count];
                for (int i = 0; i < count; i++) {
                    out[i] = rr.getRegisterValue(i) & 0xFFFF;
                }
                bytes.addAndGet(2L * count);
                return out;
            }
            case COIL: {
                ModbusResponse r = execute(new ReadCoilsRequest(start, count), kind, start);
                ReadCoilsResponse rr = cast(r, ReadCoilsResponse.class);
                checkCount(kind, start, (count + 7) / 8, rr.getCoils().byteSize());
                int[] out = new int[count];
                for (int i = 0; i < count; i++) {
                    out[i] = rr.getCoilStatus(i) ? 1 : 0;
                }
                bytes.addAndGet((count + 7) / 8);
                return out;
            }
            case DISCRETE_INPUT: {
                ModbusResponse r = execute(new ReadInputDiscretesRequest(start, count), kind, start);
                ReadInputDiscretesResponse rr = cast(r, ReadInputDiscretesResponse.class);
                checkCount(kind, start, (count + 7) / 8, rr.getDiscretes().byteSize());
                int[] out = new int[count];
                for (int i = 0; i < count; i++) {
                    out[i] = rr.getDiscreteStatus(i) ? 1 : 0;
                }
                bytes.addAndGet((count + 7) / 8);
                return out;
            }
            default:
                throw new IllegalArgumentException(kind.id() + " is not a Modbus register kind");
        }
    }

    /** Writes holding registers with FC16, or FC06 when {@code singleFunction} and there is one register. */
    public synchronized void writeRegisters(int start, int[] values, boolean singleFunction) throws DeviceException {
        if (values.length == 0) {
            throw new IllegalArgumentException("nothing to write at " + start);
        }
        if (singleFunction && values.length == 1) {
            execute(new WriteSingleRegisterRequest(start, new SimpleRegister(values[0] & 0xFFFF)),
                    RegisterKind.HOLDING, start);
            return;
        }
        Register[] regs = new Register[values.length];
        for (int i = 0; i < values.length; i++) {
            regs[i] = new SimpleRegister(values[i] & 0xFFFF);
        }
        execute(new WriteMultipleRegistersRequest(start, regs), RegisterKind.HOLDING, start);
    }

    /** Writes one coil with FC05. */
    public synchronized void writeCoil(int address, boolean value) throws DeviceException {
        execute(new WriteCoilRequest(address, value), RegisterKind.COIL, address);
    }

    public synchronized boolean connected() {
        return connection != null && connection.isConnected();
    }

    /** Requests sent since this transport was made. */
    public long requestsSent() {
        return requests.get();
    }

    /** Payload bytes received in read replies since this transport was made. */
    public long bytesReceived() {
        return bytes.get();
    }

    @Override
    public synchronized void close() {
        disconnect();
    }

    private ModbusResponse execute(ModbusRequest request, RegisterKind kind, int start) throws DeviceException {
        connect();
        transactionId = transactionId >= 0xFFFF ? 1 : transactionId + 1;
        request.setUnitID(config.unitId());
        request.setTransactionID(transactionId);
        ModbusTCPTransaction tx = new ModbusTCPTransaction(connection);
        tx.setRequest(request);
        // One attempt: j2mod 3.3.0 takes retries <= 0 as its default of 5, and retrying is the manager's job.
        tx.setRetries(1);
        tx.setReconnecting(false);
        tx.setCheckingValidity(true);
        requests.incrementAndGet();
        try {
            tx.execute();
        } catch (ModbusSlaveException e) {
            throw new DeviceProtocolException("modbus exception " + e.getType() + " (" + e.getMessage() + ") for FC"
                    + request.getFunctionCode() + " " + kind.id() + " " + start, e.getType(), e);
        } catch (ModbusException e) {
            // Timeout, reset or a reply we cannot match: the stream is no longer trustworthy, start over next time.
            disconnect();
            throw new DeviceUnreachableException("no reply from " + config.host() + ":" + config.port() + " for FC"
                    + request.getFunctionCode() + " " + kind.id() + " " + start + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            disconnect();
            throw new DeviceUnreachableException("transport failure talking to " + config.host() + ":"
                    + config.port() + ": " + e, e);
        }
        ModbusResponse response = tx.getResponse();
        if (response == null) {
            disconnect();
            throw new DeviceUnreachableException("no reply from " + config.host() + ":" + config.port());
        }
        return response;
    }

    private <T extends ModbusResponse> T cast(ModbusResponse r, Class<T> type) throws DeviceProtocolException {
        if (!type.isInstance(r)) {
            throw new DeviceProtocolException("unexpected reply " + r.getClass().getSimpleName() + " (FC"
                    + r.getFunctionCode() + ")", 0);
        }
        return type.cast(r);
    }

    private void checkCount(RegisterKind kind, int start, int expected, int actual) throws DeviceProtocolException {
        if (expected != actual) {
            throw new DeviceProtocolException("reply for " + kind.id() + " " + start + " carries " + actual
                    + " units, asked for " + expected, 0);
        }
    }

    private void disconnect() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
