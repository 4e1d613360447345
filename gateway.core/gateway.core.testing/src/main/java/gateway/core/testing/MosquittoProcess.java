package gateway.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker on a loopback port with a configuration the test writes (installed by
 * {@code .ci/setup.d/mosquitto.sh}; the system service is not used). Optional password file and TLS listener.
 */
public final class MosquittoProcess implements AutoCloseable {

    public final Path dir;
    public final int port;
    private final List<String> extraConfig = new ArrayList<>();
    private Process process;

    public MosquittoProcess(Path dir) throws IOException {
        this(dir, Tools.freePort());
    }

    public MosquittoProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** The broker binary: Debian puts it in /usr/sbin, which is not on every user's PATH. */
    public static String binary() {
        for (String dir : (System.getenv().getOrDefault("PATH", "/usr/bin") + File.pathSeparator + "/usr/sbin")
                .split(File.pathSeparator)) {
            File f = new File(dir, "mosquitto");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return fail("mosquitto is not installed; run bash .ci/setup.d/mosquitto.sh (Debian package mosquitto)");
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Users with passwords, hashed by mosquitto_passwd; anonymous clients are refused. */
    public MosquittoProcess users(String... userPasswordPairs) throws IOException, InterruptedException {
        Path file = dir.resolve("passwords");
        Files.writeString(file, "");
        for (int i = 0; i < userPasswordPairs.length; i += 2) {
            Process p = new ProcessBuilder("mosquitto_passwd", "-b", file.toString(), userPasswordPairs[i],
                    userPasswordPairs[i + 1]).redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail("mosquitto_passwd failed: " + new String(p.getInputStream().readAllBytes()));
            }
        }
        extraConfig.add("allow_anonymous false");
        extraConfig.add("password_file " + file);
        return this;
    }

    /** One more line of mosquitto.conf (e.g. {@code max_queued_messages 0} for a benchmark). */
    public MosquittoProcess config(String line) {
        extraConfig.add(line);
        return this;
    }

    /** A TLS listener instead of plain TCP, with this server certificate and key (PEM). */
    public MosquittoProcess tls(Path certificate, Path key) {
        extraConfig.add("certfile " + certificate);
        extraConfig.add("keyfile " + key);
        return this;
    }

    public MosquittoProcess start() throws IOException, InterruptedException {
        Path conf = dir.resolve("mosquitto-" + port + ".conf");
        List<String> lines = new ArrayList<>(List.of("per_listener_settings false", "persistence false",
                "log_dest stderr", "log_type error", "log_type warning", "log_type notice",
                "listener " + port + " 127.0.0.1",
                // started as root, mosquitto would switch to the user "mosquitto", who cannot read the test's files
                "user " + System.getProperty("user.name")));
        if (extraConfig.stream().noneMatch(l -> l.startsWith("allow_anonymous"))) {
            lines.add("allow_anonymous true");
        }
        lines.addAll(extraConfig);
        Files.write(conf, lines);
        process = new ProcessBuilder(binary(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto-" + port + ".log").toFile()))
                .start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                fail("mosquitto exited: " + Files.readString(dir.resolve("mosquitto-" + port + ".log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        return fail("mosquitto did not listen on " + port);
    }

    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    /** Stopped and started again on the same port: every connection drops, retained messages are gone. */
    public void restart() throws IOException, InterruptedException {
        stop();
        start();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
