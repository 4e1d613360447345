package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * Issue 14: the README's command runs gateway.app/target/gateway, the launcher script beside gateway.jar. It passes
 * the gateway's own options on, puts JAVA_OPTS after its JVM settings (so they win), records the class-data archive
 * when the first start stops (SIGTERM reaching the JVM through the script), and maps it on the next start.
 * The script and jar are copied to a folder of their own, so the build's archive is not touched.
 */
@ExtendWith(BundleContextExtension.class)
class LauncherScriptEndToEndTest {

    @InjectBundleContext
    BundleContext context;

    @Test
    void theBuildRecordedTheClassArchiveForThisJar() throws Exception {
        // the pom's training run (ClassArchiveTraining): a new user's first start maps it instead of recording it
        Path built = Path.of(context.getProperty("gateway.itest.jar"));
        Path jsa = built.resolveSibling("gateway.jsa");
        assertTrue(Files.exists(jsa) && Files.size(jsa) > 8 * 1024 * 1024, "gateway.jsa beside " + built);
        String key = Files.readString(built.resolveSibling("gateway.jsa.key"));
        String stamp = Files.size(built) + " " + Files.getLastModifiedTime(built).toMillis() / 1000;
        assertTrue(key.startsWith(stamp + " "), "recorded from this jar (" + stamp + "): " + key);
    }

    @Test
    void passesOptionsOnRecordsTheClassArchiveOnceAndMapsItNextTime() throws Exception {
        Path built = Path.of(context.getProperty("gateway.itest.jar"));
        Path dir = Files.createTempDirectory("gateway-launcher");
        Path script = dir.resolve("gateway");
        Files.copy(built.resolveSibling("gateway"), script);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(built, dir.resolve("gateway.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        Path data = dir.resolve("data");

        List<String> first = runUntilReady(script, data);
        assertTrue(first.contains("-Xmx96m"), "the launcher's heap bound: " + first);
        assertTrue(first.indexOf("-Xmx96m") < first.indexOf("-Xmx200m"), "JAVA_OPTS come after, so they win: " + first);
        assertTrue(first.stream().anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit=")), "first start records: " + first);
        assertTrue(first.contains("--port") && first.contains(data.toString()), "--port and --data passed on: " + first);
        assertTrue(Files.size(dir.resolve("gateway.jsa")) > 8 * 1024 * 1024, "archive written when the first start stopped");
        assertTrue(Files.exists(dir.resolve("gateway.jsa.key")));

        List<String> second = runUntilReady(script, data);
        assertTrue(second.contains("-XX:SharedArchiveFile=" + dir.resolve("gateway.jsa")), "second start maps it: " + second);
        assertFalse(second.stream().anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit=")));

        // --help names the command as typed, not the jar behind it
        Process help = new ProcessBuilder(script.toString(), "--help").redirectErrorStream(true).start();
        help.getOutputStream().close();
        String usage = new String(help.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, help.waitFor(), usage);
        assertTrue(usage.startsWith("Usage: " + script + " [--port N]"), usage);
    }

    /** Starts the script, waits for /api/health 200, stops it with SIGTERM; returns the JVM's command line. */
    private static List<String> runUntilReady(Path script, Path data) throws Exception {
        int port = GatewayProcess.freePort();
        Files.createDirectories(data);
        Path log = data.resolve("launcher-stdout.log");
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "--port", Integer.toString(port), "--data",
                data.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVA_OPTS", "-Xmx200m");
        pb.environment().put("GATEWAY_ADMIN_PASSWORD", "launcher-test-password");
        Process process = pb.start();
        try {
            ApiClient anonymous = new ApiClient(port, null, null);
            Await.until("the launcher's gateway answers /api/health", GatewayProcess.STARTUP, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("exited with " + process.exitValue() + "\n" + read(log));
                }
                return anonymous.get("/api/health").status() == 200;
            });
            // the script execs java, except on the start that records the archive, where java is its child
            long jvm = process.toHandle().children().filter(c -> c.info().command().orElse("").endsWith("java"))
                    .map(ProcessHandle::pid).findFirst().orElse(process.pid());
            return commandLine(jvm);
        } finally {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("the launcher did not stop on SIGTERM\n" + read(log));
            }
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static List<String> commandLine(long pid) throws IOException {
        String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                StandardCharsets.UTF_8);
        return Arrays.asList(raw.split("\0"));
    }
}
