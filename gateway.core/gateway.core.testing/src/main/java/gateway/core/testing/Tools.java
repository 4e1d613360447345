package gateway.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;

/** External programs the metrics tests run (installed by .ci/setup.d/victoria-metrics.sh). */
public final class Tools {

    private Tools() {
    }

    public static String require(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(dir, program);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return fail(program + " is not installed; run bash .ci/setup.d/victoria-metrics.sh (Debian packages "
                + "victoria-metrics and prometheus)");
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
