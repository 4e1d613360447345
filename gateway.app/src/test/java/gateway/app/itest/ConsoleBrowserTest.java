package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
 * The admin console in a real headless Chromium against the real gateway.jar and an IDM simulator: a new user's first
 * minutes, step by step, as one story (the tests run in order and build on each other). Screenshots of each step are
 * kept in target/screenshots for a person to look at.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ADMIN = "owner";
    private static final String ADMIN_PASSWORD = "console-Admin-pass-2291";
    private static final String VIEWER_PASSWORD = "console-Viewer-pass-5530";
    /** IDM 1032 DHW setpoint: RW, 35–95 °C (fact sheet §4). */
    private static final String DHW_SETPOINT = "temp_water_target";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    private HeatpumpSimulator.Running sim;
    private GatewayProcess gateway;
    private HeadlessChromium browser;
    private Path screenshots;
    private String base;
    private String deviceId;

    @BeforeAll
    void start() throws Exception {
        HeatpumpSimulator idm = Await.value("IDM simulator service", WAIT, () -> simulators.getServices().stream()
                .filter(s -> s.manufacturerId().equals("idm")).findFirst().orElse(null));
        sim = idm.start(0, DeviceConfig.of(List.of("A"), List.of()));
        // Only the IDM driver at first: the Luxtronik driver is the one uploaded through the console later.
        Path data = Files.createTempDirectory("gateway-console");
        GatewayProcess.deployOnly(context, data, "gateway.driver.idm.jar");
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data, Map.of());
        base = "http://127.0.0.1:" + gateway.port;
        screenshots = Path.of(context.getProperty("gateway.itest.jar")).getParent().resolve("screenshots");
        browser = HeadlessChromium.start();
        browser.viewport(1280, 900, false);
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

    private void shot(String name) throws Exception {
        // the last render and web fonts settle: fonts loaded, two frames painted, no finite animation running
        browser.eval("document.fonts.ready.then(() => new Promise(done => requestAnimationFrame("
                + "() => requestAnimationFrame(() => done(true)))))");
        browser.waitUntil("animations finished before the screenshot " + name,
                "document.getAnimations().every(a => a.playState !== 'running'"
                        + " || a.effect.getTiming().iterations === Infinity)", WAIT);
        browser.screenshot(screenshots.resolve(name + ".png"));
    }

    private ApiClient adminApi() {
        return new ApiClient(gateway.port, ADMIN, ADMIN_PASSWORD);
    }

    @Test
    @Order(1)
    void firstStartAsksForTheAdministratorAndSignsIn() throws Exception {
        browser.navigate(base + "/");
        browser.waitFor("#setup-form", WAIT);
        assertTrue(browser.url().endsWith("/console/"), "the server root leads to the console: " + browser.url());
        browser.type("#setup-user", ADMIN);
        browser.type("#setup-password", ADMIN_PASSWORD);
        browser.type("#setup-password2", ADMIN_PASSWORD);
        shot("01-first-run-setup");
        browser.click("#setup-form button[type=submit]");
        String empty = browser.waitFor("#device-list", WAIT);
        browser.waitUntil("the empty overview", "document.querySelector('#device-list').textContent.includes('No heat pump yet')", WAIT);
        assertTrue(browser.text("#who").contains(ADMIN), "signed in as the new admin: " + browser.text("#who") + empty);
        assertTrue(browser.exists("#add-device"), "an admin is offered to add a heat pump");
        assertEquals(409, new ApiClient(gateway.port, null, null)
                .post("/api/setup", Map.of("username", "second", "password", "whatever-123")).status(),
                "setup is refused once done");
        shot("02-empty-overview");
    }

    @Test
    @Order(2)
    void signOutAndInAgainWithAWrongPasswordFirst() throws Exception {
        browser.click("#logout");
        browser.waitFor("#login-form", WAIT);
        browser.type("#login-user", ADMIN);
        browser.type("#login-password", "not-the-password");
        browser.click("#login-form button[type=submit]");
        String error = browser.waitFor("#login-form .error", WAIT);
        assertTrue(error.toLowerCase().contains("not accepted"), error);
        shot("03-login-refused");
        browser.type("#login-password", ADMIN_PASSWORD);
        browser.click("#login-form button[type=submit]");
        browser.waitFor("#device-list", WAIT);
    }

    @Test
    @Order(3)
    void theWizardDiagnosesARefusedConnectionThenAddsTheDevice() throws Exception {
        browser.click("#add-device");
        browser.click("[data-choice=idm]");
        browser.click("[data-choice=navigator_2_0]");
        String instructions = browser.waitFor("#wizard .markdown", WAIT);
        assertFalse(instructions.isBlank(), "the driver's setup instructions are shown");
        shot("04-wizard-instructions");
        browser.click("#wizard-next");

        browser.type("#conn-name", "Cellar");
        browser.type("#conn-host", "127.0.0.1");
        browser.type("#conn-port", Integer.toString(GatewayProcess.freePort()));
        browser.type("#conn-poll", "1");
        browser.click("#wizard-next");
        browser.click("#run-test");
        String diagnosis = browser.waitFor("#test-diagnosis", WAIT);
        assertTrue(diagnosis.contains("Modbus TCP is probably not enabled"), diagnosis);
        assertTrue(browser.eval("document.querySelector('#wizard-next').disabled").asBoolean(),
                "no way on without a passing test");
        shot("05-wizard-refused-diagnosis");

        browser.click("#wizard-back");
        browser.type("#conn-port", Integer.toString(sim.port()));
        browser.click("#wizard-next");
        browser.click("#run-test");
        String ok = browser.waitFor("#test-ok", WAIT);
        assertTrue(ok.startsWith("Connected"), ok);
        shot("06-wizard-test-passed");
        browser.click("#wizard-next");
        assertTrue(browser.eval("document.querySelector('[data-circuit=A]').checked").asBoolean(), "circuit A preselected");
        browser.click("#wizard-next");

        browser.waitUntil("the new device's page", "location.hash.startsWith('#/device/')", WAIT);
        deviceId = browser.eval("decodeURIComponent(location.hash.split('/')[2])").asText();
        JsonNode created = adminApi().get("/api/heatpumps/" + deviceId).json();
        assertEquals("Cellar", created.path("name").asText());
        assertEquals(sim.port(), created.path("connection_config").path("port").asInt());
        assertEquals("A", created.path("device_config").path("circuits").path(0).asText());
    }

    @Test
    @Order(4)
    void theDevicePageShowsLiveValuesThatMove() throws Exception {
        browser.waitFor("#device-values tr[data-sensor=temp_outside] td.value", WAIT);
        browser.waitUntil("device online", "!!document.querySelector('#device-status [data-state=online]')", WAIT);
        String firstPoll = browser.text("#last-poll");
        String firstValues = browser.text("#device-values");
        browser.waitUntil("a newer poll and changed values on screen",
                "document.querySelector('#last-poll').textContent !== " + HeadlessChromium.quote(firstPoll)
                        + " && document.querySelector('#device-values').textContent !== "
                        + HeadlessChromium.quote(firstValues), WAIT);
        String setpoint = browser.text("#device-values tr[data-sensor=" + DHW_SETPOINT + "] td.value");
        assertTrue(setpoint.contains("°C"), "values carry their unit: " + setpoint);
        assertTrue(browser.exists("#device-values details[data-category=temperature]"), "grouped by category");
        // gateway.ml runs in the gateway: the anomaly card lists events or says there are none, never "not running"
        browser.waitFor("#device-anomalies #no-anomalies, #device-anomalies #anomalies", WAIT);
        // the history export: one sensor chosen, the download link streams its stored values as CSV
        browser.waitFor("#export-link", WAIT);
        browser.eval("(() => { const s = document.querySelector('#export-sensors');"
                + " s.querySelector('option[value=temp_outside]').selected = true;"
                + " s.dispatchEvent(new Event('change')); })()");
        String href = browser.eval("document.querySelector('#export-link').href").asText();
        assertTrue(href.contains("/api/export/" + deviceId + "?") && href.contains("sensors=temp_outside")
                && href.contains("format=csv"), href);
        Await.until("the export link returns stored rows of temp_outside", WAIT, () -> {
            String csv = browser.eval("fetch(document.querySelector('#export-link').href).then(r => r.text())").asText();
            return csv.lines().skip(1).anyMatch(l -> l.contains("temp_outside"));
        });
        shot("07-device-page-desktop");
        browser.viewport(390, 844, true);
        shot("08-device-page-phone");
        browser.viewport(1280, 900, false);
    }

    @Test
    @Order(5)
    void aSetpointChangeIsConfirmedWithOldAndNewValueAndAudited() throws Exception {
        browser.navigate(base + "/console/#/control/" + deviceId);
        browser.waitFor("#write-enabled", WAIT);
        browser.click("#write-enabled");
        browser.waitUntil("writes switched on", "document.querySelector('#write-enabled').checked", WAIT);
        String row = "#control-list tr[data-sensor=" + DHW_SETPOINT + "]";
        // the controls are drawn again once the switch is stored: only then is "Set" enabled
        browser.waitUntil("the setpoint's current value and an enabled Set button", "!!document.querySelector('" + row
                + " td.value') && /\\d/.test(document.querySelector('" + row + " td.value').textContent)"
                + " && !document.querySelector('" + row + " button[type=submit]').disabled", WAIT);
        double current = sim.value(DHW_SETPOINT);
        double target = current >= 90 ? current - 2 : current + 2;
        browser.type(row + " .control-input", Long.toString(Math.round(target)));
        browser.click(row + " button[type=submit]");
        String question = browser.waitFor("dialog.confirm .confirm-text", WAIT);
        assertTrue(question.contains(Long.toString(Math.round(current))) && question.contains(Long.toString(Math.round(target))),
                "the confirmation states old and new value: " + question);
        browser.viewport(390, 844, true);
        shot("09-control-confirm-phone");
        browser.viewport(1280, 900, false);
        assertEquals(0, sim.writeCount(DHW_SETPOINT), "nothing is written before the confirmation");
        browser.click("dialog.confirm .confirm-ok");
        Await.until("the write reached the simulator", WAIT, () -> sim.writeCount(DHW_SETPOINT) == 1);
        assertEquals(target, sim.value(DHW_SETPOINT), 1e-9);
        browser.waitFor("#audit tr[data-sensor=" + DHW_SETPOINT + "]", WAIT);
        String audit = browser.text("#audit tr[data-sensor=" + DHW_SETPOINT + "]");
        assertTrue(audit.contains(ADMIN) && audit.contains("ok"), "audit row names who and the result: " + audit);
        shot("10-control-audited");
    }

    @Test
    @Order(6)
    void dashboardsShowTheDriversDefaultAndAUserDashboardCanBeBuilt() throws Exception {
        browser.navigate(base + "/console/#/dashboards/" + deviceId);
        browser.waitFor("#dashboard .widget", WAIT);
        browser.waitUntil("a line chart drawn by uPlot or the empty-history note",
                "!!document.querySelector('#dashboard .uplot canvas') || document.querySelector('#dashboard').textContent.includes('No history yet')", WAIT);
        int widgets = browser.eval("document.querySelectorAll('#dashboard .widget').length").asInt();
        assertTrue(widgets > 0, "the default dashboard has the driver's charts");
        shot("11-default-dashboard");

        browser.click("#new-dashboard");
        browser.waitFor("#dashboard .editor", WAIT);
        browser.eval("(() => { const f = document.querySelector('#dashboard .editor');"
                + " f.querySelector('input').value = 'Hot water';"
                + " f.querySelectorAll('select')[0].value = 'gauge';"
                + " const o = [...f.querySelectorAll('select')[1].options].find(o => o.value === '" + DHW_SETPOINT + "'); o.selected = true; })()");
        browser.click("#dashboard .editor button[type=submit]");
        browser.waitUntil("the new widget on the new dashboard",
                "document.querySelectorAll('#dashboard .widget').length === " + (widgets + 1), WAIT);
        browser.waitFor("#dashboard .widget:last-child svg.gauge", WAIT);
        assertEquals("Hot water", browser.text("#dashboard .widget:last-child h3"));
        JsonNode stored = adminApi().get("/api/dashboards?heatpump_id=" + deviceId).json();
        assertEquals(2, stored.size(), "the driver's default and the new one are stored: " + stored);
        String name = browser.eval("document.querySelector('#dashboard-tabs .tab.active').textContent").asText();
        JsonNode created = null;
        for (JsonNode d : stored) {
            if (d.path("name").asText().equals(name)) {
                created = d;
            }
        }
        assertEquals(widgets + 1, created == null ? -1 : created.path("config").path("charts").size(), stored.toString());
        shot("12-user-dashboard-edit");

        browser.click("#dashboard .widget:last-child button[title=Up]");
        browser.waitUntil("the gauge moved up one place",
                "document.querySelector('#dashboard .widgets .widget:nth-last-child(2)')?.dataset.type === 'gauge'", WAIT);
        Await.until("the new order stored", WAIT, () -> {
            for (JsonNode d : adminApi().get("/api/dashboards?heatpump_id=" + deviceId).json()) {
                JsonNode charts = d.path("config").path("charts");
                if (d.path("name").asText().equals(name) && charts.size() == widgets + 1) {
                    return charts.get(widgets - 1).path("type").asText().equals("gauge");
                }
            }
            return false;
        });
    }

    @Test
    @Order(7)
    void aDriverBundleUploadedThroughTheConsoleIsInstalledAndStarted() throws Exception {
        browser.navigate(base + "/console/#/bundles");
        browser.waitFor("#upload-form", WAIT);
        assertFalse(adminApi().get("/api/manufacturers").body().contains("luxtronik"), "not there before the upload");
        Path jar = Path.of(context.getProperty("gateway.itest.bundled"), "gateway.driver.luxtronik.jar");
        browser.setFile("#bundle-file", jar);
        browser.click("#upload-button");
        browser.waitFor("#bundle-list tr[data-bundle='gateway.driver.luxtronik']", WAIT);
        Await.until("the uploaded driver offers its model", WAIT,
                () -> adminApi().get("/api/manufacturers").body().contains("luxtronik"));
        String row = browser.text("#bundle-list tr[data-bundle='gateway.driver.luxtronik']");
        assertTrue(row.toLowerCase().contains("active"), row);
        shot("13-bundles");
    }

    @Test
    @Order(8)
    void aViewerSeesValuesButNoWriteControls() throws Exception {
        browser.navigate(base + "/console/#/users");
        browser.waitFor("#new-user-form", WAIT);
        browser.type("#new-user-name", "guest");
        browser.type("#new-user-password", VIEWER_PASSWORD);
        browser.click("#new-user-form button[type=submit]");
        browser.waitFor("#user-list tr[data-user=guest]", WAIT);
        shot("14-users");
        browser.click("#logout");
        browser.waitFor("#login-form", WAIT);
        browser.type("#login-user", "guest");
        browser.type("#login-password", VIEWER_PASSWORD);
        browser.click("#login-form button[type=submit]");
        browser.waitFor("#device-list [data-device]", WAIT);
        assertFalse(browser.exists("#add-device"), "no add button for a viewer");
        assertFalse(browser.exists("[data-nav=bundles]") || browser.exists("[data-nav=users]"), "no admin pages");

        browser.navigate(base + "/console/#/control/" + deviceId);
        browser.waitFor("#read-only-note", WAIT);
        browser.waitFor("#control-list tr[data-sensor=" + DHW_SETPOINT + "]", WAIT);
        assertEquals(0, browser.eval("document.querySelectorAll('#page input, #page select, #page form, #page button').length").asInt(),
                "no input, form or button on a viewer's control page");
        shot("15-viewer-control");

        browser.navigate(base + "/console/#/device/" + deviceId);
        browser.waitFor("#device-values tr[data-sensor=temp_outside]", WAIT);
        assertEquals(0, browser.eval("document.querySelectorAll('#page .actions button').length").asInt(),
                "no enable/delete for a viewer");
    }

    @Test
    @Order(9)
    void theConsoleSpeaksGerman() throws Exception {
        browser.eval("(() => { const s = document.querySelector('select.lang'); s.value = 'de'; s.dispatchEvent(new Event('change')); })()");
        browser.waitUntil("German navigation", "document.querySelector('[data-nav=devices]').textContent === 'Wärmepumpen'", WAIT);
        assertEquals("de", browser.eval("document.documentElement.lang").asText());
        shot("16-german");
        browser.eval("(() => { const s = document.querySelector('select.lang'); s.value = 'en'; s.dispatchEvent(new Event('change')); })()");
    }

    @Test
    @Order(10)
    void noScriptErrorsAndNoContentSecurityPolicyViolations() {
        assertEquals(List.of(), browser.problems, "JavaScript exceptions, CSP violations or console errors");
        ApiClient anonymous = new ApiClient(gateway.port, null, null);
        ApiClient.Response index = anonymous.get("/console/");
        assertEquals(200, index.status());
        assertTrue(index.contentType().startsWith("text/html"), index.contentType());
        assertNotEquals(-1, index.body().indexOf("js/app.js"));
    }
}
