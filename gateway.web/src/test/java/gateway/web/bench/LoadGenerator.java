package gateway.web.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * HTTP load from a separate JVM, for .ci/bench: keep-alive HTTP/1.1 over plain sockets on several connections.
 * <ul>
 * <li>{@code open}: requests are due at a fixed rate whatever the server does (request i at start + i/rate, spread
 * round-robin over the connections); latency is measured from the due time, so a slow answer also counts against the
 * requests queued behind it (no coordinated omission).</li>
 * <li>{@code closed}: every connection sends its next request as soon as the previous answer arrived: the maximum
 * throughput the server sustains with that many clients.</li>
 * </ul>
 * Usage: {@code LoadGenerator URL [--mode open|closed] [--rate N] [--seconds N] [--warmup N] [--connections N]
 * [--header "Name: value"]... [--label text]}. Prints one line per run; exits 1 when any answer was not 200.
 */
public final class LoadGenerator {

    /** Latencies in microseconds: exact below 1024 µs, then 512 buckets per power of two (under 0.2 % error). */
    static final class Histogram {
        private static final int LINEAR = 1024;
        private static final int SUB = 512;
        final long[] counts = new long[LINEAR + 54 * SUB];
        long total;
        long max;

        static int index(long micros) {
            long v = Math.max(0, micros);
            if (v < LINEAR) {
                return (int) v;
            }
            int msb = 63 - Long.numberOfLeadingZeros(v);
            int shift = msb - 9;
            return LINEAR + (msb - 10) * SUB + (int) ((v >> shift) - SUB);
        }

        /** The largest value that falls into bucket {@code index}. */
        static long highest(int index) {
            if (index < LINEAR) {
                return index;
            }
            int k = (index - LINEAR) / SUB;
            long sub = (index - LINEAR) % SUB + SUB;
            int shift = k + 1;
            return ((sub + 1) << shift) - 1;
        }

        void record(long micros) {
            counts[index(micros)]++;
            total++;
            max = Math.max(max, micros);
        }

