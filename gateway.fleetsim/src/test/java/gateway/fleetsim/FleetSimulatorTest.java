package gateway.fleetsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fleet command against the real gateway.jar, both in their own JVMs as a user runs them: every make's
 * simulators are started and configured, and the gateway reports each device online.
 */
class FleetSimulatorTest {

    private static final String PASSWORD = "fleet-test-secret-1";
    /** Start-up and first polls take seconds, minutes on a shared machine under load. */
    private static final Duration WAIT = Duration.ofSeconds(240);
    /** The makes the issue names; each driver bundle brings a simulator for every model it supports. */
    private static final Set<String> MAKES = Set.of("idm", "nibe", "daikin", "luxtronik", "stiebel_eltron", "vaillant",
            "viessmann");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void twoControllersOfEveryModelComeOnlineInTheGateway() throws Exception {
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process gateway = start(new ProcessBuilder(java, "-Xmx256m", "-jar", System.getProperty("gateway.jar"),
                "--port", Integer.toString(port), "--data", data.resolve("gw").toString()), "gateway.log");
        String base = "http://127.0.0.1:" + port;
        await(() -> "gateway answers /api/health\n" + tail("gateway.log"), () -> {
            if (!gateway.isAlive()) {
                throw new AssertionError("gateway exited with " + gateway.exitValue() + "\n" + tail("gateway.log"));
            }
            return status(base + "/api/health") == 200;
        });

        Process fleet = start(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FleetSimulator.class.getName(), "2", "--gateway", base, "--user", "admin", "--password", PASSWORD,
                "--intervals", "10,20"), "fleet.log");
        await(() -> "the fleet configures its devices\n" + tail("fleet.log"), () -> {
            if (!fleet.isAlive()) {
                throw new AssertionError("fleet exited with " + fleet.exitValue() + "\n" + tail("fleet.log"));
            }
            return tail("fleet.log").contains("devices configured");
        });
        String configured = tail("fleet.log");
        int expected = Integer.parseInt(configured.replaceAll("(?s).*fleet: (\\d+) devices configured.*", "$1"));

        await(() -> "every fleet device online: " + states(base), () -> {
            Map<String, String> states = states(base);
            return states.size() == expected && states.values().stream().allMatch("online"::equals);
        });
        JsonNode devices = json(base + "/api/heatpumps");
        Set<String> makes = new TreeSet<>();
        Set<Integer> ports = new TreeSet<>();
        Set<Integer> intervals = new TreeSet<>();
        for (JsonNode d : devices) {
            makes.add(d.path("manufacturer").asText());
            ports.add(d.path("connection_config").path("port").asInt());
            intervals.add(d.path("poll_interval").asInt());
            assertTrue(d.path("status").path("sensor_count").asInt() > 0, d.toString());
        }
        assertEquals(MAKES, makes, "one simulator per make, all found through the driver bundles");
        assertEquals(devices.size(), ports.size(), "every controller listens on its own port");
        assertTrue(expected >= 2 * MAKES.size(), "two controllers per model: " + expected);
        assertTrue(intervals.containsAll(Set.of(10, 20)), "intervals are spread: " + intervals);
    }

    private Process start(ProcessBuilder pb, String logName) throws IOException {
        Files.createDirectories(data);
        pb.environment().put("GATEWAY_ADMIN_PASSWORD", PASSWORD);
        Process p = pb.redirectErrorStream(true).redirectOutput(data.resolve(logName).toFile()).start();
        processes.add(p);
        return p;
    }

    private Map<String, String> states(String base) {
        Map<String, String> states = new TreeMap<>();
        for (JsonNode d : json(base + "/api/heatpumps")) {
            states.put(d.path("name").asText(), d.path("status").path("state").asText());
        }
        return states;
    }

    private JsonNode json(String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD)
                            .getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String tail(String logName) {
        try {
            Path log = data.resolve(logName);
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Polls until the condition holds or WAIT passes (a bound, not a sleep). */
    private static void await(Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for: " + what.get());
            }
            Thread.sleep(500);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
