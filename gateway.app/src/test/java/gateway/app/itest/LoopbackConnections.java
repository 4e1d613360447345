package gateway.app.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Counts established TCP connections to a local port by reading the kernel's table (Linux), so a test can prove a
 * socket was really closed rather than trusting the code under test to say so.
 */
final class LoopbackConnections {

    private LoopbackConnections() {
    }

    /** Established connections whose remote end is the given local port (i.e. clients of a server on that port). */
    static long establishedTo(int port) {
        return count(Path.of("/proc/net/tcp"), port) + count(Path.of("/proc/net/tcp6"), port);
    }

    private static long count(Path table, int port) {
        if (!Files.isReadable(table)) {
            return 0;
        }
        try {
            List<String> lines = Files.readAllLines(table);
            String hexPort = String.format(":%04X", port);
            // columns: sl local_address rem_address st ... ; state 01 = ESTABLISHED
            return lines.stream().skip(1).map(String::trim).map(l -> l.split("\\s+"))
                    .filter(c -> c.length > 3 && c[2].endsWith(hexPort) && c[3].equals("01"))
                    .count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + table, e);
        }
    }
}
