package gateway.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Prometheus server (Debian package prometheus) with its remote-write receiver on a loopback port and its
 * storage in a folder of the test's; it scrapes nothing. Installed by .ci/setup.d/prometheus.sh.
 */
public final class PrometheusProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final int port;
    public final Path storage;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    public PrometheusProcess(int port, Path storage) {
        this.port = port;
        this.storage = storage;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public PrometheusProcess start() throws Exception {
        Files.createDirectories(storage);
        Path config = storage.resolveSibling(storage.getFileName() + ".yml");
        Files.writeString(config, "global: {}\nscrape_configs: []\n");
        List<String> cmd = new ArrayList<>(List.of(Tools.require("prometheus"), "--config.file=" + config,
                "--storage.tsdb.path=" + storage, "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver", "--log.level=warn"));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        storage.resolveSibling(storage.getFileName() + ".log").toFile())).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                fail("prometheus exited with " + process.exitValue() + "; see "
                        + storage.resolveSibling(storage.getFileName() + ".log"));
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        return fail("prometheus was not ready within 60 s");
    }

    /** Graceful stop (SIGTERM): the WAL is on disk, and the next start on the same storage replays it. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The raw samples of the series matching {@code selector} over the last {@code window} (a range-vector query,
     * so nothing is interpolated): the {@code data.result} array, each with {@code metric} and {@code values}
     * ([seconds with millisecond fraction, "value"]).
     */
    public List<JsonNode> rawSamples(String selector, String window) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v1/query?query="
                + URLEncoder.encode(selector + "[" + window + "]", StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            fail("query answered " + r.statusCode() + ": " + r.body());
        }
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).path("data").path("result").forEach(out::add);
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
