package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * What a new user tripped over in the console (issue 16), each kept fixed in a real headless Chromium against
 * gateway.jar and IDM simulators: a written 0 in the audit trail, a toast after sign-out, a reload of a page that needs
 * the chosen pump, a viewer on an admin page, the wizard's duplicate address, its diagnosis said once, its preview
 * with names and zeros, the COP's names. One story, in order.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleFixesBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ADMIN_PASSWORD = "fixes-Admin-pass-5521";
    private static final String VIEWER_PASSWORD = "fixes-Viewer-pass-7730";
    /** IDM 1005 system mode: RW enum, 0 = standby, 1 = automatic (fact sheet). */
    private static final String SYSTEM_MODE = "status_system";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    private HeatpumpSimulator.Running sim;
    private HeatpumpSimulator.Running second;
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
        second = idm.start(0, DeviceConfig.of(List.of("A"), List.of()));
        Path data = Files.createTempDirectory("gateway-console-fixes");
        GatewayProcess.deployOnly(context, data, "gateway.driver.idm.jar");
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data,
                Map.of("GATEWAY_ADMIN_PASSWORD", ADMIN_PASSWORD));
        base = "http://127.0.0.1:" + gateway.port;
        admin = new ApiClient(gateway.port, "admin", ADMIN_PASSWORD);
        Await.until("IDM driver installed from deploy/", WAIT,
                () -> admin.get("/api/manufacturers").body().contains("\"navigator_2_0\""));
        ApiClient.Response created = admin.post("/api/heatpumps", Map.of("name", "Cellar", "manufacturer", "idm",
                "model", "navigator_2_0", "connection_config", Map.of("host", "127.0.0.1", "port", sim.port(),
                        "unit_id", 1), "device_config", Map.of("circuits", List.of("A"), "zones", List.of()),
                "poll_interval", 1, "enabled", true));
        assertEquals(201, created.status(), created.body());
        deviceId = created.json().get("id").asText();
        assertEquals(200, admin.put("/api/settings", Map.of("write_enabled", true)).status());
        assertEquals(201, admin.post("/api/users", Map.of("name", "guest", "password", VIEWER_PASSWORD,
                "role", "viewer")).status());
        screenshots = Path.of(context.getProperty("gateway.itest.jar")).getParent().resolve("screenshots");
        browser = HeadlessChromium.start();
        browser.viewport(1366, 900, false);
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
        if (second != null) {
            second.close();
        }
    }

    private void shot(String name) throws Exception {
        browser.settledScreenshot(screenshots.resolve(name + ".png"));
    }

    private void signIn(String user, String password) {
        browser.signIn(base + "/console/", user, password, "#who", WAIT);
    }

    /** A fresh page load of a link, as a reload or a bookmark does (a hash change alone would not reload). */
    private void open(String hash) {
        browser.navigate("about:blank");
        browser.waitUntil("the blank page", "location.href === 'about:blank'", WAIT);
        browser.navigate(base + "/console/" + hash);
    }

    @Test
    @Order(1)
    void aZeroWrittenInTheConsoleIsShownInTheAuditAndItsToastEndsWithSignOut() throws Exception {
        assertEquals(200, admin.post("/api/control/" + deviceId, Map.of("sensor", SYSTEM_MODE, "value", 1)).status());
        Await.until("automatic mode at the simulator", WAIT, () -> Double.valueOf(1).equals(sim.value(SYSTEM_MODE)));
        signIn("admin", ADMIN_PASSWORD);
        browser.navigate(base + "/console/#/control/" + deviceId);
        String row = "#control-list tr[data-sensor=" + SYSTEM_MODE + "]";
        browser.waitFor(row + " select", WAIT);
        browser.eval("document.querySelectorAll('#control-list details').forEach(d => d.open = true)");
        // the driver's key is shown as words, the key itself stays in the tooltip and is what is written
        assertEquals("Standby", browser.text(row + " select option[value='0']"));
        assertEquals("Hot water only", browser.text(row + " select option[value='4']"));
        browser.type(row + " select", "0");
        browser.click(row + " button[type=submit]");
        browser.click("dialog.confirm .confirm-ok");
        browser.waitFor("#toasts .toast", WAIT);
        Await.until("standby at the simulator", WAIT, () -> Double.valueOf(0).equals(sim.value(SYSTEM_MODE)));
        // signing out ends what the last user was told
        browser.click("#logout");
        browser.waitFor("#login-form", WAIT);
        assertEquals(0, browser.eval("document.querySelectorAll('#toasts .toast').length").asInt(),
                "no toast after sign-out");

        // and back from 0: the old value 0 must show too
        assertEquals(200, admin.post("/api/control/" + deviceId, Map.of("sensor", SYSTEM_MODE, "value", 1)).status());
        signIn("admin", ADMIN_PASSWORD);
        browser.navigate(base + "/console/#/audit");
        String cells = "[...document.querySelectorAll('table.audit tbody tr[data-sensor=" + SYSTEM_MODE + "]')]"
                + ".map(r => r.querySelector('.old-value').textContent + '>' + r.querySelector('.new-value').textContent)";
        browser.waitUntil("both writes in the audit", cells + ".length >= 2", WAIT);
        List<String> shown = List.of(browser.eval(cells + ".join('|')").asText().split("\\|"));
        assertTrue(shown.contains("1>0"), "the write to 0 shows its new value: " + shown);
        assertTrue(shown.contains("0>1"), "the write from 0 shows its old value: " + shown);
        shot("fixes-01-audit-zero");
    }

    @Test
    @Order(2)
    void aReloadOfControlOrDashboardsShowsThePumpTheHeaderShows() throws Exception {
        // nothing remembered: the first pump is meant, as in the header
        browser.eval("localStorage.removeItem('gw.device')");
        open("#/control");
        browser.waitFor("#control-list tr[data-sensor=" + SYSTEM_MODE + "]", WAIT);
        assertFalse(browser.bodyText().contains("No heat pump yet."), browser.bodyText());
        browser.eval("localStorage.removeItem('gw.device')");
        open("#/dashboards");
        String heading = browser.waitFor("#page h1", WAIT);
        assertEquals("Dashboards: Cellar", heading);
        assertFalse(browser.bodyText().contains("No heat pump yet."), browser.bodyText());
        // a remembered pump that was deleted meanwhile is not chosen either
        browser.eval("localStorage.setItem('gw.device', 'gone-since')");
        open("#/control");
        browser.waitFor("#control-list tr[data-sensor=" + SYSTEM_MODE + "]", WAIT);
    }

    @Test
    @Order(3)
    void theWizardRefusesAnAddressInUseAtTheConnectionStep() throws Exception {
        browser.navigate(base + "/console/#/add");
        browser.click("[data-choice=idm]");
        browser.click("[data-choice=navigator_2_0]");
        browser.waitFor("#wizard .markdown", WAIT);
        browser.click("#wizard-next");
        browser.type("#conn-host", "127.0.0.1");
        browser.type("#conn-port", Integer.toString(sim.port()));
        browser.type("#conn-unit", "1");
        browser.click("#wizard-next");
        String refused = browser.waitFor("#address-in-use", WAIT);
        assertTrue(refused.contains("Cellar"), "names the pump that has it: " + refused);
        assertTrue(browser.exists("#conn-host"), "still at the connection step");
        shot("fixes-02-wizard-address-in-use");
    }

    @Test
    @Order(4)
    void theWizardSaysWhyAConnectionWasRefusedOnce() throws Exception {
        int closed = GatewayProcess.freePort();
        browser.type("#conn-port", Integer.toString(closed));
        browser.click("#wizard-next");
        browser.click("#run-test");
        browser.waitFor("#test-diagnosis", WAIT);
        String shown = browser.text("#test-result");
        ApiClient.Response r = admin.post("/api/heatpumps/test", definition(closed));
        assertEquals(503, r.status(), r.body());
        String technical = r.json().path("technical").asText();
        assertFalse(technical.isEmpty(), r.body());
        String serverAdvice = r.json().path("detail").asText().replace(" (" + technical + ")", "");
        assertFalse(serverAdvice.isBlank(), r.body());
        assertFalse(shown.contains(serverAdvice), "the advice is given once, in the console's words: " + shown);
        assertEquals(technical, browser.text("#test-technical"));
        shot("fixes-03-wizard-refused");
    }

    @Test
    @Order(5)
    void aLuxtronikPortGivenToAnIdmIsAWrongProtocolNotATimeout() throws Exception {
        // the Luxtronik simulator comes with its driver bundle, installed here for this step only
        org.osgi.framework.Bundle driver = DriverBundles.installed(context, "gateway.driver.luxtronik").isEmpty()
                ? DriverBundles.start(context, "gateway.driver.luxtronik") : null;
        HeatpumpSimulator luxtronik = Await.value("Luxtronik simulator service", WAIT, () -> simulators.getServices()
                .stream().filter(s -> s.manufacturerId().equals("luxtronik")).findFirst().orElse(null));
        HeatpumpSimulator.Running other = luxtronik.start(0, DeviceConfig.empty());
        try {
            browser.click("#wizard-back");
            browser.type("#conn-port", Integer.toString(other.port()));
            browser.click("#wizard-next");
            browser.click("#run-test");
            String diagnosis = browser.waitFor("#test-diagnosis", WAIT);
            assertTrue(diagnosis.contains("not in this model's protocol"), diagnosis);
            assertFalse(diagnosis.contains("No answer in time"), diagnosis);
            shot("fixes-04-wizard-wrong-protocol");
        } finally {
            other.close();
            if (driver != null) {
                DriverBundles.uninstall(driver);
            }
        }
    }

    @Test
    @Order(6)
    void theWizardsPreviewShowsNamesAndZeros() throws Exception {
        browser.click("#wizard-back");
        browser.type("#conn-port", Integer.toString(second.port()));
        browser.click("#wizard-next");
        browser.click("#run-test");
        browser.waitFor("#test-ok", WAIT);
        JsonNode rows = browser.eval("[...document.querySelectorAll('#test-result tr[data-sensor]')]"
                + ".map(r => ({ id: r.dataset.sensor, name: r.querySelector('th').textContent,"
                + " value: r.querySelector('td.value').textContent }))");
        assertTrue(rows.size() > 0, rows.toString());
        JsonNode api = admin.post("/api/heatpumps/test", definition(second.port())).json();
        int named = 0;
        for (JsonNode row : rows) {
            assertFalse(row.path("value").asText().isBlank(), "a value in every row: " + rows);
            if (!row.path("name").asText().equals(row.path("id").asText())) {
                named++;
            }
            JsonNode reading = api.path("values").path(row.path("id").asText());
            if (reading.path("value").isNumber() && reading.path("value").asDouble() == 0
                    && reading.path("text").asText("").isEmpty()) {
                assertTrue(row.path("value").asText().startsWith("0"), "a 0 is shown as 0: " + row);
            }
        }
        assertEquals(rows.size(), named, "names, not ids: " + rows);
        shot("fixes-05-wizard-preview");
    }

    @Test
    @Order(7)
    void theCopHasNamesAndACategory() throws Exception {
        JsonNode cop = null;
        for (JsonNode s : admin.get("/api/heatpumps/" + deviceId).json().path("sensors")) {
            if (s.path("id").asText().equals("cop")) {
                cop = s;
            }
        }
        assertNotNull(cop, "the derived COP is among the device's sensors");
        assertEquals("COP (live)", cop.path("name").asText());
        assertEquals("energy", cop.path("category").asText().toLowerCase());
        String shown = Await.value("a derived COP in the snapshot", WAIT, () -> {
            JsonNode values = admin.get("/api/data/" + deviceId).json().path("values");
            return List.of("cop", "cop_day", "cop_month").stream().filter(values::has).findFirst().orElse(null);
        });
        Map<String, String> names = Map.of("cop", "COP (live)", "cop_day", "COP today", "cop_month", "COP this month");
        browser.navigate(base + "/console/#/device/" + deviceId);
        String name = browser.waitFor("#device-values details[data-category=energy] tr[data-sensor=" + shown + "] th",
                WAIT);
        assertEquals(names.get(shown), name, "under Energy with its name, not as " + shown + " under Other");
    }

    @Test
    @Order(8)
    void aViewerOnAnAdminPageIsToldWhy() throws Exception {
        browser.click("#logout");
        signIn("guest", VIEWER_PASSWORD);
        open("#/users");
        String message = browser.waitFor("#needs-role", WAIT);
        assertTrue(message.contains("admin"), message);
        assertTrue(message.contains("viewer"), message);
        shot("fixes-06-viewer-users");
    }

    @Test
    @Order(9)
    void noScriptErrors() {
        assertEquals(List.of(), browser.problems, "JavaScript exceptions, CSP violations or console errors");
    }

    private Map<String, Object> definition(int port) {
        return Map.of("manufacturer", "idm", "model", "navigator_2_0",
                "connection_config", Map.of("host", "127.0.0.1", "port", port, "unit_id", 1),
                "device_config", Map.of("circuits", List.of("A"), "zones", List.of()), "enabled", true);
    }
}
