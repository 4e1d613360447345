package gateway.app.launch;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Entry point of gateway.jar: turns the command line into framework properties, then hands over to the bnd
 * launcher embedded in the same jar. Felix answers BundleContext.getProperty from system properties for keys the
 * launch properties leave unset, which is how the port, host, data folder and demo flag reach the bundles.
 */
public final class GatewayMain {

    private static final String BND_LAUNCHER = "aQute.launcher.pre.EmbeddedLauncher";

    private GatewayMain() {
    }

    public static void main(String[] args) throws Throwable {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("gateway: " + e.getMessage());
            System.err.println(LaunchOptions.usage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(LaunchOptions.usage());
            return;
        }
        Path deploy = options.data().resolve("deploy");
        try {
            DataFolder.prepare(options.data(), deploy);
            BundledDrivers.seedOnce(options.data(), deploy);
        } catch (IOException e) {
            System.err.println("gateway: cannot create data folder " + options.data() + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        int port = options.port();
        if (ClassArchiveTraining.requested()) {
            port = freePort(); // the build's training run must not meet a gateway the developer runs on 8080
            ClassArchiveTraining.start(port, options.data());
        }
        setDefault("org.osgi.service.http.port", Integer.toString(port));
        setDefault("org.apache.felix.http.host", options.host());
        setDefault("gateway.data", options.data().toString());
        setDefault("felix.fileinstall.dir", deploy.toString());
        setDefault("gateway.demo", Boolean.toString(options.demo()));
        // The framework cache (installed bundles, configuration) lives with the data so one folder is the whole state.
        setDefault("launch.storage.dir", options.data().resolve("framework").toString());
        setDefault("org.osgi.framework.storage", options.data().resolve("framework").toString());

        Class.forName(BND_LAUNCHER).getMethod("main", String[].class)
                .invoke(null, (Object) options.rest().toArray(String[]::new));
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A -D on the java command line still wins over the command line's defaults. */
    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
