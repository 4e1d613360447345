package gateway.driver.viessmann.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import gateway.core.testing.ManualClock;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceRateLimitedException;
import gateway.core.api.DeviceSession;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.Quality;
import gateway.core.api.ReadResult;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

/** The driver against the fake ViCare API over real loopback sockets. */
class ViCareSimulatorTest {

    /** The driver's quota runs on this clock; tests advance it by the pace between polls. */
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T08:00:00Z"));
    private final ViCareDriver driver = new ViCareDriver(clock);
    private ViCareSimulator sim;

    @BeforeEach
    void start() throws Exception {
        sim = ViCareSimulator.start(0, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private DeviceSession open() throws DeviceException {
        return driver.open(ViCareTestSupport.connection(sim), DeviceConfig.empty());
    }

    private SensorDefinition sensor(String id) {
        return driver.sensor(DeviceConfig.empty(), id).orElseThrow();
    }

    private List<SensorDefinition> readable() {
        return driver.sensors(DeviceConfig.empty()).stream().filter(SensorDefinition::readable).toList();
    }

    private ReadResult nextPoll(DeviceSession s) throws DeviceException {
        clock.advance(java.time.Duration.ofSeconds(ViCareQuota.minPollIntervalSeconds()));
        return s.read(readable());
    }

    @Test
    void aPollIsOneApiCallAndValuesEqualWhatTheSimulatorServes() throws Exception {
        try (DeviceSession s = open()) {
            ReadResult r = s.read(readable());
            assertEquals(1, r.requests());
            assertEquals(1, sim.requestCount(), "one GET of the feature list");
            assertEquals(1, sim.tokenRequests(), "one refresh-token grant");
            for (String id : List.of("outdoor_temperature", "supply_temperature", "return_temperature",
                    "dhw_temperature", "dhw_target_temperature", "compressor_speed", "electrical_energy_heating_day",
                    "heat_energy_dhw_month", "circuit0_supply_temperature", "circuit0_room_setpoint_normal",
                    "circuit0_operating_mode", "dhw_mode", "compressor_active")) {
                SensorReading reading = r.readings().get(id);
                assertEquals(Quality.GOOD, reading.quality(), id + ": " + reading.error());
                assertEquals(sim.value(id), reading.value(), 1e-9, id);
            }
            assertEquals("heating", r.readings().get("circuit0_operating_mode").text());
            assertEquals(Quality.INVALID, r.readings().get("source_return_temperature").quality(), "notConnected");
            assertEquals(Quality.INVALID, r.readings().get("circuit0_room_temperature").quality(), "no room sensor");
            s.read(readable());
            assertEquals(2, sim.requestCount());
            assertEquals(1, sim.tokenRequests(), "the access token is reused");
            assertTrue(s.connected());
        }
    }

    @Test
    void aWriteIsOneCommandAndOneReadBackWithinTheDevicesConstraints() throws Exception {
        try (DeviceSession s = open()) {
            s.read(readable());
            SensorDefinition dhw = sensor("dhw_target_temperature");
            assertEquals(50.0, s.read(List.of(dhw)).readings().get(dhw.id()).value(), "from the poll's cache");
            assertEquals(1, sim.requestCount());
            s.write(dhw, 55);
            ReadResult back = s.read(List.of(dhw));
            assertEquals(55.0, back.readings().get(dhw.id()).value());
            assertEquals(3, sim.requestCount(), "poll + command + read-back of the one feature");
            assertEquals(1, sim.writeCount("dhw_target_temperature"));
            assertEquals(55.0, sim.value("dhw_target_temperature"));

            SensorDefinition mode = sensor("circuit0_operating_mode");
            s.write(mode, ViCareFeatures.CIRCUIT_MODES.indexOf("standby"));
            assertEquals("standby", s.read(List.of(mode)).readings().get(mode.id()).text());
            SensorDefinition charge = sensor("dhw_one_time_charge");
            s.write(charge, 1);
            assertEquals(1.0, sim.value("dhw_one_time_charge"));
        }
    }

    @Test
    void theReadBeforeAWriteIsNotHeldBackByPollPacing() throws Exception {
        try (DeviceSession s = open()) {
            for (int i = 0; i < ViCareQuota.BURST; i++) {
                s.read(readable()); // the burst, all at once
            }
            clock.advance(java.time.Duration.ofSeconds(61)); // the cache is stale, the next poll slot not yet due
            assertThrows(DeviceRateLimitedException.class, () -> s.read(readable()), "a poll waits for its slot");
            long calls = sim.requestCount();
            SensorDefinition dhw = sensor("dhw_target_temperature");
            assertEquals(sim.value(dhw.id()), s.read(List.of(dhw)).readings().get(dhw.id()).value());
            assertEquals(calls + 1, sim.requestCount(), "fetched fresh, at once");
            s.write(dhw, 45);
            assertEquals(45.0, s.read(List.of(dhw)).readings().get(dhw.id()).value());
        }
    }

    @Test
    void refusedWritesReachNothing() throws Exception {
        try (DeviceSession s = open()) {
            s.read(readable());
            long before = sim.requestCount();
            SensorDefinition dhw = sensor("dhw_target_temperature");
            DeviceException range = assertThrows(DeviceException.class, () -> s.write(dhw, 61));
            assertTrue(range.getMessage().contains("10–60"), range.getMessage());
            DeviceException step = assertThrows(DeviceException.class, () -> s.write(dhw, 50.5));
            assertTrue(step.getMessage().contains("step"), step.getMessage());
            DeviceException mode = assertThrows(DeviceException.class,
                    () -> s.write(sensor("circuit0_operating_mode"), ViCareFeatures.CIRCUIT_MODES.indexOf("dhw")));
            assertTrue(mode.getMessage().contains("[\"heating\",\"standby\"]"), mode.getMessage());
            DeviceException dhwMode = assertThrows(DeviceException.class,
                    () -> s.write(sensor("dhw_mode"), ViCareFeatures.DHW_MODES.indexOf("comfort")));
            assertTrue(dhwMode.getMessage().contains("not 'comfort'"), dhwMode.getMessage());
            assertThrows(DeviceException.class, () -> s.write(sensor("outdoor_temperature"), 3));
            assertEquals(before, sim.requestCount(), "nothing was sent");
            assertEquals(0, sim.writeCount("dhw_target_temperature"));
        }
    }

    @Test
    void offlineDeviceAndGatewayAndServerErrorsAreUnreachableWithClearMessages() throws Exception {
        try (DeviceSession s = open()) {
            sim.injectFault("device_offline");
            DeviceUnreachableException device = assertThrows(DeviceUnreachableException.class,
                    () -> nextPoll(s));
            assertTrue(device.getMessage().contains("DEVICE_OFFLINE"), device.getMessage());
            sim.clearFault("device_offline");
            sim.injectFault("gateway_offline");
            DeviceUnreachableException gateway = assertThrows(DeviceUnreachableException.class,
                    () -> nextPoll(s));
            assertTrue(gateway.getMessage().contains("GATEWAY_OFFLINE")
                    && gateway.getMessage().contains(ViCareSimulator.GATEWAY_SERIAL), gateway.getMessage());
            sim.clearFault("gateway_offline");
            sim.injectFault("server_error");
            DeviceUnreachableException server = assertThrows(DeviceUnreachableException.class,
                    () -> nextPoll(s));
            assertTrue(server.getMessage().contains("HTTP 500") && server.getMessage().contains("INTERNAL_ERROR"),
                    server.getMessage());
            sim.clearFault("server_error");
            sim.injectFault("bad_gateway_html");
            DeviceUnreachableException html = assertThrows(DeviceUnreachableException.class,
                    () -> nextPoll(s));
            assertTrue(html.getMessage().contains("HTTP 502") && html.getMessage().contains("non-JSON"),
                    html.getMessage());
            sim.clearFault("bad_gateway_html");
            assertEquals(Quality.GOOD, nextPoll(s).readings().get("outdoor_temperature").quality());
        }
    }

    /** The manager opens a new session after each unreachable poll and retries within seconds at first. */
    @Test
    void anOfflineGatewayStaysOfflineAcrossSessionsEvenWhenPacingHoldsTheRetriesBack() throws Exception {
        sim.injectFault("gateway_offline");
        for (int attempt = 0; attempt < 2 * ViCareQuota.BURST; attempt++) {
            try (DeviceSession s = open()) {
                DeviceException e = assertThrows(DeviceException.class, () -> s.read(readable()));
                assertInstanceOf(DeviceUnreachableException.class, e, "attempt " + attempt + ": " + e.getMessage());
                assertTrue(e.getMessage().contains("GATEWAY_OFFLINE"), e.getMessage());
            }
            clock.advance(java.time.Duration.ofSeconds(2));
        }
        assertTrue(sim.requestCount() <= ViCareQuota.BURST + 1, "retries beyond the burst wait for their slot: "
                + sim.requestCount());
    }

    @Test
    void expiredAccessTokenIsRefreshedAndRevokedRefreshTokenAsksForSignIn() throws Exception {
        try (DeviceSession s = open()) {
            s.read(readable());
            sim.injectFault("expire_tokens");
            assertEquals(Quality.GOOD, s.read(readable()).readings().get("outdoor_temperature").quality());
            assertEquals(2, sim.tokenRequests(), "one refresh after EXPIRED TOKEN");
        }
        ViCareDriver fresh = new ViCareDriver();
        sim.injectFault("revoke_refresh_token");
        try (DeviceSession s = fresh.open(ViCareTestSupport.connection(sim), DeviceConfig.empty())) {
            DeviceUnreachableException e = assertThrows(DeviceUnreachableException.class, () -> s.read(readable()));
            assertTrue(e.getMessage().contains("sign in again"), e.getMessage());
            assertFalse(e.getMessage().contains(ViCareSimulator.REFRESH_TOKEN), "never the token itself");
        }
    }

    @Test
    void aRealShaped429BlocksTheAccountUntilItsReset() throws Exception {
        sim.limits(3, 120);
        ViCareClient client = new ViCareClient(
                ViCareConnection.of(ViCareTestSupport.connection(sim)),
                new ViCareAccount(new ViCareQuota(Clock.systemUTC())), java.time.Duration.ofSeconds(5));
        DeviceRateLimitedException limited = null;
        for (int i = 0; i < 5 && limited == null; i++) {
            try {
                client.command("heating.dhw.oneTimeCharge", "activate", ViCareClient.JSON.createObjectNode());
            } catch (DeviceRateLimitedException e) {
                limited = e;
            }
        }
        assertNotNull(limited, "the fake API answered 429");
        assertFalse(limited instanceof ViCareClient.QuotaDenied, "it came from the server");
        assertTrue(limited.getMessage().contains("ViCare day limit") && limited.getMessage().contains("3 calls"),
                limited.getMessage());
        Instant midnight = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).atStartOfDay()
                .toInstant(java.time.ZoneOffset.UTC);
        assertEquals(midnight, limited.retryAt(), "limitReset of the body");
        long calls = sim.requestCount();
        DeviceRateLimitedException blocked = assertThrows(DeviceRateLimitedException.class,
                () -> client.command("heating.dhw.oneTimeCharge", "activate", ViCareClient.JSON.createObjectNode()));
        assertInstanceOf(ViCareClient.QuotaDenied.class, blocked, "refused locally until the reset");
        assertEquals(midnight, blocked.retryAt());
        assertEquals(calls, sim.requestCount(), "nothing sent while blocked");
    }

    @Test
    void installationsListShowsGatewaysAndDevicesLikeTheApi() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> o = sim.connectionOptions();
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(o.get("token_url")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id="
                        + ViCareSimulator.CLIENT_ID + "&refresh_token=" + ViCareSimulator.REFRESH_TOKEN)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode());
        String access = ViCareClient.JSON.readTree(token.body()).get("access_token").asText();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(o.get("api_base_url")
                + "/equipment/installations?includeGateways=true")).header("Authorization", "Bearer " + access)
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode inst = ViCareClient.JSON.readTree(r.body()).path("data").path(0);
        assertEquals(ViCareSimulator.INSTALLATION_ID, inst.path("id").asText());
        JsonNode device = inst.path("gateways").path(0).path("devices").path(0);
        assertEquals("0", device.path("id").asText());
        assertEquals("type:heatpump", device.path("roles").path(0).asText());
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(o.get("api_base_url")
                + "/equipment/installations")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertEquals("EXPIRED TOKEN", ViCareClient.JSON.readTree(anonymous.body()).path("error").asText());
    }
}
