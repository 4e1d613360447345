package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * NIBE S1155, Daikin Altherma 3 (EKRHH) and Luxtronik 2.1 through the runnable gateway.jar, each against its
 * driver's simulator over TCP on loopback, only through the HTTP API. The simulators come from the driver bundles,
 * installed into this test framework from the jars gateway.jar carries.
 *
 * <p>Luxtronik polls every 30 s at the least (the controllers hang when polled harder), and the test keeps that
 * rule rather than bending it for simulators: its device polls once at creation, and its connection-loss check
 * overlaps the NIBE and Daikin checks, so the class waits at most one poll period for it.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriversEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ADMIN_PASSWORD = "e2e-Drivers-pass-5120";
    private static final List<String> DRIVERS = List.of("gateway.driver.nibe", "gateway.driver.daikin",
            "gateway.driver.luxtronik");

    /** NIBE holding 100 "DM between additional heat steps": s16, ÷1, 10..1000, writable (fact sheet). */
    private static final String NIBE_DM_STEP = "add_heat_dm_step";
    /** NIBE input 1 BT1: s16 ÷10, read-only. */
    private static final String NIBE_OUTDOOR = "temp_outdoor";
    /** Daikin A3 holding 10 "DHW reheat setpoint": whole °C, 30..60. */
    private static final String DAIKIN_DHW = "hot_water_setpoint";
    /** Daikin input 44 outside air temperature, ÷100, read-only. */
    private static final String DAIKIN_OUTDOOR = "temp_outdoor";
    /** Luxtronik parameter 105 hot water target (÷10), on the write allow-list, 30..65 in steps of 0.5. */
    private static final String LUX_DHW = "hot_water_target";
    /** Luxtronik parameter 47: readable, not on the allow-list. */
    private static final String LUX_NOT_ALLOWED = "thermal_disinfection_temp";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    private final List<Bundle> installed = new ArrayList<>();
    private HeatpumpSimulator.Running nibeSim;
    private HeatpumpSimulator.Running daikinSim;
    private HeatpumpSimulator.Running luxSim;
    private HeatpumpSimulator.Running lux90Sim;
    private int luxPort;
    private GatewayProcess gateway;
    private ApiClient admin;
    private String nibe;
    private String daikin;
    private String lux;
    private String lux90;

    @BeforeAll
    void startGatewayAndSimulators() throws Exception {
        for (String bsn : DRIVERS) {
            if (DriverBundles.installed(context, bsn).isEmpty()) {
                installed.add(DriverBundles.start(context, bsn));
            }
        }
        nibeSim = simulator("nibe", "s1155").start(0, DeviceConfig.empty());
        daikinSim = simulator("daikin", "altherma_3_ekrhh").start(0, DeviceConfig.empty());
        luxSim = simulator("luxtronik", "luxtronik_2_1").start(0, DeviceConfig.empty());
        luxPort = luxSim.port();
        lux90Sim = simulator("luxtronik", "luxtronik_2_1")
                .start(0, new DeviceConfig(List.of(), List.of(), Map.of("firmware", "V2.90.0")));

        Path data = Files.createTempDirectory("gateway-e2e-drivers");
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data,
                Map.of("GATEWAY_ADMIN_PASSWORD", ADMIN_PASSWORD, "GATEWAY_WRITE_ENABLED", "true"));
        admin = new ApiClient(gateway.port, "admin", ADMIN_PASSWORD);
        Await.until("NIBE, Daikin and Luxtronik installed from deploy/", WAIT, () -> {
            String body = admin.get("/api/manufacturers").body();
            return body.contains("\"s1155\"") && body.contains("\"altherma_3_ekrhh\"")
                    && body.contains("\"luxtronik_2_1\"");
        });
        // the Luxtronik devices first: their first poll is at creation, the next one 30 s later
        lux = createDevice("Luxtronik", "luxtronik", "luxtronik_2_1", luxSim.port(), 30);
        lux90 = createDevice("Luxtronik 1.90", "luxtronik", "luxtronik_2_1", lux90Sim.port(), 30);
        nibe = createDevice("NIBE", "nibe", "s1155", nibeSim.port(), 1);
        daikin = createDevice("Daikin", "daikin", "altherma_3_ekrhh", daikinSim.port(), 1);
    }

    @AfterAll
    void stopAll() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (HeatpumpSimulator.Running sim : new HeatpumpSimulator.Running[] {nibeSim, daikinSim, luxSim, lux90Sim}) {
            if (sim != null) {
                sim.close();
            }
        }
        for (Bundle b : installed) {
            DriverBundles.uninstall(b);
        }
    }

    private HeatpumpSimulator simulator(String manufacturer, String model) {
        return Await.value(manufacturer + "/" + model + " simulator service", WAIT, () -> simulators.getServices()
                .stream().filter(s -> s.manufacturerId().equals(manufacturer) && s.modelId().equals(model))
                .findFirst().orElse(null));
    }

    private String createDevice(String name, String manufacturer, String model, int port, int poll) {
        ApiClient.Response r = admin.post("/api/heatpumps", Map.of("name", name, "manufacturer", manufacturer,
                "model", model, "connection_config", Map.of("host", "127.0.0.1", "port", port, "unit_id", 1),
                "poll_interval", poll, "enabled", true));
        assertEquals(201, r.status(), r.body());
        return r.json().get("id").asText();
    }

    private JsonNode value(String device, String sensor) {
        ApiClient.Response r = admin.get("/api/data/" + device);
        assertEquals(200, r.status(), r.body());
        return r.json().path("values").path(sensor);
    }

    private String state(String device) {
        return admin.get("/api/heatpumps/" + device).json().path("status").path("state").asText();
    }

    private void awaitGood(String device, String sensor) {
        Await.until(device + " " + sensor + " read", WAIT,
                () -> "good".equals(value(device, sensor).path("quality").asText()));
    }

    /** The newest audit entry of a device. */
    private JsonNode latestAudit(String device) {
        JsonNode audit = admin.get("/api/audit?heatpump_id=" + device).json();
        JsonNode entries = audit.isArray() ? audit : audit.path("entries");
        assertTrue(entries.size() > 0, "audit has an entry: " + audit);
        return entries.get(0);
    }

    private void assertWriteLandsOnceAndIsAudited(String device, HeatpumpSimulator.Running sim, String sensor,
                                                  double target) {
        Await.until(device + " online", WAIT, () -> "online".equals(state(device)));
        double before = sim.value(sensor);
        int writes = sim.writeCount(sensor);
        ApiClient.Response r = admin.post("/api/control/" + device, Map.of("sensor", sensor, "value", target));
        assertEquals(200, r.status(), r.body());
        assertEquals(writes + 1, sim.writeCount(sensor), "exactly one write request reached the simulator");
        assertEquals(target, sim.value(sensor), 1e-9);
        if (!r.json().path("read_back").isNull()) {
            assertEquals(target, r.json().path("read_back").asDouble(), 1e-9, "read back: " + r.body());
        }
        JsonNode entry = latestAudit(device);
        assertEquals(sensor, entry.path("sensor_id").asText());
        assertEquals("admin", entry.path("actor").asText());
        assertEquals(before, entry.path("old_value").asDouble(), 1e-9);
        assertEquals(target, entry.path("new_value").asDouble(), 1e-9);
        assertEquals("ok", entry.path("result").asText());
    }

    private ApiClient.Response refused(String device, String sensor, double value, int status) {
        ApiClient.Response r = admin.post("/api/control/" + device, Map.of("sensor", sensor, "value", value));
        assertEquals(status, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        return r;
    }

    // ------------------------------------------------------------------ Luxtronik (first: its polls are slow)

    @Test
    @Order(1)
    void luxtronikValuesEqualWhatTheSimulatorServes() {
        awaitGood(lux, LUX_DHW);
        assertEquals(luxSim.value(LUX_DHW), value(lux, LUX_DHW).path("value").asDouble(), 1e-9);
        assertEquals("°C", value(lux, LUX_DHW).path("unit").asText());
        assertEquals(luxSim.value("heating_curve_end_point"),
                value(lux, "heating_curve_end_point").path("value").asDouble(), 1e-9);
        assertEquals("V3.88.1", value(lux, "firmware_version").path("text").asText().trim());
        // calculations move with the thermal model; one poll is the most they can lag
        assertEquals(luxSim.value("temp_outdoor"), value(lux, "temp_outdoor").path("value").asDouble(), 1.0);

        JsonNode details = admin.get("/api/heatpumps/" + lux).json();
        JsonNode dhw = null;
        for (JsonNode s : details.path("sensors")) {
            if (s.path("id").asText().equals(LUX_DHW)) {
                dhw = s;
            }
        }
        assertNotNull(dhw, "details list the hot water target");
        assertEquals("parameter", dhw.path("register_type").asText());
        assertEquals(105, dhw.path("address").asInt());
    }

    @Test
    @Order(2)
    void luxtronikAllowedWriteLandsOnceAndIsAudited() {
        double current = luxSim.value(LUX_DHW);
        assertWriteLandsOnceAndIsAudited(lux, luxSim, LUX_DHW, current >= 60 ? current - 1.5 : current + 1.5);
    }

    @Test
    @Order(3)
    void luxtronikDisallowedWritesAreRefusedClearlyAndNothingReachesTheSimulator() {
        int dhwWrites = luxSim.writeCount(LUX_DHW);

        ApiClient.Response notAllowed = refused(lux, LUX_NOT_ALLOWED, 60, 422);
        assertTrue(notAllowed.json().path("detail").asText().contains(LUX_NOT_ALLOWED), notAllowed.body());
        ApiClient.Response outOfRange = refused(lux, LUX_DHW, 80, 422);
        assertTrue(outOfRange.json().path("detail").asText().contains("65"), "names the limit: " + outOfRange.body());
        ApiClient.Response offStep = refused(lux, LUX_DHW, 50.3, 422);
        assertEquals(dhwWrites, luxSim.writeCount(LUX_DHW));
        assertEquals(0, luxSim.writeCount(LUX_NOT_ALLOWED));
        assertNotNull(offStep.json().path("detail").asText(null));

        awaitGood(lux90, "firmware_version");
        ApiClient.Response firmware = refused(lux90, LUX_DHW, 50, 422);
        assertEquals("refused_by_driver", firmware.json().path("reason").asText(), firmware.body());
        assertTrue(firmware.json().path("detail").asText().contains("reboot"), "says why: " + firmware.body());
        assertEquals(0, lux90Sim.writeCount(LUX_DHW), "nothing reached the .90 controller");
    }

    @Test
    @Order(4)
    void luxtronikControllerVanishes() {
        Await.until("Luxtronik online", WAIT, () -> "online".equals(state(lux)));
        // the controller drops its connections and goes away; its next poll (≤ 30 s) finds nobody (checked in 99)
        luxSim.disconnectClients();
        luxSim.close();
        luxSim = null;
    }

    // ------------------------------------------------------------------ NIBE S1155

    @Test
    @Order(10)
    void nibeValuesEqualWhatTheSimulatorServes() {
        awaitGood(nibe, NIBE_DM_STEP);
        assertEquals(nibeSim.value(NIBE_DM_STEP), value(nibe, NIBE_DM_STEP).path("value").asDouble(), 1e-9);
        assertEquals(nibeSim.value("hot_water_demand_mode"),
                value(nibe, "hot_water_demand_mode").path("value").asDouble(), 1e-9);
        assertEquals("good", value(nibe, NIBE_OUTDOOR).path("quality").asText());
        assertEquals(nibeSim.value(NIBE_OUTDOOR), value(nibe, NIBE_OUTDOOR).path("value").asDouble(), 0.5);
        assertEquals("°C", value(nibe, NIBE_OUTDOOR).path("unit").asText());
        // a 32-bit register pair in NIBE's read word order
        assertEquals(nibeSim.value("energy_pulse_meter"), value(nibe, "energy_pulse_meter").path("value").asDouble(),
                1.0);
    }

    @Test
    @Order(11)
    void nibeWriteLandsOnceAndIsAudited() {
        double current = nibeSim.value(NIBE_DM_STEP);
        assertWriteLandsOnceAndIsAudited(nibe, nibeSim, NIBE_DM_STEP, current >= 900 ? current - 10 : current + 10);
    }

    @Test
    @Order(12)
    void nibeReadOnlyAndOutOfRangeWritesAreRefusedAndNothingReachesTheSimulator() {
        int writes = nibeSim.writeCount(NIBE_DM_STEP);
        ApiClient.Response readOnly = refused(nibe, NIBE_OUTDOOR, 3, 422);
        assertTrue(readOnly.json().path("detail").asText().toLowerCase().contains("read"), readOnly.body());
        ApiClient.Response outOfRange = refused(nibe, NIBE_DM_STEP, 5000, 422);
        assertTrue(outOfRange.json().path("detail").asText().contains("1000"), "names the limit: " + outOfRange.body());
        assertEquals(writes, nibeSim.writeCount(NIBE_DM_STEP));
        assertEquals(0, nibeSim.writeCount(NIBE_OUTDOOR));
    }

    @Test
    @Order(13)
    void nibeRegisterExportUploadAddsItsRegisters() {
        // our own two-row export in NIBE's tab-separated format; row 3 is malformed
        String export = "Title\tRegister type\tRegister\tDivision factor\tUnit\tSize of variable\tMin value\tMax value\tDefault value\n"
                + "Outdoor from export\tMODBUS_INPUT_REGISTER\t30002\t10\t°C\ts16\t0\t0\t0\n"
                + "Broken\tMODBUS_INPUT_REGISTER\t5\n"
                + "Heat steps from export\tMODBUS_HOLDING_REGISTER\t100\t1\tDM\ts16\t10\t1000\t100\n";
        ApiClient.Response r = admin.putText("/api/heatpumps/" + nibe + "/register-export", export,
                "text/tab-separated-values");
        assertEquals(200, r.status(), r.body());
        assertEquals(2, r.json().path("rows_accepted").asInt(), r.body());
        assertEquals(3, r.json().path("errors").get(0).path("line").asInt(), r.body());

        JsonNode details = admin.get("/api/heatpumps/" + nibe).json();
        assertEquals("<3 rows>", details.path("device_config").path("options").path("register_export").asText());
        // both rows name built-in registers: the built-in ids stay, polling goes on
        Await.until("NIBE polls with the export", WAIT, () -> "online".equals(state(nibe)));
        assertEquals(nibeSim.value(NIBE_DM_STEP), value(nibe, NIBE_DM_STEP).path("value").asDouble(), 1e-9);
        assertEquals(204, admin.delete("/api/heatpumps/" + nibe + "/register-export").status());
        assertEquals(404, admin.get("/api/heatpumps/" + nibe + "/register-export").status());
    }

    // ------------------------------------------------------------------ Daikin Altherma 3 (EKRHH)

    @Test
    @Order(20)
    void daikinValuesEqualWhatTheSimulatorServes() {
        awaitGood(daikin, DAIKIN_DHW);
        assertEquals(daikinSim.value(DAIKIN_DHW), value(daikin, DAIKIN_DHW).path("value").asDouble(), 1e-9);
        assertEquals(daikinSim.value("operation_mode"), value(daikin, "operation_mode").path("value").asDouble(), 1e-9);
        assertEquals("good", value(daikin, DAIKIN_OUTDOOR).path("quality").asText());
        assertEquals(daikinSim.value(DAIKIN_OUTDOOR), value(daikin, DAIKIN_OUTDOOR).path("value").asDouble(), 0.5);
    }

    @Test
    @Order(21)
    void daikinWriteLandsOnceAndIsAudited() {
        double current = daikinSim.value(DAIKIN_DHW);
        assertWriteLandsOnceAndIsAudited(daikin, daikinSim, DAIKIN_DHW, current >= 58 ? current - 2 : current + 2);
    }

    @Test
    @Order(22)
    void daikinReadOnlyAndOutOfRangeWritesAreRefusedAndNothingReachesTheSimulator() {
        int writes = daikinSim.writeCount(DAIKIN_DHW);
        ApiClient.Response readOnly = refused(daikin, DAIKIN_OUTDOOR, 3, 422);
        assertTrue(readOnly.json().path("detail").asText().toLowerCase().contains("read"), readOnly.body());
        ApiClient.Response outOfRange = refused(daikin, DAIKIN_DHW, 70, 422);
        assertTrue(outOfRange.json().path("detail").asText().contains("60"), "names the limit: " + outOfRange.body());
        assertEquals(writes, daikinSim.writeCount(DAIKIN_DHW));
        assertEquals(0, daikinSim.writeCount(DAIKIN_OUTDOOR));
    }

    // ------------------------------------------------------------------ Luxtronik, continued

    @Test
    @Order(99)
    void luxtronikGoesOfflineWhenItsControllerVanishesAndOnlineWhenItReturns() throws Exception {
        Instant start = Instant.now();
        Await.until("Luxtronik offline at its next poll", Duration.ofSeconds(40), () -> "offline".equals(state(lux)));
        String error = admin.get("/api/heatpumps/" + lux).json().path("status").path("last_error").asText();
        assertTrue(!error.isEmpty(), "the device says what went wrong");
        assertEquals("online", state(lux90), "the other controller is untouched");

        luxSim = simulator("luxtronik", "luxtronik_2_1").start(luxPort, DeviceConfig.empty());
        Await.until("Luxtronik online again (reconnect backoff)", Duration.ofSeconds(40),
                () -> "online".equals(state(lux)));
        assertTrue(Duration.between(start, Instant.now()).toSeconds() < 80);
    }
}
