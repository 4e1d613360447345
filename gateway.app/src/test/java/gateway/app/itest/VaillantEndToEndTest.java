package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
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
 * Vaillant aroTHERM through the runnable gateway.jar (issue 17): the driver bundle gateway.jar seeds into deploy/
 * polls the driver bundle's simulated ebusd over loopback TCP, only through the HTTP API. Values match the
 * simulator, messages the unit lacks stay invalid without degrading the device, an allowed write lands once and is
 * audited, refused writes reach nothing, ebusd gone → offline → back, and the bundle leaves and returns while the
 * gateway runs (hot deployment through deploy/). The demo needs nothing more: it starts one device per
 * {@link HeatpumpSimulator} service, which the bundle registers (used here), on an empty device configuration,
 * which the driver accepts (VaillantDriverTest).
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VaillantEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String ADMIN_PASSWORD = "e2e-Vaillant-pass-8888";
    private static final String BSN = "gateway.driver.vaillant";
    /** The simulator's VRC 720 HwcTempDesired at start; writable 35..70 in whole degrees (15.ctlv2.tsp). */
    private static final String DHW = "hot_water_target";
    /** HMU flow temperature: read-only (the HMU is never written). */
    private static final String FLOW = "temp_flow";
    /** DHW mode: readable, not on the write allow-list. */
    private static final String DHW_MODE = "hot_water_mode";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    private final List<Bundle> installed = new ArrayList<>();
    private HeatpumpSimulator.Running sim;
    private int simPort;
    private GatewayProcess gateway;
    private ApiClient admin;
    private String device;

    @BeforeAll
    void startGatewayAndSimulator() throws Exception {
        if (DriverBundles.installed(context, BSN).isEmpty()) {
            installed.add(DriverBundles.start(context, BSN));
        }
        sim = simulator().start(0, DeviceConfig.empty());
        simPort = sim.port();
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"),
                Files.createTempDirectory("gateway-e2e-vaillant"),
                Map.of("GATEWAY_ADMIN_PASSWORD", ADMIN_PASSWORD, "GATEWAY_WRITE_ENABLED", "true"));
        admin = new ApiClient(gateway.port, "admin", ADMIN_PASSWORD);
        Await.until("Vaillant installed from deploy/", WAIT,
                () -> admin.get("/api/manufacturers").body().contains("\"arotherm\""));
        ApiClient.Response r = admin.post("/api/heatpumps", Map.of("name", "aroTHERM", "manufacturer", "vaillant",
                "model", "arotherm", "connection_config", Map.of("host", "127.0.0.1", "port", simPort, "unit_id", 1,
                        "options", Map.of("heatpump_circuit", "hmu", "controller_circuit", "ctlv2")),
                "poll_interval", 10, "enabled", true));
        assertEquals(201, r.status(), r.body());
        device = r.json().get("id").asText();
    }

    @AfterAll
    void stopAll() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (sim != null) {
            sim.close();
        }
        for (Bundle b : installed) {
            DriverBundles.uninstall(b);
        }
    }

    private HeatpumpSimulator simulator() {
        return Await.value("vaillant/arotherm simulator service", WAIT, () -> simulators.getServices().stream()
                .filter(s -> s.manufacturerId().equals("vaillant") && s.modelId().equals("arotherm"))
                .findFirst().orElse(null));
    }

    private JsonNode value(String sensor) {
        ApiClient.Response r = admin.get("/api/data/" + device);
        assertEquals(200, r.status(), r.body());
        return r.json().path("values").path(sensor);
    }

    private String state() {
        return admin.get("/api/heatpumps/" + device).json().path("status").path("state").asText();
    }

    private ApiClient.Response refused(String sensor, double value) {
        ApiClient.Response r = admin.post("/api/control/" + device, Map.of("sensor", sensor, "value", value));
        assertEquals(422, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        return r;
    }

    @Test
    @Order(1)
    void valuesMatchTheSimulatedEbusdAndMissingMessagesStayInvalidWithoutDegradingTheDevice() {
        Await.until("first poll", WAIT, () -> "good".equals(value(DHW).path("quality").asText()));
        assertEquals(sim.value(DHW), value(DHW).path("value").asDouble(), 1e-9);
        assertEquals("°C", value(DHW).path("unit").asText());
        assertEquals(sim.value("room_setpoint_day_z1"), value("room_setpoint_day_z1").path("value").asDouble(), 1e-9);
        assertEquals(sim.value("heating_mode_z1"), value("heating_mode_z1").path("value").asDouble(), 1e-9);
        // the plant moves between ebusd's cache fill and now: one poll is the most a value can lag
        assertEquals(sim.value("temp_outdoor"), value("temp_outdoor").path("value").asDouble(), 1.0);
        // FlowTemp answers ERR: invalid position on this unit; RunDataFlowTemp serves the flow temperature
        assertEquals("good", value(FLOW).path("quality").asText());
        assertEquals(sim.value(FLOW), value(FLOW).path("value").asDouble(), 5.0);
        // ConsumptionTotal answers ERR: invalid position: invalid, and the device stays online (not degraded)
        assertEquals("invalid", value("electrical_energy_total").path("quality").asText());
        assertEquals("online", state());

        JsonNode details = admin.get("/api/heatpumps/" + device).json();
        JsonNode dhw = null;
        for (JsonNode s : details.path("sensors")) {
            if (s.path("id").asText().equals(DHW)) {
                dhw = s;
            }
        }
        assertNotNull(dhw, "details list the hot water target: " + details);
        assertEquals("virtual", dhw.path("register_type").asText());
    }

    @Test
    @Order(2)
    void anAllowedWriteLandsOnceReadsBackAndIsAudited() {
        Await.until("online", WAIT, () -> "online".equals(state()));
        double before = sim.value(DHW);
        double target = before >= 65 ? before - 5 : before + 5;
        int writes = sim.writeCount(DHW);
        ApiClient.Response r = admin.post("/api/control/" + device, Map.of("sensor", DHW, "value", target));
        assertEquals(200, r.status(), r.body());
        assertEquals(writes + 1, sim.writeCount(DHW), "exactly one write reached ebusd");
        assertEquals(target, sim.value(DHW), 1e-9);
        // ebusd's read cache still holds the old value: the read-back must have gone to the bus
        assertEquals(target, r.json().path("read_back").asDouble(), 1e-9, r.body());

        JsonNode audit = admin.get("/api/audit?heatpump_id=" + device).json();
        JsonNode entries = audit.isArray() ? audit : audit.path("entries");
        assertTrue(entries.size() > 0, "audited: " + audit);
        JsonNode entry = entries.get(0);
        assertEquals(DHW, entry.path("sensor_id").asText());
        assertEquals("admin", entry.path("actor").asText());
        assertEquals(before, entry.path("old_value").asDouble(), 1e-9);
        assertEquals(target, entry.path("new_value").asDouble(), 1e-9);
        assertEquals("ok", entry.path("result").asText());
    }

    @Test
    @Order(3)
    void refusedWritesNameTheRuleAndReachNothing() {
        int dhwWrites = sim.writeCount(DHW);
        double dhwNow = sim.value(DHW);
        ApiClient.Response readOnly = refused(FLOW, 30);
        assertTrue(readOnly.json().path("detail").asText().toLowerCase().contains("read"), readOnly.body());
        refused(DHW_MODE, 2);
        ApiClient.Response outOfRange = refused(DHW, 80);
        assertTrue(outOfRange.json().path("detail").asText().contains("70"), "names the limit: " + outOfRange.body());
        refused(DHW, dhwNow + 0.5); // whole degrees only
        assertEquals(dhwWrites, sim.writeCount(DHW));
        assertEquals(0, sim.writeCount(FLOW));
        assertEquals(0, sim.writeCount(DHW_MODE));
        assertEquals(dhwNow, sim.value(DHW), 1e-9);
    }

    @Test
    @Order(4)
    void ebusdGoneTakesTheDeviceOfflineAndItReturnsWithEbusd() throws Exception {
        Await.until("online", WAIT, () -> "online".equals(state()));
        sim.close();
        Await.until("offline at its next poll", WAIT, () -> "offline".equals(state()));
        String error = admin.get("/api/heatpumps/" + device).json().path("status").path("last_error").asText();
        assertTrue(error.contains("ebusd"), "says what went wrong: " + error);
        sim = simulator().start(simPort, DeviceConfig.empty());
        Await.until("online again (reconnect backoff)", WAIT, () -> "online".equals(state()));
        Await.until("values good again", WAIT, () -> "good".equals(value(DHW).path("quality").asText()));
    }

    @Test
    @Order(5)
    void theBundleLeavesAndReturnsWhileTheGatewayRuns() throws Exception {
        Path deployed = gateway.data.resolve("deploy").resolve(BSN + ".jar");
        assertTrue(Files.isRegularFile(deployed), "gateway.jar seeded the Vaillant driver into deploy/");
        Files.delete(deployed);
        Await.until("driver gone", WAIT, () -> !admin.get("/api/manufacturers").body().contains("\"arotherm\""));
        Await.until("device waits for its driver", WAIT, () -> "driver_missing".equals(state()));
        assertEquals(200, admin.get("/api/heatpumps/" + device).status(), "the device stays configured");
        // the session keeps its ebusd connection between polls: removing the bundle must close it
        Await.until("no connection to ebusd left", WAIT, () -> LoopbackConnections.establishedTo(simPort) == 0);

        // as a user drops a jar in: written beside the folder, then moved in at once
        Path partial = gateway.data.resolve(BSN + ".jar.partial");
        Files.copy(DriverBundles.jar(context, BSN), partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, deployed, StandardCopyOption.ATOMIC_MOVE);
        Await.until("driver back", WAIT, () -> admin.get("/api/manufacturers").body().contains("\"arotherm\""));
        Await.until("polling again", WAIT, () -> "online".equals(state()));
        // at most one, never the old session's beside the new one (DeployFolderStarter starts the bundle after
        // File Install's refresh, so the driver does not come, go and come again)
        assertTrue(LoopbackConnections.establishedTo(simPort) <= 1, () -> "one connection per device; gateway log:\n"
                + gateway.tail());
        Await.until("one connection per device", WAIT, () -> LoopbackConnections.establishedTo(simPort) == 1);
        assertEquals(sim.value("room_setpoint_day_z1"), value("room_setpoint_day_z1").path("value").asDouble(), 1e-9);
        assertFalse(value(DHW).isMissingNode());
    }
}