        void add(Histogram other) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] += other.counts[i];
            }
            total += other.total;
            max = Math.max(max, other.max);
        }

        /** The value at or below which the fraction {@code q} of the recordings lie. */
        long quantile(double q) {
            if (total == 0) {
                return 0;
            }
            long rank = Math.max(1, (long) Math.ceil(q * total));
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return Math.min(highest(i), max);
                }
            }
            return max;
        }
    }

    /** One keep-alive connection that sends a fixed GET and reads whole answers. */
    static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] request;

        Connection(URI uri, Map<String, String> headers) throws IOException {
            int port = uri.getPort() < 0 ? 80 : uri.getPort();
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(uri.getHost(), port), 5000);
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            StringBuilder sb = new StringBuilder("GET ").append(uri.getRawPath());
            if (uri.getRawQuery() != null) {
                sb.append('?').append(uri.getRawQuery());
            }
            sb.append(" HTTP/1.1\r\nHost: ").append(uri.getHost()).append(':').append(port).append("\r\n");
            headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
            sb.append("\r\n");
            request = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        /** Sends the request and reads the answer; returns its status. */
        int exchange() throws IOException {
            out.write(request);
            out.flush();
            String status = line();
            if (status == null || status.length() < 12) {
                throw new IOException("connection closed or bad status line: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String h = line(); h != null && !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    length = Long.parseLong(value);
                } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                        size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    skip(size);
                    line();
                }
                for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                    // trailers are not used
                }
            } else if (length > 0) {
                skip(length);
            }
            return code;
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long skipped = in.skip(n);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed inside a body");
                    }
                    skipped = 1;
                }
                n -= skipped;
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            for (int c = in.read(); c >= 0; c = in.read()) {
                if (c == '\n') {
                    int len = sb.length();
                    return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
                }
                sb.append((char) c);
            }
            return sb.length() == 0 ? null : sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    record Result(String label, String mode, double targetRate, double achievedRate, long requests, long errors,
                  Histogram histogram) {
        String line() {
            Histogram h = histogram;
            String rate = mode.equals("open")
                    ? String.format(Locale.ROOT, "%6.0f req/s (target %.0f)", achievedRate, targetRate)
                    : String.format(Locale.ROOT, "%6.0f req/s (max, closed loop)", achievedRate);
            return String.format(Locale.ROOT,
                    "%-34s %s | p50 %6.2f ms  p99 %6.2f ms  p99.9 %7.2f ms  max %7.2f ms | %d requests, %d not 200",
                    label, rate, h.quantile(0.50) / 1000.0, h.quantile(0.99) / 1000.0, h.quantile(0.999) / 1000.0,
                    h.max / 1000.0, requests, errors);
        }
    }

    /** Runs for {@code seconds} and returns what was measured; in open mode {@code rate} requests/s in total. */
    static Result run(String label, URI uri, Map<String, String> headers, String mode, double rate, double seconds,
                      int connections) throws Exception {
        boolean open = mode.equals("open");
        Histogram[] histograms = new Histogram[connections];
        long[] requests = new long[connections];
        long[] errors = new long[connections];
        Throwable[] failures = new Throwable[connections];
        List<Connection> conns = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            conns.add(new Connection(uri, headers));
        }
        long start = System.nanoTime() + 20_000_000L;
        long end = start + (long) (seconds * 1e9);
        double interval = 1e9 / rate;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int k = c;
            histograms[k] = new Histogram();
            Thread t = new Thread(() -> {
                Connection conn = conns.get(k);
                try {
                    for (long i = k; ; i += connections) {
                        long due = open ? start + (long) (i * interval) : System.nanoTime();
                        if (due >= end || (!open && due >= end)) {
                            break;
                        }
                        if (open) {
                            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                                LockSupport.parkNanos(wait);
                            }
                        } else if (due < start) {
                            LockSupport.parkNanos(start - due);
                            due = System.nanoTime();
                        }
                        int status = conn.exchange();
                        histograms[k].record((System.nanoTime() - due) / 1000);
                        requests[k]++;
                        if (status != 200) {
                            errors[k]++;
                        }
                    }
                } catch (Throwable e) {
                    failures[k] = e;
                }
            }, "load-" + k);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long finished = System.nanoTime();
        for (Connection c : conns) {
            c.close();
        }
        for (Throwable f : failures) {
            if (f != null) {
                throw new IllegalStateException(label + ": a connection failed", f);
            }
        }
        Histogram all = new Histogram();
        long count = 0;
        long bad = 0;
        for (int c = 0; c < connections; c++) {
            all.add(histograms[c]);
            count += requests[c];
            bad += errors[c];
        }
        double elapsed = (Math.max(finished, end) - start) / 1e9;
        return new Result(label, mode, rate, count / elapsed, count, bad, all);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: LoadGenerator URL [--mode open|closed] [--rate N] [--seconds N] [--warmup N]"
                    + " [--connections N] [--header 'Name: value']... [--label text]");
            System.exit(2);
        }
        URI uri = URI.create(args[0]);
        String mode = "open";
        double rate = 1000;
        double seconds = 10;
        double warmup = 3;
        int connections = 8;
        String label = uri.getRawPath();
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String value = args[++i];
            switch (args[i - 1]) {
                case "--mode" -> mode = value;
                case "--rate" -> rate = Double.parseDouble(value);
                case "--seconds" -> seconds = Double.parseDouble(value);
                case "--warmup" -> warmup = Double.parseDouble(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--label" -> label = value;
                case "--header" -> {
                    int colon = value.indexOf(':');
                    headers.put(value.substring(0, colon).trim(), value.substring(colon + 1).trim());
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
            }
        }
        if (!mode.equals("open") && !mode.equals("closed")) {
            throw new IllegalArgumentException("--mode open or closed");
        }
        if (warmup > 0) {
            run(label, uri, headers, mode, rate, warmup, connections);
        }
        Result r = run(label, uri, headers, mode, rate, seconds, connections);
        System.out.println(r.line());
        if (r.errors() > 0) {
            System.exit(1);
        }
    }
}
