package gateway.driver.luxtronik.internal;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import gateway.core.api.DeviceException;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceUnreachableException;

/**
 * Client for the Luxtronik 2.x binary protocol (3002 write, 3003 parameters, 3004 calculations, 3005 visibilities).
 *
 * <p>The controller is single-client and crashes when hammered (fact sheet §1, §7), so: every exchange of every client
 * for the same host:port runs under one lock (a health check must not overlap a poll); the connection is opened for
 * one batch of exchanges and closed right after, leaving the controller free for the vendor's app between polls; and
 * no exchange starts within {@link #WRITE_SETTLE_MILLIS} of a write.
 */
final class LuxtronikClient {

    static final int CMD_WRITE_PARAMETER = 3002;
    static final int CMD_READ_PARAMETERS = 3003;
    static final int CMD_READ_CALCULATIONS = 3004;
    static final int CMD_READ_VISIBILITIES = 3005;

    /** Sanity cap on N in any reply (openHAB uses 2000 for parameters; real firmware sends ~1200/270/380). */
    static final int MAX_ENTRIES = 2000;
    /** The controller recalculates after a write; python-luxtronik waits 1 s before reading back. */
    static final long WRITE_SETTLE_MILLIS = 1000;
    /** A .90 firmware never acknowledges a write (it reboots); do not wait the full read timeout for it. */
    static final int WRITE_ACK_TIMEOUT_MILLIS = 5000;

    /** The three tables in one poll; parameters and visibilities are null when not read this time. */
    record Tables(int[] calculations, int[] parameters, byte[] visibilities, int requests, long bytes) {
    }

    /** The 8-byte acknowledgement of a 3002 write; {@code word2} is unconfirmed (the index on python's fake). */
    record WriteAck(int echo, int word2) {
    }

    /** Per controller: one lock for all exchanges and the time of the last write. */
    private static final class ControllerGate {
        final ReentrantLock lock = new ReentrantLock(true);
        volatile long lastWriteNanos;
        volatile boolean written;
    }

    private static final Map<String, ControllerGate> GATES = new ConcurrentHashMap<>();

    private final String host;
    private final int port;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final int exchangeTimeoutMillis;
    private final ControllerGate gate;

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private long bytes;
    private int requests;

    /**
     * @param connectTimeoutMillis bound on the TCP connect
     * @param readTimeoutMillis    bound on each wait for bytes
     * @param exchangeTimeoutMillis bound on one whole request/reply, so a server dribbling bytes cannot hold us
     */
    LuxtronikClient(String host, int port, int connectTimeoutMillis, int readTimeoutMillis, int exchangeTimeoutMillis) {
        this.host = host;
        this.port = port;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
        this.exchangeTimeoutMillis = exchangeTimeoutMillis;
        this.gate = GATES.computeIfAbsent(host.trim().toLowerCase() + ":" + port, k -> new ControllerGate());
    }

    String endpoint() {
        return host + ":" + port;
    }

    /** Reads calculations, and parameters and visibilities when asked, on one connection (order as openHAB: 3004, 3003, 3005). */
    Tables read(boolean parameters, boolean visibilities) throws DeviceException {
        return underGate(() -> {
            int requestsBefore = requests;
            long bytesBefore = bytes;
            int[] calcs = exchangeInts(CMD_READ_CALCULATIONS, true);
            int[] params = parameters ? exchangeInts(CMD_READ_PARAMETERS, false) : null;
            byte[] vis = visibilities ? exchangeVisibilities() : null;
            return new Tables(calcs, params, vis, requests - requestsBefore, bytes - bytesBefore);
        });
    }

    int[] readCalculations() throws DeviceException {
        return read(false, false).calculations();
    }

    int[] readParameters() throws DeviceException {
        return underGate(() -> exchangeInts(CMD_READ_PARAMETERS, false));
    }

    byte[] readVisibilities() throws DeviceException {
        return underGate(this::exchangeVisibilities);
    }

    /** Writes one raw parameter value and verifies the echo. The caller has checked the allow-list and range. */
    WriteAck writeParameter(int index, int raw) throws DeviceException {
        return underGate(() -> {
            try {
                long deadline = deadline();
                send(CMD_WRITE_PARAMETER, index, raw);
                ByteBuffer reply = ByteBuffer.wrap(readExactly(8, deadline, WRITE_ACK_TIMEOUT_MILLIS));
                int echo = reply.getInt();
                if (echo != CMD_WRITE_PARAMETER) {
                    throw protocolError("write of parameter " + index + " not acknowledged: echo " + echo
                            + " instead of 3002");
                }
                return new WriteAck(echo, reply.getInt());
            } finally {
                // Even an unanswered write may have reached the controller: keep it quiet for a while in any case.
                gate.lastWriteNanos = System.nanoTime();
                gate.written = true;
            }
        });
    }

    /** Payload bytes received by this client since it was made. */
    long bytesReceived() {
        return bytes;
    }

    int requestsSent() {
        return requests;
    }

    private interface Exchange<T> {
        T run() throws IOException, DeviceException;
    }

