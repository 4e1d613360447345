package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * Stiebel Eltron WPM and LWZ through the runnable gateway.jar, each against the bundle's simulated ISG over TCP on
 * loopback, only through the HTTP API: values match, an allowed write lands once and is audited, refused writes
 * reach nothing, a held SG Ready input is rewritten (and nothing else is), a controller of the other family is
 * refused with the model to choose, and a vanished ISG takes its device offline and back.
 *
 * <p>The WPM simulator is a WPM 3i: its cascade (HP1) and WPMsystem inverter blocks answer exception 02 and show as
 * invalid. Devices poll every 5 s, the driver's minimum.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StiebelEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String ADMIN_PASSWORD = "e2e-Stiebel-pass-7310";
    private static final String BSN = "gateway.driver.stiebel";
    private static final String MAKE = "stiebel_eltron";
    /** WPM holding 1510 COMFORT TEMPERATURE DHW: type 2, 10…60 °C, on the allow-list. */
    private static final String WPM_DHW = "hot_water_comfort_temp";
    /** LWZ holding 1012 DHW SET DAY: type 2, 10…55 °C. */
    private static final String LWZ_DHW = "hot_water_temp_day";
    /** WPM holding 4002 SG READY INPUT 1: rewritten while held. */
    private static final String SG_INPUT = "sg_ready_input_1";
    private static final int SG_REFRESH_SECONDS = 10;

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    private Bundle installed;
    private HeatpumpSimulator.Running wpmSim;
    private HeatpumpSimulator.Running lwzSim;
    private HeatpumpSimulator.Running otherFamilySim;
    private int lwzPort;
    private GatewayProcess gateway;
    private ApiClient admin;
    private String wpm;
    private String lwz;
    private String mismatch;
    private long sgHeldSinceNanos;
    private static final int SG_FALLBACK_SECONDS = 20;

    @BeforeAll
    void startGatewayAndSimulators() throws Exception {
        if (DriverBundles.installed(context, BSN).isEmpty()) {
            installed = DriverBundles.start(context, BSN);
        }
        // the ISG's SG Ready fall-back shortened from 45 s to 20 s (still twice the driver's 10 s rewrite period), so
        // the check that the rewrites keep the input set waits 25 s instead of 50 s
        wpmSim = simulator("wpm").start(0, new DeviceConfig(List.of(), List.of(),
                Map.of("sim.sg_ready_fallback_seconds", String.valueOf(SG_FALLBACK_SECONDS))));
        lwzSim = simulator("lwz").start(0, DeviceConfig.empty());
        lwzPort = lwzSim.port();
        otherFamilySim = simulator("lwz").start(0, DeviceConfig.empty());

        Path data = Files.createTempDirectory("gateway-e2e-stiebel");
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data,
                Map.of("GATEWAY_ADMIN_PASSWORD", ADMIN_PASSWORD, "GATEWAY_WRITE_ENABLED", "true"));
        admin = new ApiClient(gateway.port, "admin", ADMIN_PASSWORD);
        Await.until("Stiebel Eltron installed from deploy/", WAIT, () -> {
            String body = admin.get("/api/manufacturers").body();
            return body.contains("\"" + MAKE + "\"") && body.contains("\"wpm\"") && body.contains("\"lwz\"");
        });
        wpm = createDevice("Stiebel WPM", "wpm", wpmSim.port(),
                Map.of("sg_ready_refresh_seconds", Integer.toString(SG_REFRESH_SECONDS)));
        lwz = createDevice("Stiebel LWZ", "lwz", lwzSim.port(), Map.of());
        // configured as WPM, but the ISG in front of it reports an LWZ x04 (controller id 103)
        mismatch = createDevice("Stiebel wrong model", "wpm", otherFamilySim.port(), Map.of());
    }

    @AfterAll
    void stopAll() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (HeatpumpSimulator.Running sim : new HeatpumpSimulator.Running[] {wpmSim, lwzSim, otherFamilySim}) {
            if (sim != null) {
                sim.close();
            }
        }
        if (installed != null) {
            DriverBundles.uninstall(installed);
        }
    }

    private HeatpumpSimulator simulator(String model) {
        return Await.value(MAKE + "/" + model + " simulator service", WAIT, () -> simulators.getServices()
                .stream().filter(s -> s.manufacturerId().equals(MAKE) && s.modelId().equals(model))
                .findFirst().orElse(null));
    }

    private String createDevice(String name, String model, int port, Map<String, String> options) {
        ApiClient.Response r = admin.post("/api/heatpumps", Map.of("name", name, "manufacturer", MAKE,
                "model", model, "connection_config", Map.of("host", "127.0.0.1", "port", port, "unit_id", 1),
                "device_config", Map.of("circuits", List.of(), "zones", List.of(), "options", options),
                "poll_interval", 5, "enabled", true));
        assertEquals(201, r.status(), r.body());
        return r.json().get("id").asText();
    }

    private JsonNode value(String device, String sensor) {
        ApiClient.Response r = admin.get("/api/data/" + device);
        assertEquals(200, r.status(), r.body());
        return r.json().path("values").path(sensor);
    }

    private JsonNode status(String device) {
        return admin.get("/api/heatpumps/" + device).json().path("status");
    }

    private String state(String device) {
        return status(device).path("state").asText();
    }

    private JsonNode audit(String device) {
        JsonNode audit = admin.get("/api/audit?heatpump_id=" + device).json();
        return audit.isArray() ? audit : audit.path("entries");
    }

    private ApiClient.Response refused(String device, String sensor, double value) {
        ApiClient.Response r = admin.post("/api/control/" + device, Map.of("sensor", sensor, "value", value));
        assertEquals(422, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        return r;
    }

    private void assertWriteLandsOnceAndIsAudited(String device, HeatpumpSimulator.Running sim, String sensor,
                                                  double target) {
        Await.until(device + " online", WAIT, () -> "online".equals(state(device)));
        double before = sim.value(sensor);
        int writes = sim.writeCount(sensor);
        ApiClient.Response r = admin.post("/api/control/" + device, Map.of("sensor", sensor, "value", target));
        assertEquals(200, r.status(), r.body());
        assertEquals(writes + 1, sim.writeCount(sensor), "exactly one write request reached the ISG");
        assertEquals(target, sim.value(sensor), 1e-9);
        assertEquals(target, r.json().path("read_back").asDouble(), 1e-9, r.body());
        JsonNode entry = audit(device).get(0);
        assertEquals(sensor, entry.path("sensor_id").asText());
        assertEquals("admin", entry.path("actor").asText());
        assertEquals(before, entry.path("old_value").asDouble(), 1e-9);
        assertEquals(target, entry.path("new_value").asDouble(), 1e-9);
        assertEquals("ok", entry.path("result").asText());
    }

    // ------------------------------------------------------------------ WPM (a WPM 3i behind the ISG)

    @Test
    @Order(1)
    void wpmValuesEqualWhatTheIsgServes() {
        Await.until("WPM polled", WAIT, () -> "good".equals(value(wpm, WPM_DHW).path("quality").asText()));
        assertEquals(wpmSim.value(WPM_DHW), value(wpm, WPM_DHW).path("value").asDouble(), 1e-9);
        assertEquals("°C", value(wpm, WPM_DHW).path("unit").asText());
        assertEquals(wpmSim.value("operating_mode"), value(wpm, "operating_mode").path("value").asDouble(), 1e-9);
        assertEquals(391, value(wpm, "controller_id").path("value").asInt(), "the ISG identifies a WPM 3i");
        // moving values: one 5 s poll is the most they can lag
        assertEquals(wpmSim.value("temp_outdoor"), value(wpm, "temp_outdoor").path("value").asDouble(), 1.0);
        assertEquals(1.85, value(wpm, "pressure_heating").path("value").asDouble(), 1e-9, "type 7: 185 × 0.01");
        // HI × 1000 + LOW, whole kWh; it grows slowly with the thermal model
        assertEquals(wpmSim.value("energy_produced_total"),
                value(wpm, "energy_produced_total").path("value").asDouble(), 2.0);
        assertTrue(value(wpm, "energy_produced_total").path("value").asDouble() > 15_000);
        // the optional blocks a WPM 3i lacks were refused with exception 02 and show as invalid
        assertEquals("invalid", value(wpm, "power_inverter").path("quality").asText());
        assertEquals("invalid", value(wpm, "hp1_temp_flow").path("quality").asText());
        assertEquals("good", value(wpm, "temp_hot_gas").path("quality").asText(), "the 3i's own block answers");
        assertEquals("online", state(wpm), "dropped optional blocks do not degrade the device");
    }

    @Test
    @Order(2)
    void wpmAllowedWriteLandsOnceAndIsAudited() {
        double current = wpmSim.value(WPM_DHW);
        assertWriteLandsOnceAndIsAudited(wpm, wpmSim, WPM_DHW, current >= 55 ? current - 2.5 : current + 2.5);
    }

    @Test
    @Order(3)
    void wpmRefusedWritesReachNothing() {
        int dhwWrites = wpmSim.writeCount(WPM_DHW);
        ApiClient.Response readOnly = refused(wpm, "temp_outdoor", 3);
        assertTrue(readOnly.json().path("detail").asText().toLowerCase().contains("read"), readOnly.body());
        ApiClient.Response outOfRange = refused(wpm, WPM_DHW, 65);
        assertTrue(outOfRange.json().path("detail").asText().contains("60"), "names the limit: " + outOfRange.body());
        // 1504 HEATING CURVE RISE is readable but not on the allow-list; operating mode 7 is no documented mode
        refused(wpm, "heating_curve_circuit_1", 1.0);
        refused(wpm, "operating_mode", 7);
        assertEquals(dhwWrites, wpmSim.writeCount(WPM_DHW));
        assertEquals(0, wpmSim.writeCount("temp_outdoor"));
        assertEquals(0, wpmSim.writeCount("heating_curve_circuit_1"));
        assertEquals(0, wpmSim.writeCount("operating_mode"));
    }

    @Test
    @Order(4)
    void wpmSgReadyInputIsHeld() {
        ApiClient.Response r = admin.post("/api/control/" + wpm, Map.of("sensor", SG_INPUT, "value", 1));
        assertEquals(200, r.status(), r.body());
        sgHeldSinceNanos = System.nanoTime();
        assertEquals(1, wpmSim.writeCount(SG_INPUT));
        // checked at the end (order 90), after more than the ISG's fall-back time
    }

    // ------------------------------------------------------------------ LWZ

    @Test
    @Order(10)
    void lwzValuesEqualWhatTheIsgServes() {
        Await.until("LWZ polled", WAIT, () -> "good".equals(value(lwz, LWZ_DHW).path("quality").asText()));
        assertEquals(lwzSim.value(LWZ_DHW), value(lwz, LWZ_DHW).path("value").asDouble(), 1e-9);
        assertEquals(103, value(lwz, "controller_id").path("value").asInt());
        assertEquals(lwzSim.value("compressor_starts"), value(lwz, "compressor_starts").path("value").asDouble(), 2);
        assertTrue(value(lwz, "compressor_starts").path("value").asDouble() >= 4321, "31 HI × 1000 + 34 LOW");
        assertEquals(lwzSim.value("temp_outdoor"), value(lwz, "temp_outdoor").path("value").asDouble(), 1.0);
    }

    @Test
    @Order(11)
    void lwzAllowedWriteLandsOnceAndIsAudited() {
        double current = lwzSim.value(LWZ_DHW);
        assertWriteLandsOnceAndIsAudited(lwz, lwzSim, LWZ_DHW, current >= 50 ? current - 1 : current + 1);
    }

    @Test
    @Order(12)
    void lwzOutOfRangeDhwIsRefusedAtTheManualsLimit() {
        int writes = lwzSim.writeCount(LWZ_DHW);
        ApiClient.Response r = refused(lwz, LWZ_DHW, 60);
        assertTrue(r.json().path("detail").asText().contains("55"), "names the limit: " + r.body());
        assertEquals(writes, lwzSim.writeCount(LWZ_DHW));
    }

    // ------------------------------------------------------------------ identification

    @Test
    @Order(20)
    void aControllerOfTheOtherFamilyIsRefusedNamingTheModelToChoose() {
        Await.until("the wrong-model device reports its refusal", WAIT,
                () -> status(mismatch).path("last_error").asText().contains("'lwz'"));
        String error = status(mismatch).path("last_error").asText();
        assertTrue(error.contains("controller id 103"), error);
        assertTrue(!"online".equals(state(mismatch)), "never online: " + state(mismatch));
        ApiClient.Response write = admin.post("/api/control/" + mismatch, Map.of("sensor", WPM_DHW, "value", 50));
        assertEquals(503, write.status(), write.body());
        assertTrue(write.json().path("detail").asText().contains("'lwz'"), write.body());
        assertEquals(0, otherFamilySim.writeCount(LWZ_DHW), "nothing written to the LWZ");
    }

    // ------------------------------------------------------------------ the ISG vanishes and returns

    @Test
    @Order(30)
    void lwzGoesOfflineWhenTheIsgVanishesAndOnlineWhenItReturns() throws Exception {
        Await.until("LWZ online", WAIT, () -> "online".equals(state(lwz)));
        lwzSim.disconnectClients();
        lwzSim.close();
        lwzSim = null;
        Await.until("LWZ offline", WAIT, () -> "offline".equals(state(lwz)));
        assertTrue(!status(lwz).path("last_error").asText().isEmpty(), "the device says what went wrong");
        assertEquals("online", state(wpm), "the other ISG is untouched");
        lwzSim = simulator("lwz").start(lwzPort, DeviceConfig.empty());
        Await.until("LWZ online again (reconnect backoff)", Duration.ofSeconds(60), () -> "online".equals(state(lwz)));
    }

    // ------------------------------------------------------------------ SG Ready, continued

    @Test
    @Order(90)
    void theHeldSgReadyInputIsRewrittenPastTheFallBackAndNothingElseIs() {
        // the simulated ISG forgets the input SG_FALLBACK_SECONDS after a write; held, it is rewritten every 10 s
        Await.until("rewritten for longer than the ISG's fall-back", Duration.ofSeconds(90),
                () -> System.nanoTime() - sgHeldSinceNanos > Duration.ofSeconds(SG_FALLBACK_SECONDS + 5).toNanos()
                        && wpmSim.writeCount(SG_INPUT) >= 3);
        assertEquals(1, wpmSim.value(SG_INPUT), 1e-9, "still set: the rewrites kept it");
        long refreshes = 0;
        for (JsonNode e : audit(wpm)) {
            if (e.path("actor").asText().equals("refresh")) {
                assertEquals(SG_INPUT, e.path("sensor_id").asText(), "only the held input is rewritten");
                refreshes++;
            }
        }
        assertTrue(refreshes >= 2, "rewrites are audited: " + refreshes);
        assertEquals(1, wpmSim.writeCount(WPM_DHW), "a setting is written once, never again");
        assertEquals(0, wpmSim.writeCount("sg_ready_enabled"));
    }
}
