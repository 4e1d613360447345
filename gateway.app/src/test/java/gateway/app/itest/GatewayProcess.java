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

    /** Generous: a start takes 2-5 s, but over 60 s on the shared 2-core machine under a load of 25-30. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

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
    static GatewayProcess start(String jar, Path data, Map<String, String> env, String... extraArgs)
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
            Await.until("gateway answers /api/health on port " + port + "\n" + gw.tail(), START_TIMEOUT,
                    () -> {
                        if (!gw.process.isAlive()) {
                            throw new AssertionError("gateway exited with " + gw.process.exitValue() + "\n" + gw.tail());
                        }
                        return anonymous.get("/api/health").status() == 200;
                    });
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

    String tail() {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
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
