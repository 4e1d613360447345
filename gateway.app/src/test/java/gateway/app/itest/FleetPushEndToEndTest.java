package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpSimulator;

/**
 * Issue 15 end to end: two gateway.jar processes, each with a device called {@code hp-legacy} (an IDM simulator of
 * its own on a loopback port), push with {@code format=remote_write} into one real VictoriaMetrics; one has
 * gateway_id and site from {@code deploy/gateway.identity.cfg}, the other the id it derived at first start. A query by
 * gateway_id shows each gateway's device apart. This also proves the runtime wiring: protobuf-java resolves and the
 * embedded snappy loads inside the framework.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class FleetPushEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PASSWORD = "fleet-Admin-pass-2291";
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    @Test
    void twoGatewaysWithTheSameDeviceIdsStayApartInOneVictoriaMetricsByGatewayId() throws Exception {
        Path root = Files.createTempDirectory("gateway-fleet");
        int vmPort = GatewayProcess.freePort();
        String vmUrl = "http://127.0.0.1:" + vmPort;
        Process vm = new ProcessBuilder(victoriaMetrics(), "-storageDataPath=" + root.resolve("vm"),
                "-retentionPeriod=100y", "-httpListenAddr=127.0.0.1:" + vmPort, "-search.latencyOffset=0s",
                "-search.disableCache", "-loggerLevel=ERROR").redirectErrorStream(true)
                .redirectOutput(root.resolve("vm.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        GatewayProcess one = null;
        GatewayProcess two = null;
        HeatpumpSimulator idm = Await.value("IDM simulator service", WAIT, () -> simulators.getServices().stream()
                .filter(s -> s.manufacturerId().equals("idm")).findFirst().orElse(null));
        HeatpumpSimulator.Running simOne = idm.start(0, DeviceConfig.of(java.util.List.of("A"), java.util.List.of()));
        HeatpumpSimulator.Running simTwo = idm.start(0, DeviceConfig.of(java.util.List.of("A"), java.util.List.of()));
        try {
            Await.until("VictoriaMetrics answers", WAIT, () -> get(http, vmUrl + "/health").statusCode() == 200);
            String push = "url=" + vmUrl + "\nformat=remote_write\nflush.interval.millis=500\n";
            Path dataOne = root.resolve("one");
            Files.createDirectories(dataOne.resolve("deploy"));
            Files.writeString(dataOne.resolve("deploy/gateway.identity.cfg"), "gateway_id=fleet-e2e-1\nsite=lab\n");
            Files.writeString(dataOne.resolve("deploy/gateway.metrics.push.cfg"), push);
            Path dataTwo = root.resolve("two");
            Files.createDirectories(dataTwo.resolve("deploy"));
            Files.writeString(dataTwo.resolve("deploy/gateway.metrics.push.cfg"), push);
            String jar = context.getProperty("gateway.itest.jar");
            one = GatewayProcess.start(jar, dataOne, Map.of("GATEWAY_ADMIN_PASSWORD", PASSWORD));
            two = GatewayProcess.start(jar, dataTwo, Map.of("GATEWAY_ADMIN_PASSWORD", PASSWORD));
            ApiClient adminOne = new ApiClient(one.port, "admin", PASSWORD);
            ApiClient adminTwo = new ApiClient(two.port, "admin", PASSWORD);
            Await.until("IDM driver installed from deploy/ on both", WAIT,
                    () -> adminOne.get("/api/manufacturers").body().contains("\"navigator_2_0\"")
                            && adminTwo.get("/api/manufacturers").body().contains("\"navigator_2_0\""));
            addLegacyDevice(adminOne, simOne.port());
            addLegacyDevice(adminTwo, simTwo.port());

            Await.until("gateway one shows its configured identity", WAIT, () -> {
                JsonNode s = adminOne.get("/api/settings").json();
                return "fleet-e2e-1".equals(s.path("gateway_id").asText()) && "lab".equals(s.path("site").asText());
            });
            JsonNode settingsTwo = Await.value("gateway two's derived id", WAIT, () -> {
                JsonNode s = adminTwo.get("/api/settings").json();
                return s.path("gateway_id").isTextual() ? s : null;
            });
            String idTwo = settingsTwo.path("gateway_id").asText();
            assertTrue(idTwo.matches("[A-Za-z0-9][A-Za-z0-9_.-]*-[0-9a-f]{6}"), idTwo);
            assertTrue(settingsTwo.path("site").isNull(), "no site configured: " + settingsTwo);

            assertEquals(Set.of("hp-legacy"), Await.value("gateway one's device in VictoriaMetrics", WAIT,
                    () -> devices(http, vmUrl, "fleet-e2e-1", "lab")));
            assertEquals(Set.of("hp-legacy"), Await.value("gateway two's device in VictoriaMetrics", WAIT,
                    () -> devices(http, vmUrl, idTwo, null)));
            assertNotEquals("fleet-e2e-1", idTwo);
            // every hp-legacy series belongs to exactly one of the two gateways
            assertEquals(Set.of("fleet-e2e-1", idTwo), gatewaysOf(http, vmUrl, "hp-legacy"));
            JsonNode status = adminOne.get("/api/metrics/push").json();
            assertEquals("remote_write", status.path("format").asText(), status.toString());
            assertEquals("ok", status.path("state").asText(), status.toString());
            assertTrue(status.path("points_sent").asLong() > 0, status.toString());
        } finally {
            if (one != null) {
                one.close();
            }
            if (two != null) {
                two.close();
            }
            simOne.close();
            simTwo.close();
            vm.destroy();
            vm.waitFor();
        }
    }

    private static void addLegacyDevice(ApiClient admin, int port) {
        ApiClient.Response r = admin.post("/api/heatpumps", Map.of("id", "hp-legacy", "name", "Legacy IDM",
                "manufacturer", "idm", "model", "navigator_2_0",
                "connection_config", Map.of("host", "127.0.0.1", "port", port, "unit_id", 1),
                "device_config", Map.of("circuits", java.util.List.of("A"), "zones", java.util.List.of()),
                "poll_interval", 1, "enabled", true));
        assertEquals(201, r.status(), r.body());
        assertEquals("hp-legacy", r.json().get("id").asText());
    }

    /** The gateway_id labels of every series of device {@code heatpumpId}. */
    private static Set<String> gatewaysOf(HttpClient http, String vmUrl, String heatpumpId) throws Exception {
        HttpResponse<String> r = get(http, vmUrl + "/api/v1/export?match[]=" + URLEncoder.encode(
                "{__name__=~\"heatpump_.*\",heatpump_id=\"" + heatpumpId + "\"}", StandardCharsets.UTF_8));
        Set<String> out = new TreeSet<>();
        for (String line : r.body().split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line).path("metric").path("gateway_id").asText("(none)"));
            }
        }
        return out;
    }

    /**
     * The device ids among gateway {@code id}'s series, or null while VictoriaMetrics has none yet; every series
     * must carry the expected site label (or none).
     */
    private static Set<String> devices(HttpClient http, String vmUrl, String id, String site) {
        HttpResponse<String> r = get(http, vmUrl + "/api/v1/export?match[]=" + URLEncoder.encode(
                "{__name__=~\"heatpump_.*\",gateway_id=\"" + id + "\"}", StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            return null;
        }
        Set<String> out = new TreeSet<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode metric;
            try {
                metric = JSON.readTree(line).path("metric");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            assertEquals(site == null ? "" : site, metric.path("site").asText(""), line);
            out.add(metric.path("heatpump_id").asText());
        }
        return out.isEmpty() ? null : out;
    }

    /** Failures (not listening yet) are unchecked, so that Await looks again. */
    private static HttpResponse<String> get(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String victoriaMetrics() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(dir, "victoria-metrics");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        throw new AssertionError("victoria-metrics is not installed; run bash .ci/setup.d/victoria-metrics.sh");
    }
}
