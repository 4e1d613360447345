package gateway.driver.vaillant.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import gateway.core.api.DeviceException;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceUnreachableException;

/**
 * A client of ebusd's TCP command port. One connection, kept open between polls (ebusd serves many clients; opening
 * one per command would only add latency).
 *
 * <p>One request in flight per ebusd: every exchange of every client for the same host:port runs under one lock, so
 * a connection test or a session left from a driver update never interleaves with a poll, and ebusd's bus queue only
 * ever holds one of our requests. A reply that does not arrive within the reply timeout drops the connection: a late
 * reply would otherwise be taken for the next request's.
 */
final class EbusdClient implements AutoCloseable {

    /** Sanity bounds on a reply: {@code find} or {@code info} on a busy bus print a few hundred lines at most. */
    static final int MAX_LINES = 2000;
    static final int MAX_LINE_BYTES = 16 * 1024;

    private static final Map<String, ReentrantLock> GATES = new ConcurrentHashMap<>();

    private final String host;
    private final int port;
    private final int connectTimeoutMillis;
    private final int replyTimeoutMillis;
    private final ReentrantLock gate;

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int requests;
    private long bytes;

    EbusdClient(String host, int port, int connectTimeoutMillis, int replyTimeoutMillis) {
        this.host = host;
        this.port = port;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.replyTimeoutMillis = replyTimeoutMillis;
        this.gate = GATES.computeIfAbsent(host.trim().toLowerCase() + ":" + port, k -> new ReentrantLock(true));
    }

    String endpoint() {
        return host + ":" + port;
    }

    int requestsSent() {
        return requests;
    }

    long bytesReceived() {
        return bytes;
    }

    boolean connected() {
        return socket != null;
    }

    /** Sends one command line and returns the reply's lines (without the empty line that ends it). */
    EbusdProtocol.Reply exchange(String command) throws DeviceException {
        if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("one command per line");
        }
        boolean locked;
        try {
            // another client of the same ebusd may be in the middle of a slow bus read
            locked = gate.tryLock(2L * replyTimeoutMillis + connectTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceUnreachableException("interrupted waiting for ebusd at " + endpoint());
        }
        if (!locked) {
            throw new DeviceUnreachableException("ebusd at " + endpoint() + " is busy with another request");
        }
        try {
            if (socket == null) {
                connect();
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(replyTimeoutMillis);
            drainStale();
            out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            requests++;
            List<String> lines = new ArrayList<>();
            while (true) {
                String line = readLine(deadline);
                if (line.isEmpty()) {
                    return new EbusdProtocol.Reply(lines);
                }
                if (lines.size() >= MAX_LINES) {
                    disconnect();
                    throw new DeviceProtocolException("ebusd at " + endpoint() + ": reply to '" + command
                            + "' longer than " + MAX_LINES + " lines", 0);
                }
                lines.add(line);
            }
        } catch (SocketTimeoutException e) {
            disconnect();
            throw new DeviceUnreachableException("ebusd at " + endpoint() + " did not answer '" + command + "' within "
                    + replyTimeoutMillis + " ms", e);
        } catch (IOException e) {
            disconnect();
            throw new DeviceUnreachableException("connection to ebusd at " + endpoint() + " failed: "
                    + e.getMessage(), e);
        } finally {
            gate.unlock();
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 4096);
        out = s.getOutputStream();
    }

    private void drainStale() throws IOException {
        int stale = in.available();
        while (stale > 0) {
            stale -= (int) in.skip(stale);
        }
    }

    /** One line without its {@code \n} (and a {@code \r} before it), bounded by the reply deadline. */
    private String readLine(long deadlineNanos) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (true) {
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (remaining <= 0) {
                throw new SocketTimeoutException("reply deadline passed");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remaining));
            int b = in.read();
            if (b < 0) {
                throw new EOFException("ebusd closed the connection");
            }
            bytes++;
            if (b == '\n') {
                byte[] raw = line.toByteArray();
                int n = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
                return new String(raw, 0, n, StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw new IOException("reply line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
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

    @Override
    public void close() {
        // under the gate: never close a socket another thread of this client is reading from
        gate.lock();
        try {
            disconnect();
        } finally {
            gate.unlock();
        }
    }
}
