package gateway.app.itest;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real runnable gateway.jar in a child JVM, as a user starts it. */
final class GatewayProcess implements AutoCloseable {

    /** Start-up takes seconds, but minutes on a shared machine under load (CI runners, many builds at once). */
    static final Duration STARTUP = Duration.ofSeconds(180);

    private final Process process;
    private final Path log;
    final int port;
    final Path data;

    private GatewayProcess(Process process, Path log, int port, Path data) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.data = data;
    }

    /** Starts the jar named by the framework property {@code gateway.itest.jar} and waits for /api/health. */
    /**
     * Makes {@code data/deploy} hold only the given driver jars of the build (framework property
     * {@code gateway.itest.bundled}) and marks the folder as seeded, so the gateway adds no other driver: the test
     * chooses its drivers. Returns the deploy folder.
     */
    static Path deployOnly(org.osgi.framework.BundleContext context, Path data, String... driverJars)
            throws IOException {
        Path deploy = Files.createDirectories(data.resolve("deploy"));
        for (String jar : driverJars) {
            Files.copy(Path.of(context.getProperty("gateway.itest.bundled"), jar), deploy.resolve(jar));
        }
        Files.writeString(data.resolve(".drivers-seeded"), "the test chooses its drivers\n");
        return deploy;
    }

    static GatewayProcess start(String jar, Path data, Map<String, String> env, String... extraArgs)
            throws IOException {
        for (int attempt = 1;; attempt++) {
            try {
                return startOnce(jar, data, env, extraArgs);
            } catch (PortTaken e) {
                if (attempt == 3) {
                    throw new AssertionError("three ports in a row were taken before the gateway bound them", e);
                }
            }
        }
    }

    /** Another program took the port between {@link #freePort()} and the gateway's bind. */
    private static final class PortTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortTaken(int port) {
            super("port " + port + " taken by another program");
        }
    }

    private static GatewayProcess startOnce(String jar, Path data, Map<String, String> env, String... extraArgs)
            throws IOException {
        int port = freePort();
        Files.createDirectories(data);
        Path log = data.resolve("gateway-stdout.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar, "--port", Integer.toString(port), "--data", data.toString()));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(data.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("GATEWAY_ADMIN_PASSWORD");
        pb.environment().remove("GATEWAY_WRITE_ENABLED");
        pb.environment().remove("IDM_HOST");
        pb.environment().putAll(env);
        GatewayProcess gw = new GatewayProcess(pb.start(), log, port, data);
        try {
            ApiClient anonymous = new ApiClient(port, null, null);
            boolean[] taken = new boolean[1];
            Await.until("gateway answers /api/health on port " + port + "\n" + gw.tail(), STARTUP,
                    () -> {
                        if (!gw.process.isAlive()) {
                            throw new AssertionError("gateway exited with " + gw.process.exitValue() + "\n" + gw.tail());
                        }
                        // and it is this process that answers: between freePort() and the JVM's bind another
                        // program can take the port, and its 200 would hand the test to a stranger (seen in CI:
                        // a test's first request got 401 from another gateway while its own was still starting)
                        if (anonymous.get("/api/health").status() != 200) {
                            return false;
                        }
                        if (gw.listensOn(port)) {
                            return true;
                        }
                        // Jetty could not bind: start again on another port
                        taken[0] = gw.tail().contains("BindException") || gw.tail().contains("Address already in use");
                        return taken[0];
                    });
            if (taken[0]) {
                throw new PortTaken(port);
            }
        } catch (RuntimeException | AssertionError e) {
            gw.close();
            throw e;
        }
        return gw;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * True when this process holds a listening TCP socket on {@code port} (Linux: the socket inodes among the
     * process's file descriptors, looked up in /proc/net/tcp and tcp6).
     */
    boolean listensOn(int port) {
        java.util.Set<String> inodes = new java.util.HashSet<>();
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            });
        } catch (IOException e) {
            return false; // the process is gone
        }
        String hexPort = String.format(":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode; st 0A = LISTEN
                    if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals("0A") && inodes.contains(f[9])) {
                        return true;
                    }
                }
            } catch (IOException e) {
                // no IPv6 table on this machine
            }
        }
        return false;
    }

    /** Everything the gateway wrote to stdout and stderr so far. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    String tail() {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The gateway JVM's process id, for /proc/<pid>/task and /proc/<pid>/fd. */
    long pid() {
        return process.pid();
    }

    /** kill -9: no shutdown hook and no framework stop, as a power cut or the OOM killer would end it. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("gateway still alive after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
