package gateway.core.modbus;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.RegisterKind;

/**
 * A small Modbus TCP server on 127.0.0.1 serving a {@link RegisterBank}, with the faults driver simulators need:
 * latency, dropped connections, a client limit, per-table function codes and a smaller block limit.
 *
 * <p>Function codes: 01/02/03/04 reads, 05/06 single writes, 15/16 multiple writes. Exception 01 for a function the
 * table does not allow, 02 when an address of the request is not defined (or not writable, for writes), 03 for a bad
 * count. Every reply carries the request's transaction and unit id. By default holding registers answer FC03 and
 * FC04 (IDM serves the same map on both), input registers FC04 only.
 */
public final class ModbusSimulatorServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusSimulatorServer.class);
    /** MBAP length field counts the unit id and the PDU; a PDU is at most 253 bytes. */
    private static final int MAX_MBAP_LENGTH = 254;

    private final RegisterBank bank;
    private final Map<RegisterKind, Set<Integer>> functions = new EnumMap<>(RegisterKind.class);
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<Integer, Integer> writeCounts = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private volatile int latencyMillis;
    private volatile int maxClients = Integer.MAX_VALUE;
    private volatile int maxBlock = 125;
    private volatile ServerSocket server;

    public ModbusSimulatorServer(RegisterBank bank) {
        this.bank = bank;
        functions.put(RegisterKind.HOLDING, Set.of(3, 4, 6, 16));
        functions.put(RegisterKind.INPUT, Set.of(4));
        functions.put(RegisterKind.COIL, Set.of(1, 5, 15));
        functions.put(RegisterKind.DISCRETE_INPUT, Set.of(2));
    }

    /** Binds 127.0.0.1:{@code port} (0 = any free port) and starts accepting; returns the bound port. */
    public synchronized int start(int port) throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started on port " + server.getLocalPort());
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        Thread acceptor = new Thread(() -> acceptLoop(s), "modbus-sim-accept-" + s.getLocalPort());
        acceptor.setDaemon(true);
        threads.add(acceptor);
        acceptor.start();
        return s.getLocalPort();
    }

    public int port() {
        ServerSocket s = server;
        return s == null ? -1 : s.getLocalPort();
    }

    /** Delay before each reply. */
    public void latencyMillis(int ms) {
        this.latencyMillis = Math.max(0, ms);
    }

    /** Drops every open client connection now. */
    public void disconnectClients() {
        for (Socket c : clients) {
            closeQuietly(c);
        }
    }

    /** Connections beyond {@code n} are closed as soon as they are accepted (devices that allow one client). */
    public void maxClients(int n) {
        this.maxClients = n;
    }

    /** The function codes a table answers (replaces the defaults for that table). */
    public synchronized void allowFunctions(RegisterKind kind, int... functionCodes) {
        Set<Integer> set = ConcurrentHashMap.newKeySet();
        for (int fc : functionCodes) {
            set.add(fc);
        }
        Map<RegisterKind, Set<Integer>> copy = new EnumMap<>(functions);
        copy.put(kind, Set.copyOf(set));
        functions.clear();
        functions.putAll(copy);
    }

    /** Read requests over {@code n} registers get exception 03 (devices with a smaller limit than Modbus's 125). */
    public void maxBlock(int n) {
        this.maxBlock = n;
    }

    public long requestCount() {
        return requests.get();
    }

    /** Write requests that touched {@code address} (any table) since start. */
    public int writeCount(int address) {
        return writeCounts.getOrDefault(address, 0);
    }

    @Override
    public void close() {
        List<Thread> toJoin;
        synchronized (this) {
            ServerSocket s = server;
            if (s != null) {
                closeQuietly(s);
            }
            server = null;
            toJoin = new ArrayList<>(threads);
            threads.clear();
        }
        disconnectClients();
        for (Thread t : toJoin) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return;
            }
            if (clients.size() >= maxClients) {
                LOG.debug("simulator on port {}: client limit {} reached, closing new connection",
                        s.getLocalPort(), maxClients);
                closeQuietly(client);
                continue;
            }
            clients.add(client);
            Thread t = new Thread(() -> serve(client), "modbus-sim-client-" + s.getLocalPort());
            t.setDaemon(true);
            synchronized (this) {
                threads.removeIf(th -> !th.isAlive());
                threads.add(t);
            }
            t.start();
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (true) {
                int tid = in.readUnsignedShort();
                int protocol = in.readUnsignedShort();
                int length = in.readUnsignedShort();
                if (protocol != 0 || length < 2 || length > MAX_MBAP_LENGTH) {
                    // A frame we cannot trust: a real device drops the connection rather than guess.
                    return;
                }
                int unit = in.readUnsignedByte();
                byte[] pdu = new byte[length - 1];
                in.readFully(pdu);
                requests.incrementAndGet();
                byte[] reply = handle(pdu);
                int latency = latencyMillis;
                if (latency > 0) {
                    Thread.sleep(latency);
                }
                byte[] frame = new byte[7 + reply.length];
                frame[0] = (byte) (tid >>> 8);
                frame[1] = (byte) tid;
                frame[4] = (byte) ((reply.length + 1) >>> 8);
                frame[5] = (byte) (reply.length + 1);
                frame[6] = (byte) unit;
                System.arraycopy(reply, 0, frame, 7, reply.length);
                out.write(frame);
                out.flush();
            }
        } catch (EOFException | SocketException e) {
            // client went away or was dropped on purpose
        } catch (IOException e) {
            LOG.debug("simulator client error: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(client);
        }
    }

    private byte[] handle(byte[] pdu) {
        int fc = pdu[0] & 0xFF;
        try {
            switch (fc) {
                case 1: case 2: case 3: case 4:
                    return read(fc, pdu);
                case 5:
                    return writeSingleCoil(pdu);
                case 6:
                    return writeSingleRegister(pdu);
                case 15:
                    return writeMultipleCoils(pdu);
                case 16:
                    return writeMultipleRegisters(pdu);
                default:
                    return exception(fc, 1);
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            return exception(fc, 3);
        } catch (ModbusError e) {
            return exception(fc, e.code);
        }
    }

    private byte[] read(int fc, byte[] pdu) throws ModbusError {
        int start = u16(pdu, 1);
        int count = u16(pdu, 3);
        boolean bits = fc == 1 || fc == 2;
        if (count < 1 || count > (bits ? 2000 : 125) || count > maxBlock) {
            throw new ModbusError(3);
        }
        RegisterKind[] tables = bits
                ? new RegisterKind[] {RegisterKind.COIL, RegisterKind.DISCRETE_INPUT}
                : new RegisterKind[] {RegisterKind.INPUT, RegisterKind.HOLDING};
        RegisterKind servedBy = null;
        boolean definedElsewhere = false;
        boolean anyAllows = false;
        for (RegisterKind k : tables) {
            boolean allows = allows(k, fc);
            anyAllows |= allows;
            boolean covered = bank.covers(k, start, count, false);
            if (allows && covered) {
                servedBy = k;
                break;
            }
            definedElsewhere |= covered;
        }
        if (servedBy == null) {
            // The span exists, but not for this function code (NIBE: input registers with FC03) → illegal function.
            throw new ModbusError(definedElsewhere || !anyAllows ? 1 : 2);
        }
        int[] regs = bank.read(servedBy, start, count);
        if (regs == null) {
            throw new ModbusError(2);
        }
        if (bits) {
            int bytes = (count + 7) / 8;
            byte[] out = new byte[2 + bytes];
            out[0] = (byte) fc;
            out[1] = (byte) bytes;
            for (int i = 0; i < count; i++) {
                if (regs[i] != 0) {
                    out[2 + i / 8] |= (byte) (1 << (i % 8));
                }
            }
            return out;
        }
        byte[] out = new byte[2 + 2 * count];
        out[0] = (byte) fc;
        out[1] = (byte) (2 * count);
        for (int i = 0; i < count; i++) {
            out[2 + 2 * i] = (byte) (regs[i] >>> 8);
            out[3 + 2 * i] = (byte) regs[i];
        }
        return out;
    }

    private byte[] writeSingleCoil(byte[] pdu) throws ModbusError {
        int address = u16(pdu, 1);
        int value = u16(pdu, 3);
        if (value != 0xFF00 && value != 0) {
            throw new ModbusError(3);
        }
        applyWrite(RegisterKind.COIL, 5, address, new int[] {value == 0xFF00 ? 1 : 0});
        return echo(pdu, 5);
    }

    private byte[] writeSingleRegister(byte[] pdu) throws ModbusError {
        int address = u16(pdu, 1);
        applyWrite(RegisterKind.HOLDING, 6, address, new int[] {u16(pdu, 3)});
        return echo(pdu, 5);
    }

    private byte[] writeMultipleCoils(byte[] pdu) throws ModbusError {
        int start = u16(pdu, 1);
        int count = u16(pdu, 3);
        int bytes = pdu[5] & 0xFF;
        if (count < 1 || count > 1968 || bytes != (count + 7) / 8 || pdu.length != 6 + bytes) {
            throw new ModbusError(3);
        }
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = (pdu[6 + i / 8] >> (i % 8)) & 1;
        }
        applyWrite(RegisterKind.COIL, 15, start, values);
        return echo(pdu, 5);
    }

    private byte[] writeMultipleRegisters(byte[] pdu) throws ModbusError {
        int start = u16(pdu, 1);
        int count = u16(pdu, 3);
        int bytes = pdu[5] & 0xFF;
        if (count < 1 || count > 123 || bytes != 2 * count || pdu.length != 6 + bytes) {
            throw new ModbusError(3);
        }
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = u16(pdu, 6 + 2 * i);
        }
        applyWrite(RegisterKind.HOLDING, 16, start, values);
        return echo(pdu, 5);
    }

    private void applyWrite(RegisterKind kind, int fc, int start, int[] values) throws ModbusError {
        if (!allows(kind, fc)) {
            throw new ModbusError(1);
        }
        if (!bank.covers(kind, start, values.length, true)) {
            throw new ModbusError(2);
        }
        for (int a = start; a < start + values.length; a++) {
            writeCounts.merge(a, 1, Integer::sum);
        }
        bank.write(kind, start, values);
    }

    private synchronized boolean allows(RegisterKind kind, int fc) {
        Set<Integer> set = functions.get(kind);
        return set != null && set.contains(fc);
    }

    private static byte[] echo(byte[] pdu, int length) {
        byte[] out = new byte[length];
        System.arraycopy(pdu, 0, out, 0, length);
        return out;
    }

    private static byte[] exception(int fc, int code) {
        return new byte[] {(byte) (fc | 0x80), (byte) code};
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    /** A Modbus exception reply to send. */
    private static final class ModbusError extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;

        ModbusError(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }
}
