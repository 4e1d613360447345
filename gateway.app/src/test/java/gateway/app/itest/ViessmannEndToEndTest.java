package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpSimulator;

/**
 * Viessmann (ViCare cloud API) through the runnable gateway.jar, against the driver's fake ViCare API on loopback,
 * only through the HTTP API: values, an audited write through the feature's command, refused writes, the refresh
 * token never returned nor logged, the API's errors and its 429 as device states.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ViessmannEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ADMIN_PASSWORD = "e2e-Viessmann-pass-7310";
    private static final String BSN = "gateway.driver.viessmann";
    /** heating.dhw.temperature.main, setTargetTemperature 10..60 step 1 (fact sheet §4). */
    private static final String DHW_TARGET = "dhw_target_temperature";
    private static final String OUTDOOR = "outdoor_temperature";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    private final List<Bundle> installed = new ArrayList<>();
    private HeatpumpSimulator.Running sim;
    private HeatpumpSimulator.Running limitedSim;
    private GatewayProcess gateway;
    private ApiClient admin;
    private String device;
    private String limited;

    @BeforeAll
    void start() throws Exception {
        if (DriverBundles.installed(context, BSN).isEmpty()) {
            installed.add(DriverBundles.start(context, BSN));
        }
        HeatpumpSimulator vicare = Await.value("viessmann/vicare simulator", WAIT, () -> simulators.getServices()
                .stream().filter(s -> s.manufacturerId().equals("viessmann") && s.modelId().equals("vicare"))
                .findFirst().orElse(null));
        sim = vicare.start(0, DeviceConfig.empty());
        // a second account whose API has no calls left today: every call answers 429
        limitedSim = vicare.start(0, new DeviceConfig(List.of(), List.of(), Map.of("daily_limit", "0")));
        Path data = Files.createTempDirectory("gateway-e2e-viessmann");
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data,
                Map.of("GATEWAY_ADMIN_PASSWORD", ADMIN_PASSWORD, "GATEWAY_WRITE_ENABLED", "true"));
        admin = new ApiClient(gateway.port, "admin", ADMIN_PASSWORD);
        Await.until("Viessmann installed from deploy/", WAIT,
                () -> admin.get("/api/manufacturers").body().contains("\"vicare\""));
        device = create("Vitocal", sim.connectionOptions(), 62);
        limited = create("Vitocal over quota", limitedSim.connectionOptions(), 62);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (HeatpumpSimulator.Running s : new HeatpumpSimulator.Running[] {sim, limitedSim}) {
            if (s != null) {
                s.close();
            }
        }
        for (Bundle b : installed) {
            DriverBundles.uninstall(b);
        }
    }

    private ApiClient.Response post(String name, Map<String, String> options, int poll) {
        return admin.post("/api/heatpumps", Map.of("name", name, "manufacturer", "viessmann", "model", "vicare",
                "connection_config", Map.of("host", "api.viessmann-climatesolutions.com", "options", options),
                "poll_interval", poll, "enabled", true));
    }

    private String create(String name, Map<String, String> options, int poll) {
        ApiClient.Response r = post(name, options, poll);
        assertEquals(201, r.status(), r.body());
        return r.json().get("id").asText();
    }

    private JsonNode value(String id, String sensor) {
        return admin.get("/api/data/" + id).json().path("values").path(sensor);
    }

    private JsonNode status(String id) {
        return admin.get("/api/heatpumps/" + id).json().path("status");
    }

    @Test
    @Order(1)
    void valuesEqualWhatTheFakeApiServes() {
        Await.until("ViCare values read", WAIT, () -> "good".equals(value(device, DHW_TARGET).path("quality").asText()));
        assertEquals(sim.value(DHW_TARGET), value(device, DHW_TARGET).path("value").asDouble(), 1e-9);
        assertEquals(sim.value(OUTDOOR), value(device, OUTDOOR).path("value").asDouble(), 1e-9);
        assertEquals("°C", value(device, OUTDOOR).path("unit").asText());
        assertEquals("heating", value(device, "circuit0_operating_mode").path("text").asText());
        assertEquals("online", status(device).path("state").asText());
        assertEquals(1, status(device).path("requests_last_poll").asInt(), "one API call per poll");
    }

    @Test
    @Order(2)
    void theRefreshTokenIsNeverReturnedNorLogged() throws Exception {
        String token = sim.connectionOptions().get("refresh_token");
        ApiClient.Response details = admin.get("/api/heatpumps/" + device);
        assertFalse(details.body().contains(token), details.body());
        JsonNode options = details.json().path("connection_config").path("options");
        assertEquals("***", options.path("refresh_token").asText());
        assertEquals(sim.connectionOptions().get("token_url"), options.path("token_url").asText());
        assertFalse(admin.get("/api/heatpumps").body().contains(token));
        // a client may PUT back what it got: the mask keeps the stored token, and polling goes on
        Map<String, Object> back = new HashMap<>();
        options.fields().forEachRemaining(e -> back.put(e.getKey(), e.getValue().asText()));
        ApiClient.Response put = admin.put("/api/heatpumps/" + device, Map.of("connection_config",
                Map.of("options", back)));
        assertEquals(200, put.status(), put.body());
        Await.until("polling with the kept token", WAIT, () -> "online".equals(status(device).path("state").asText()));
        String log = Files.readString(gateway.data.resolve("gateway-stdout.log"));
        assertFalse(log.contains(token), "the log never carries the refresh token");
    }

    @Test
    @Order(3)
    void missingOptionsAndTooShortIntervalsAreRefusedNamingTheField() {
        Map<String, String> noClient = new HashMap<>(sim.connectionOptions());
        noClient.remove("client_id");
        noClient.put("installation_id", "other");
        ApiClient.Response r = post("No client id", noClient, 120);
        assertEquals(422, r.status(), r.body());
        assertTrue(r.body().contains("client_id"), r.body());
        Map<String, String> other = new HashMap<>(sim.connectionOptions());
        other.put("device_id", "1");
        ApiClient.Response fast = post("Too fast", other, 30);
        assertEquals(422, fast.status(), fast.body());
        assertTrue(fast.body().contains("62"), "names the derived minimum: " + fast.body());
        ApiClient.Response twice = post("Same device", sim.connectionOptions(), 120);
        assertEquals(409, twice.status(), "the same installation/gateway/device twice: " + twice.body());
    }

    @Test
    @Order(4)
    void aWriteGoesThroughTheFeaturesCommandOnceAndIsAudited() {
        Await.until("online", WAIT, () -> "online".equals(status(device).path("state").asText()));
        double before = sim.value(DHW_TARGET);
        double target = before >= 59 ? before - 1 : before + 1;
        int writes = sim.writeCount(DHW_TARGET);
        ApiClient.Response r = admin.post("/api/control/" + device, Map.of("sensor", DHW_TARGET, "value", target));
        assertEquals(200, r.status(), r.body());
        assertEquals(writes + 1, sim.writeCount(DHW_TARGET));
        assertEquals(target, sim.value(DHW_TARGET), 1e-9);
        assertEquals(target, r.json().path("read_back").asDouble(), 1e-9, r.body());
        JsonNode audit = admin.get("/api/audit?heatpump_id=" + device).json();
        JsonNode entry = (audit.isArray() ? audit : audit.path("entries")).get(0);
        assertEquals(DHW_TARGET, entry.path("sensor_id").asText());
        assertEquals("admin", entry.path("actor").asText());
        assertEquals(before, entry.path("old_value").asDouble(), 1e-9);
        assertEquals("ok", entry.path("result").asText());
    }

    @Test
    @Order(5)
    void refusedWritesReachNothing() {
        int writes = sim.writeCount(DHW_TARGET);
        ApiClient.Response tooHot = admin.post("/api/control/" + device, Map.of("sensor", DHW_TARGET, "value", 61));
        assertEquals(422, tooHot.status(), tooHot.body());
        assertTrue(tooHot.body().contains("60"), "names the limit: " + tooHot.body());
        ApiClient.Response readOnly = admin.post("/api/control/" + device, Map.of("sensor", OUTDOOR, "value", 3));
        assertEquals(422, readOnly.status(), readOnly.body());
        assertEquals(writes, sim.writeCount(DHW_TARGET));
        assertEquals(0, sim.writeCount(OUTDOOR));
    }

    @Test
    @Order(6)
    void a429ShowsRateLimitedWithTheResetTime() {
        Await.until("rate limited", WAIT, () -> "rate_limited".equals(status(limited).path("state").asText()));
        JsonNode s = status(limited);
        Instant midnight = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        assertTrue(s.path("last_error").asText().contains(midnight.toString()), s.toString());
        assertTrue(s.path("last_error").asText().contains("ViCare day limit"), s.toString());
        Instant next = Instant.parse(s.path("next_attempt").asText());
        assertTrue(Duration.between(next, midnight).abs().toMillis() < 1000, "waits for limitReset: " + next);
        assertEquals("online", status(device).path("state").asText(), "the other account is untouched");

        // a write now would only spend a call on another 429: refused with when to try again, never a 5xx
        ApiClient.Response write = admin.post("/api/control/" + limited, Map.of("sensor", DHW_TARGET, "value", 50));
        assertEquals(429, write.status(), write.body());
        assertEquals("rate_limited", write.json().path("reason").asText(), write.body());
        Instant retryAt = Instant.parse(write.json().path("retry_at").asText());
        assertTrue(Duration.between(retryAt, midnight).abs().toMillis() < 1000, "the API's limitReset: " + retryAt);
        assertEquals(0, limitedSim.writeCount(DHW_TARGET), "nothing reached the API");
        JsonNode audit = admin.get("/api/audit?heatpump_id=" + limited).json();
        JsonNode entry = (audit.isArray() ? audit : audit.path("entries")).get(0);
        assertEquals("rejected", entry.path("result").asText(), audit.toString());
    }

    @Test
    @Order(7)
    void gatewayOfflineShowsOfflineAndTheDeviceReturns() {
        sim.injectFault("gateway_offline");
        // a changed definition polls at once instead of after 62 s
        assertEquals(200, admin.put("/api/heatpumps/" + device, Map.of("name", "Vitocal (gateway off)")).status());
        Await.until("offline", WAIT, () -> "offline".equals(status(device).path("state").asText()));
        assertTrue(status(device).path("last_error").asText().contains("GATEWAY_OFFLINE"), status(device).toString());
        sim.clearFault("gateway_offline");
        Await.until("online again", Duration.ofSeconds(90),
                () -> "online".equals(status(device).path("state").asText()));
    }

    /**
     * The console wizard's sign-in through gateway.jar and the real driver service against the fake IAM (which checks
     * the PKCE verifier against the challenge): authorize, the redirect's code, the handle, the account's devices,
     * and a device given {@code handle:<id>} keeps polling with the swapped-in token, which no answer contains.
     */
    @Test
    @Order(8)
    void theWizardsSignInListsTheDevicesAndHandsOverTheTokenByHandle() throws Exception {
        Map<String, String> o = sim.connectionOptions();
        String redirect = "http://localhost:4200/";
        ApiClient.Response start = admin.post("/api/vicare/authorize", Map.of("client_id", o.get("client_id"),
                "redirect_uri", redirect, "token_url", o.get("token_url"), "api_base_url", o.get("api_base_url"),
                "authorize_url", o.get("token_url").replace("/token", "/authorize")));
        assertEquals(200, start.status(), start.body());
        java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(start.json().get("authorize_url").asText()))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(302, page.statusCode(), page.body());
        String landed = page.headers().firstValue("Location").orElseThrow();
        assertTrue(landed.startsWith(redirect + "?code="), landed);
        String code = landed.replaceAll(".*code=([^&]*).*", "$1");

        ApiClient.Response wrong = admin.post("/api/vicare/token", Map.of("state", "forged", "code", code));
        assertEquals(422, wrong.status(), wrong.body());
        ApiClient.Response token = admin.post("/api/vicare/token", Map.of("state",
                start.json().get("state").asText(), "code", code));
        assertEquals(200, token.status(), token.body());
        String refresh = o.get("refresh_token");
        assertFalse(token.body().contains(refresh), token.body());
        String handle = token.json().get("handle").asText();

        ApiClient.Response list = admin.get("/api/vicare/installations?handle=" + handle);
        assertEquals(200, list.status(), list.body());
        assertFalse(list.body().contains(refresh), list.body());
        JsonNode choice = list.json().path("devices").get(0).path("connection_options");
        assertEquals(o.get("installation_id"), choice.path("installation_id").asText(), list.body());
        assertEquals(o.get("gateway_serial"), choice.path("gateway_serial").asText());

        Map<String, String> options = new HashMap<>(o);
        options.put("refresh_token", "handle:" + handle);
        ApiClient.Response put = admin.put("/api/heatpumps/" + device, Map.of("connection_config",
                Map.of("options", options)));
        assertEquals(200, put.status(), put.body());
        assertFalse(put.body().contains(refresh));
        sim.clearFault("gateway_offline");
        Await.until("polling with the token behind the handle", Duration.ofSeconds(90),
                () -> "online".equals(status(device).path("state").asText()));
    }

    /**
     * The bundle leaves and returns while the gateway runs: the devices wait as driver_missing, the wizard's sign-in
     * says the driver is not running instead of failing, and polling resumes with the stored (encrypted) token.
     */
    @Test
    @Order(9)
    void theBundleLeavesAndReturnsWhileTheGatewayRuns() throws Exception {
        Path deployed = gateway.data.resolve("deploy").resolve(BSN + ".jar");
        assertTrue(Files.isRegularFile(deployed), "gateway.jar seeded the Viessmann driver into deploy/");
        Files.delete(deployed);
        Await.until("driver gone", WAIT, () -> !admin.get("/api/manufacturers").body().contains("\"vicare\""));
        Await.until("device waits for its driver", WAIT,
                () -> "driver_missing".equals(status(device).path("state").asText()));
        assertEquals(200, admin.get("/api/heatpumps/" + device).status(), "the device stays configured");
        ApiClient.Response signIn = admin.post("/api/vicare/authorize", Map.of("client_id", "c",
                "redirect_uri", "http://localhost:4200/"));
        assertEquals(503, signIn.status(), signIn.body());
        assertTrue(signIn.body().contains("gateway.driver.viessmann"), "names the missing bundle: " + signIn.body());

        // as a user drops a jar in: written beside the folder, then moved in at once
        Path partial = gateway.data.resolve(BSN + ".jar.partial");
        Files.copy(DriverBundles.jar(context, BSN), partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, deployed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Await.until("driver back", WAIT, () -> admin.get("/api/manufacturers").body().contains("\"vicare\""));
        Await.until("polling again", Duration.ofSeconds(90),
                () -> "online".equals(status(device).path("state").asText()));
        Await.until("values good again", WAIT,
                () -> "good".equals(value(device, DHW_TARGET).path("quality").asText()));
        assertEquals(sim.value(DHW_TARGET), value(device, DHW_TARGET).path("value").asDouble(), 1e-9);
    }
}
