package gateway.driver.luxtronik.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A hand-driven TCP server for client tests: per connection, it reads each request of the given size, records the
 * bytes, and answers with a script step. Nothing here uses the code under test.
 */
final class RawServer implements AutoCloseable {

    /** What to do after reading one request. */
    interface Step {
        /** @return false to stop serving this connection (it is then closed unless {@link #holdOpen}) */
        boolean answer(OutputStream out) throws IOException, InterruptedException;
    }

    static Step reply(byte[] bytes) {
        return out -> {
            out.write(bytes);
            out.flush();
            return true;
        };
    }

    /** Sends the bytes, then closes the connection. */
    static Step replyAndClose(byte[] bytes) {
        return out -> {
            out.write(bytes);
            out.flush();
            return false;
        };
    }

    /** Sends the bytes, then keeps the connection open and says nothing more. */
    static Step replyAndHang(byte[] bytes) {
        return out -> {
            out.write(bytes);
            out.flush();
            Thread.sleep(30_000);
            return false;
        };
    }

    private final ServerSocket server;
    private final Thread thread;
    final List<byte[]> requests = Collections.synchronizedList(new ArrayList<>());
    final List<Long> requestNanos = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param requestSizes size of each expected request, in order (8 for reads, 12 for a write)
     * @param steps        the answer to each request
     */
    RawServer(int[] requestSizes, Step... steps) throws IOException {
        server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> run(requestSizes, steps), "raw-server");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void run(int[] sizes, Step[] steps) {
        int next = 0;
        while (next < steps.length) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                while (next < steps.length) {
                    byte[] request = in.readNBytes(sizes[next]);
                    if (request.length < sizes[next]) {
                        break; // client closed; expect it on a new connection
                    }
                    requests.add(request);
                    requestNanos.add(System.nanoTime());
                    if (!steps[next++].answer(out)) {
                        break;
                    }
                }
            } catch (IOException | InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        thread.interrupt();
    }

    /** Big-endian int32 words, written out by hand (not with the code under test). */
    static byte[] words(int... values) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int v : values) {
            b.write((v >>> 24) & 0xFF);
            b.write((v >>> 16) & 0xFF);
            b.write((v >>> 8) & 0xFF);
            b.write(v & 0xFF);
        }
        return b.toByteArray();
    }

    static byte[] hex(String text) {
        String[] parts = text.trim().split("\\s+");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
