package gateway.app.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's command line. Kept free of OSGi so it runs before the framework exists.
 *
 * @param port  HTTP port (default 8080)
 * @param host  address the HTTP server binds to (default 127.0.0.1: nothing is exposed until the owner decides)
 * @param data  data folder: database, deploy folder, framework cache (default ./data)
 * @param demo  start the simulators of every installed driver and configure a device for each
 */
record LaunchOptions(int port, String host, Path data, boolean demo, boolean help, List<String> rest) {

    /** The usage text; the launcher script names itself in {@code gateway.command}, else it is the jar's command. */
    static String usage() {
        return USAGE.replace("java -jar gateway.jar", System.getProperty("gateway.command", "java -jar gateway.jar"));
    }

    static final String USAGE = """
            Usage: java -jar gateway.jar [--port N] [--host ADDRESS] [--data DIR] [--demo]
              --port N        HTTP port (default 8080)
              --host ADDRESS  bind address (default 127.0.0.1; 0.0.0.0 for all interfaces)
              --data DIR      data folder for the database, deploy/ and the framework cache (default ./data)
              --demo          start simulated heat pumps for every installed driver and configure them once
            Environment: GATEWAY_ADMIN_PASSWORD creates user 'admin' at first start;
                         GATEWAY_WRITE_ENABLED=true switches device writes on.""";

    static LaunchOptions parse(String... args) {
        int port = 8080;
        String host = "127.0.0.1";
        Path data = Path.of("data");
        boolean demo = false;
        boolean help = false;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String inline = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                inline = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--port" -> {
                    String v = inline != null ? inline : value(args, ++i, a);
                    try {
                        port = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port needs a number, got '" + v + "'");
                    }
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("--port must be 0..65535, got " + port);
                    }
                }
                case "--host" -> host = inline != null ? inline : value(args, ++i, a);
                case "--data" -> data = Path.of(inline != null ? inline : value(args, ++i, a));
                case "--demo" -> demo = true;
                case "--help", "-h" -> help = true;
                default -> {
                    if (a.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    rest.add(a);
                }
            }
        }
        return new LaunchOptions(port, host, data.toAbsolutePath().normalize(), demo, help, List.copyOf(rest));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
