package gateway.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A real VictoriaMetrics single node on a loopback port with its own storage folder, started by a test. */
public final class VictoriaMetricsProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final int port;
    public final Path storage;
    private final List<String> extraFlags;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    public VictoriaMetricsProcess(int port, Path storage, String... extraFlags) {
        this.port = port;
        this.storage = storage;
        this.extraFlags = List.of(extraFlags);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public VictoriaMetricsProcess start() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Tools.require("victoria-metrics"),
                "-storageDataPath=" + storage, "-retentionPeriod=100y", "-httpListenAddr=127.0.0.1:" + port,
                "-search.latencyOffset=0s", "-search.disableCache", "-loggerLevel=ERROR"));
        cmd.addAll(extraFlags);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(storage.resolveSibling(storage.getFileName() + ".log").toFile()).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                fail("victoria-metrics exited with " + process.exitValue());
            }
            try {
                if (get("/health").statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        return fail("victoria-metrics did not answer /health within 20 s");
    }

    /** Graceful stop (SIGTERM): it flushes what it holds to disk. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** /api/v1/export of the series matching {@code selector}: one JSON object per series. */
    public List<JsonNode> export(String selector, String... basicAuth) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url() + "/api/v1/export?match[]="
                + URLEncoder.encode(selector, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10));
        if (basicAuth.length == 2) {
            req.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (basicAuth[0] + ":" + basicAuth[1]).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            fail("export answered " + r.statusCode() + ": " + r.body());
        }
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
