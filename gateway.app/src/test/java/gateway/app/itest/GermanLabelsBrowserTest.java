package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * Human labels (issue 16) end to end: the IDM driver bundle, hot-deployed into gateway.jar, brings its German names
 * through its own class loader; the API answers them for ?lang=de, and the console in German shows them on the device
 * page with the sensor id in the tooltip. German golden names typed from the iDM table.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GermanLabelsBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ADMIN_PASSWORD = "labels-Admin-pass-4410";
    /** §5 operating mode of a circuit: 0 Aus, 1 Zeitprogramm, 2 Normal, 3 Eco, 4 Manuell Heizen, 5 Manuell Kühlen. */
    private static final Set<String> CIRCUIT_MODES = Set.of("Aus", "Zeitprogramm", "Normal", "Eco", "Manuell Heizen",
            "Manuell Kühlen");

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    private HeatpumpSimulator.Running sim;
    private GatewayProcess gateway;
    private HeadlessChromium browser;
    private ApiClient admin;
    private Path screenshots;
    private String base;
    private String deviceId;

    @BeforeAll
    void start() throws Exception {
        HeatpumpSimulator idm = Await.value("IDM simulator service", WAIT, () -> simulators.getServices().stream()
                .filter(s -> s.manufacturerId().equals("idm")).findFirst().orElse(null));
        sim = idm.start(0, DeviceConfig.of(List.of("A"), List.of()));
        Path data = Files.createTempDirectory("gateway-labels");
        GatewayProcess.deployOnly(context, data, "gateway.driver.idm.jar");
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data,
                Map.of("GATEWAY_ADMIN_PASSWORD", ADMIN_PASSWORD));
        base = "http://127.0.0.1:" + gateway.port;
        admin = new ApiClient(gateway.port, "admin", ADMIN_PASSWORD);
        Await.until("IDM driver installed from deploy/", WAIT,
                () -> admin.get("/api/manufacturers").body().contains("\"navigator_2_0\""));
        ApiClient.Response created = admin.post("/api/heatpumps", Map.of("name", "Keller", "manufacturer", "idm",
                "model", "navigator_2_0", "connection_config", Map.of("host", "127.0.0.1", "port", sim.port(),
                        "unit_id", 1), "device_config", Map.of("circuits", List.of("A"), "zones", List.of()),
                "poll_interval", 1, "enabled", true));
        assertEquals(201, created.status(), created.body());
        deviceId = created.json().get("id").asText();
        screenshots = Path.of(context.getProperty("gateway.itest.jar")).getParent().resolve("screenshots");
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private static JsonNode sensor(JsonNode details, String id) {
        for (JsonNode s : details.get("sensors")) {
            if (s.get("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no sensor " + id + " in " + details);
    }

    @Test
    @Order(1)
    void theApiAnswersTheDriverBundlesGermanNames() {
        JsonNode de = admin.get("/api/heatpumps/" + deviceId + "?lang=de").json();
        assertEquals("Außentemperatur (B32)", sensor(de, "temp_outside").get("name").asText());
        assertEquals("WP Vorlauftemperatur (B33)", sensor(de, "temp_heat_pump_flow").get("name").asText());
        assertEquals("Betriebsart HK A", sensor(de, "mode_circuit_a").get("name").asText());
        assertEquals("Zeitprogramm", sensor(de, "mode_circuit_a").get("enum_labels").get("1").asText());
        assertEquals("timed", sensor(de, "mode_circuit_a").get("enum_values").get("1").asText(), "the key stays");
        JsonNode en = admin.get("/api/heatpumps/" + deviceId).json();
        assertEquals("Outdoor temperature (B32)", sensor(en, "temp_outside").get("name").asText());

        Await.until("a German snapshot", WAIT, () -> {
            JsonNode v = admin.get("/api/data/" + deviceId + "?lang=de").json().get("values");
            return v.has("mode_circuit_a") && v.get("mode_circuit_a").has("label");
        });
        JsonNode mode = admin.get("/api/data/" + deviceId + "?lang=de").json().get("values").get("mode_circuit_a");
        assertEquals("Betriebsart HK A", mode.get("name").asText());
        assertTrue(CIRCUIT_MODES.contains(mode.get("label").asText()), mode.toString());
    }

    @Test
    @Order(2)
    void theConsoleInGermanShowsGermanNamesWithTheIdInTheTooltip() throws Exception {
        browser = HeadlessChromium.start();
        browser.viewport(1366, 900, false);
        browser.navigate(base + "/console/");
        browser.waitFor("#login-form", WAIT);
        browser.eval("localStorage.setItem('gw.lang', 'de')");
        browser.navigate("about:blank");
        browser.waitUntil("the blank page", "location.href === 'about:blank'", WAIT);
        browser.navigate(base + "/console/");
        browser.waitFor("#login-form", WAIT);
        browser.type("#login-user", "admin");
        browser.type("#login-password", ADMIN_PASSWORD);
        browser.click("#login-form button[type=submit]");
        browser.waitFor("#who", WAIT);
        browser.navigate(base + "/console/#/device/" + deviceId);
        String outdoor = "#device-values tr[data-sensor=temp_outside] th";
        browser.waitUntil("the German outdoor name", "(document.querySelector('" + outdoor + "') || {}).textContent"
                + " === 'Außentemperatur (B32)'", WAIT);
        assertTrue(browser.eval("document.querySelector('" + outdoor + "').title").asText().startsWith("temp_outside"),
                "the id stays in the tooltip");
        // after live snapshots (the event stream is English) the mode still reads in German
        String mode = "#device-values tr[data-sensor=mode_circuit_a] td.value";
        browser.waitUntil("the circuit mode row", "!!document.querySelector('" + mode + "')", WAIT);
        String shownAt = browser.eval("document.querySelector('#key-values').dataset.time || ''").asText();
        browser.waitUntil("a live snapshot rendered after the first values",
                "(() => { const k = document.querySelector('#key-values');"
                        + " return k.dataset.source === 'live' && k.dataset.time !== '" + shownAt + "'; })()", WAIT);
        String shown = browser.eval("document.querySelector('" + mode + "').textContent").asText();
        assertTrue(CIRCUIT_MODES.contains(shown), "circuit mode in German: " + shown);
        browser.screenshot(screenshots.resolve("labels-01-device-de.png"));
    }

    @Test
    @Order(3)
    void theWizardInGermanShowsGermanInstructionsAndAGermanServerError() throws Exception {
        browser.navigate(base + "/console/#/");
        browser.click("#add-device");
        browser.click("[data-choice=idm]");
        browser.click("[data-choice=navigator_2_0]");
        String instructions = browser.waitFor("#wizard .markdown", WAIT);
        assertTrue(instructions.startsWith("Modbus TCP am iDM Navigator 2.0 einschalten"), instructions);
        assertTrue(instructions.contains("Gebäudeleittechnik"), instructions);
        browser.click("#wizard-next");
        // a host the API's input limits refuse: the problem's detail is the server's own text, in German
        browser.type("#conn-host", "not a host");
        browser.click("#wizard-next");
        browser.click("#run-test");
        String technical = browser.waitFor("#test-technical", WAIT);
        assertEquals("Die Anfrage enthält Werte außerhalb der Grenzen der API", technical);
        browser.screenshot(screenshots.resolve("labels-02-wizard-de.png"));
    }
}