    private <T> T underGate(Exchange<T> exchange) throws DeviceException {
        boolean locked;
        try {
            // Another client's batch holds the lock for up to three exchanges (3004, 3003, 3005).
            locked = gate.lock.tryLock(3L * exchangeTimeoutMillis + WRITE_SETTLE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceUnreachableException("interrupted waiting for " + endpoint());
        }
        if (!locked) {
            throw new DeviceUnreachableException("controller " + endpoint() + " is busy with another exchange");
        }
        try {
            waitAfterWrite();
            connect();
            return exchange.run();
        } catch (SocketTimeoutException e) {
            throw new DeviceUnreachableException("no reply from " + endpoint() + " in time: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DeviceUnreachableException("connection to " + endpoint() + " failed: " + e.getMessage(), e);
        } finally {
            // One batch per connection: the controller is single-client and the vendor's app needs it too.
            disconnect();
            gate.lock.unlock();
        }
    }

    private void waitAfterWrite() throws DeviceUnreachableException {
        if (!gate.written) {
            return;
        }
        long waitNanos = TimeUnit.MILLISECONDS.toNanos(WRITE_SETTLE_MILLIS) - (System.nanoTime() - gate.lastWriteNanos);
        if (waitNanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeviceUnreachableException("interrupted waiting after a write to " + endpoint());
            }
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            s.setSoTimeout(readTimeoutMillis);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 8192);
        out = s.getOutputStream();
    }

    private void disconnect() {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private long deadline() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(exchangeTimeoutMillis);
    }

    private void send(int... words) throws IOException {
        // Stale bytes from an earlier, abandoned reply would be taken for this reply's header (fact sheet §1).
        int stale = in.available();
        while (stale > 0) {
            stale -= (int) in.skip(stale);
        }
        ByteBuffer frame = ByteBuffer.allocate(4 * words.length);
        for (int w : words) {
            frame.putInt(w);
        }
        out.write(frame.array());
        out.flush();
        requests++;
    }

    /** 3003: [3003][N][N×int32]; 3004: [3004][status][N][N×int32]. */
    private int[] exchangeInts(int command, boolean statusWord) throws IOException, DeviceException {
        long deadline = deadline();
        send(command, 0);
        ByteBuffer header = ByteBuffer.wrap(readExactly(statusWord ? 12 : 8, deadline, readTimeoutMillis));
        checkEcho(command, header.getInt());
        if (statusWord) {
            header.getInt(); // meaning undocumented (fact sheet §2); every known client ignores it
        }
        int n = checkLength(command, header.getInt());
        ByteBuffer body = ByteBuffer.wrap(readExactly(4 * n, deadline, readTimeoutMillis));
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = body.getInt();
        }
        return values;
    }

    /** 3005: [3005][N][N×int8]; one byte per entry, reading them as int32 would misalign the socket. */
    private byte[] exchangeVisibilities() throws IOException, DeviceException {
        long deadline = deadline();
        send(CMD_READ_VISIBILITIES, 0);
        ByteBuffer header = ByteBuffer.wrap(readExactly(8, deadline, readTimeoutMillis));
        checkEcho(CMD_READ_VISIBILITIES, header.getInt());
        int n = checkLength(CMD_READ_VISIBILITIES, header.getInt());
        return readExactly(n, deadline, readTimeoutMillis);
    }

    private void checkEcho(int command, int echo) throws DeviceProtocolException {
        if (echo != command) {
            throw protocolError("reply to " + command + " starts with " + echo + " instead of the command echo");
        }
    }

    private int checkLength(int command, int n) throws DeviceProtocolException {
        if (n < 0 || n > MAX_ENTRIES) {
            throw protocolError("reply to " + command + " announces " + n + " entries (allowed 0.." + MAX_ENTRIES + ")");
        }
        return n;
    }

    private DeviceProtocolException protocolError(String message) {
        // The stream is out of step after a bad frame: the caller's finally drops the connection.
        return new DeviceProtocolException(endpoint() + ": " + message, 0);
    }

    private byte[] readExactly(int length, long deadlineNanos, int perReadTimeoutMillis) throws IOException {
        byte[] buffer = new byte[length];
        int done = 0;
        while (done < length) {
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (remainingMillis <= 0) {
                throw new SocketTimeoutException("exchange took longer than " + exchangeTimeoutMillis + " ms ("
                        + done + " of " + length + " bytes)");
            }
            boolean deadlineFirst = remainingMillis < perReadTimeoutMillis;
            socket.setSoTimeout((int) Math.max(1, Math.min(perReadTimeoutMillis, remainingMillis)));
            int n;
            try {
                n = in.read(buffer, done, length - done);
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException((deadlineFirst
                        ? "exchange took longer than " + exchangeTimeoutMillis + " ms"
                        : "no data for " + perReadTimeoutMillis + " ms") + " (" + done + " of " + length + " bytes)");
            }
            if (n < 0) {
                throw new EOFException("connection closed after " + done + " of " + length + " bytes");
            }
            done += n;
            bytes += n;
        }
        return buffer;
    }
}
