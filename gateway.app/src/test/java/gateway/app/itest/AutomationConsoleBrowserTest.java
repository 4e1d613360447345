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
 * The console's jobs, alerts and notification pages in a real headless Chromium against gateway.jar, an IDM simulator
 * and a real HTTP receiver for the webhook: a channel is created and tested, a job is created through the device →
 * sensor → value choosers and run now, an alert created through its form fires and its event is acknowledged in the
 * history; the pages speak German; a viewer sees everything but no control that would change it. One story, in order.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutomationConsoleBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ADMIN_PASSWORD = "automation-Admin-pass-4417";
    private static final String VIEWER_PASSWORD = "automation-Viewer-pass-9032";
    private static final String WEBHOOK_SECRET = "hmac-secret-that-must-stay-hidden";
    /** IDM 1032 DHW setpoint: RW, 35–95 °C (fact sheet §4). */
    private static final String DHW_SETPOINT = "temp_water_target";
    /** IDM 1005 system mode: RW enum, 4 = hot water only (fact sheet). */
    private static final String SYSTEM_MODE = "status_system";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    private HeatpumpSimulator.Running sim;
    private GatewayProcess gateway;
    private HeadlessChromium browser;
    private WebhookReceiver receiver;
    private ApiClient admin;
    private Path screenshots;
    private String base;
    private String deviceId;
    private String channelId;
    private String jobId;

    @BeforeAll
    void start() throws Exception {
        HeatpumpSimulator idm = Await.value("IDM simulator service", WAIT, () -> simulators.getServices().stream()
                .filter(s -> s.manufacturerId().equals("idm")).findFirst().orElse(null));
        sim = idm.start(0, DeviceConfig.of(List.of("A"), List.of()));
        receiver = WebhookReceiver.open();
        Path data = Files.createTempDirectory("gateway-automation-console");
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
        if (receiver != null) {
            receiver.close();
        }
    }

    private void shot(String name) throws Exception {
        browser.settledScreenshot(screenshots.resolve(name + ".png"));
    }

    private void signIn(String user, String password) {
        browser.signIn(base + "/console/", user, password, "#who", WAIT);
    }

    private void select(String selector, String value) {
        browser.waitUntil(selector + " offers " + value, "!![...document.querySelector(" + HeadlessChromium.quote(selector)
                + ")?.options || []].find(o => o.value === " + HeadlessChromium.quote(value) + ")", WAIT);
        browser.type(selector, value);
    }

    @Test
    @Order(1)
    void aWebhookChannelIsCreatedItsSecretStaysHiddenAndTheTestReachesTheReceiver() throws Exception {
        signIn("admin", ADMIN_PASSWORD);
        browser.navigate(base + "/console/#/notifications");
        browser.click("#new-channel");
        select("#channel-type", "webhook");
        browser.type("#channel-name", "Home server");
        browser.type("#channel-form [data-setting=url]", receiver.url("/hook"));
        browser.type("#channel-form [data-setting=secret]", WEBHOOK_SECRET);
        assertEquals("password", browser.eval("document.querySelector('#channel-form [data-setting=secret]').type").asText());
        browser.click("#channel-form button[type=submit]");
        browser.waitFor("#channel-list tr[data-channel]", WAIT);
        channelId = browser.eval("document.querySelector('#channel-list tr[data-channel]').dataset.channel").asText();
        String row = "#channel-list tr[data-channel='" + channelId + "']";
        assertFalse(browser.text(row).contains(WEBHOOK_SECRET), "the secret is not shown: " + browser.text(row));
        assertFalse(browser.eval("document.documentElement.outerHTML").asText().contains(WEBHOOK_SECRET),
                "nor anywhere in the page");
        JsonNode stored = admin.get("/api/notifications/channels/" + channelId).json();
        assertEquals(receiver.url("/hook"), stored.path("settings").path("url").asText());

        browser.click(row + " [data-action=test]");
        browser.waitFor(row + " .test-result [data-delivered=true]", WAIT);
        Await.until("the test message at the receiver", WAIT, () -> receiver.requests.size() == 1);
        WebhookReceiver.Request test = receiver.requests.get(0);
        assertEquals("POST", test.method());
        assertEquals("/hook", test.path());
        assertEquals("Heatpump Gateway test", test.json().path("title").asText());
        assertNotNull(test.header("X-Gateway-Signature"), "signed with the stored secret: " + test.headers());
        shot("automation-01-channel-tested");

        // editing keeps the secret when its field is left empty: the edit form never holds it
        browser.click(row + " [data-action=edit]");
        browser.waitFor("#channel-form", WAIT);
        assertEquals("", browser.eval("document.querySelector('#channel-form [data-setting=secret]').value").asText());
        browser.type("#channel-name", "Home server (signed)");
        browser.click("#channel-form button[type=submit]");
        browser.waitUntil("the renamed channel", "document.querySelector(" + HeadlessChromium.quote(row)
                + ")?.textContent.includes('Home server (signed)')", WAIT);
        browser.click(row + " [data-action=test]");
        Await.until("a second test message", WAIT, () -> receiver.requests.size() == 2);
        assertEquals(test.header("X-Gateway-Signature").length(),
                receiver.requests.get(1).header("X-Gateway-Signature").length(), "still signed: the secret was kept");
    }

    @Test
    @Order(2)
    void aTestAgainstAReceiverThatIsDownSaysSo() throws Exception {
        int closedPort = GatewayProcess.freePort();
        ApiClient.Response r = admin.post("/api/notifications/channels", Map.of("type", "webhook", "name", "Nowhere",
                "settings", Map.of("url", "http://127.0.0.1:" + closedPort + "/hook")));
        assertEquals(201, r.status(), r.body());
        String id = r.json().get("id").asText();
        browser.navigate(base + "/console/#/jobs");
        browser.navigate(base + "/console/#/notifications");
        String row = "#channel-list tr[data-channel='" + id + "']";
        browser.click(row + " [data-action=test]");
        String failed = browser.waitFor(row + " .test-result [data-delivered=false]", WAIT);
        assertTrue(failed.startsWith("Not delivered"), failed);
        browser.click(row + " [data-action=delete]");
        browser.click("dialog.confirm .confirm-ok");
        browser.waitUntil("the channel gone", "!document.querySelector(" + HeadlessChromium.quote(row) + ")", WAIT);
        assertEquals(404, admin.get("/api/notifications/channels/" + id).status());
    }

    @Test
    @Order(3)
    void aJobIsCreatedThroughTheChoosersAndRunNowWritesThroughTheWritePath() throws Exception {
        browser.navigate(base + "/console/#/jobs");
        browser.click("#new-job");
        select("#job-device", deviceId);
        select("#job-sensor", SYSTEM_MODE);
        // an enum is chosen by its label; the key is stored
        browser.waitUntil("the mode's labels", "[...document.querySelectorAll('#job-value option')]"
                + ".some(o => o.textContent === 'Hot water only')", WAIT);
        assertEquals("select-one", browser.eval("document.querySelector('#job-value').type").asText());
        select("#job-value", "4");
        // a number for the setpoint instead: the value chooser follows the sensor
        select("#job-sensor", DHW_SETPOINT);
        browser.waitUntil("a number input for the setpoint", "document.querySelector('#job-value')?.type === 'number'"
                + " && document.querySelector('#job-value').min === '35'", WAIT);
        double current = sim.value(DHW_SETPOINT);
        long target = current >= 90 ? Math.round(current) - 3 : Math.round(current) + 3;
        browser.type("#job-value", Long.toString(target));
        browser.type("#job-time", "05:30");
        browser.click("#job-days input[data-day=mon]");
        browser.click("#job-days input[data-day=fri]");
        browser.type("#job-catch-up", "15");
        shot("automation-02-job-form");
        browser.click("#job-form button[type=submit]");
        browser.waitFor("#job-list tr[data-job]", WAIT);
        jobId = browser.eval("document.querySelector('#job-list tr[data-job]').dataset.job").asText();
        JsonNode job = admin.get("/api/jobs/" + jobId).json();
        assertEquals(deviceId, job.path("heatpump_id").asText());
        assertEquals(DHW_SETPOINT, job.path("sensor").asText());
        assertEquals(target, Double.parseDouble(job.path("value").asText()), 1e-9);
        assertEquals("05:30", job.path("time").asText());
        assertEquals(List.of("mon", "fri"), List.of(job.path("days").get(0).asText(), job.path("days").get(1).asText()));
        assertEquals(15, job.path("catch_up_minutes").asInt());
        String row = "#job-list tr[data-job='" + jobId + "']";
        assertFalse(browser.text(row + " td.next-run").equals("—"), "the next run is shown");

        assertEquals(0, sim.writeCount(DHW_SETPOINT));
        browser.click(row + " [data-action=run]");
        String question = browser.waitFor("dialog.confirm .confirm-text", WAIT);
        assertTrue(question.contains(Long.toString(target)), question);
        browser.click("dialog.confirm .confirm-ok");
        Await.until("the job's write reached the simulator", WAIT, () -> sim.writeCount(DHW_SETPOINT) == 1);
        assertEquals(target, sim.value(DHW_SETPOINT), 1e-9);
        browser.waitFor(row + " td.result [data-result=ok]", WAIT);
        assertFalse(browser.text(row + " td.last-run").equals("—"), "the last run is shown");
        JsonNode audit = admin.get("/api/audit?heatpump_id=" + deviceId + "&limit=20").json();
        JsonNode entry = null;
        for (JsonNode e : audit.isArray() ? audit : audit.path("entries")) {
            if (e.path("actor").asText().equals("job:" + jobId)) {
                entry = e;
            }
        }
        assertNotNull(entry, "the audit names the job: " + audit);
        assertEquals(DHW_SETPOINT, entry.path("sensor_id").asText());
        shot("automation-03-job-ran");
    }

    @Test
    @Order(4)
    void anAlertCreatedThroughItsFormFiresAndItsEventIsAcknowledged() throws Exception {
        browser.navigate(base + "/console/#/alerts");
        browser.waitFor("#alert-templates [data-template=hot_water_low]", WAIT);
        assertEquals(5, browser.eval("document.querySelectorAll('#alert-templates [data-template]').length").asInt());
        assertEquals(0, browser.eval("[...document.querySelectorAll('#alert-templates [data-template]')]"
                + ".filter(t => !t.querySelector('[data-action=use]') && !t.querySelector('.reason')).length").asInt(),
                "each template can be used or says why not");
        // a template fills the form with its sensor and rule
        browser.click("#alert-templates [data-template=hot_water_low] [data-action=use]");
        browser.waitFor("#alert-form", WAIT);
        assertEquals("Hot water below 40 °C", browser.eval("document.querySelector('#alert-name').value").asText());
        assertEquals("<", browser.eval("document.querySelector('#alert-condition').value").asText());
        browser.waitUntil("the template's sensor chosen",
                "document.querySelector('#alert-sensor').value === 'temp_water_heater_top'", WAIT);
        browser.click("#alert-form button.secondary");

        long setpoint = Math.round(sim.value(DHW_SETPOINT));
        browser.click("#new-alert");
        browser.type("#alert-name", "Setpoint high");
        select("#alert-type", "threshold");
        select("#alert-device", deviceId);
        select("#alert-sensor", DHW_SETPOINT);
        browser.waitFor("#alert-threshold", WAIT);
        select("#alert-condition", ">");
        browser.type("#alert-threshold", Long.toString(setpoint - 1));
        browser.type("#alert-hysteresis", "2");
        browser.type("#alert-for", "0");
        browser.eval("(() => { const s = document.querySelector('#alert-channels');"
                + " [...s.options].forEach(o => o.selected = o.value === '" + channelId + "'); })()");
        assertTrue(browser.eval("document.querySelector('[data-field=states]').hidden").asBoolean(),
                "device states belong to another type");
        shot("automation-04-alert-form");
        browser.click("#alert-form button[type=submit]");
        browser.waitFor("#alert-list tr[data-alert]", WAIT);
        String alertId = browser.eval("document.querySelector('#alert-list tr[data-alert]').dataset.alert").asText();
        JsonNode alert = admin.get("/api/alerts/" + alertId).json();
        assertEquals("threshold", alert.path("type").asText());
        assertEquals(">", alert.path("condition").asText());
        assertEquals(setpoint - 1, Double.parseDouble(alert.path("threshold").asText()), 1e-9);
        assertEquals(2.0, alert.path("hysteresis").asDouble(), 1e-9);
        assertEquals(channelId, alert.path("channels").get(0).asText());

        Await.until("the alert's notification at the receiver", WAIT,
                () -> receiver.requests.stream().anyMatch(r -> r.json().path("title").asText().equals("Alert: Setpoint high")));
        String fired = "#alert-events tr[data-kind=fired]";
        browser.waitFor(fired + " [data-action=ack]", Duration.ofSeconds(45));
        String eventId = browser.eval("document.querySelector('" + fired + "').dataset.event").asText();
        browser.click(fired + " [data-action=ack]");
        browser.waitFor("#alert-events tr[data-event='" + eventId + "'] td.ack small", WAIT);
        assertTrue(browser.text("#alert-events tr[data-event='" + eventId + "'] td.ack").contains("admin"));
        JsonNode events = admin.get("/api/alerts/events?heatpump_id=" + deviceId).json().path("events");
        JsonNode acked = null;
        for (JsonNode e : events) {
            if (e.path("id").asText().equals(eventId)) {
                acked = e;
            }
        }
        assertNotNull(acked, events.toString());
        assertTrue(acked.path("acknowledged").asBoolean());
        assertEquals("admin", acked.path("acknowledged_by").asText());
        shot("automation-05-alert-acknowledged");
    }

    @Test
    @Order(5)
    void theTimeZoneIsSetOnTheSettingsPage() throws Exception {
        browser.navigate(base + "/console/#/settings");
        browser.type("#time-zone-input", "Asia/Kathmandu");
        browser.click("#time-zone-form button[type=submit]");
        // the form is drawn again from the stored settings
        browser.waitFor("#time-zone-form[data-zone='Asia/Kathmandu']", WAIT);
        assertEquals("Asia/Kathmandu", admin.get("/api/settings").json().path("time_zone").asText());
        browser.type("#time-zone-input", "Mars/Olympus_Mons");
        browser.click("#time-zone-form button[type=submit]");
        String error = browser.waitFor("#time-zone-form .error", WAIT);
        assertTrue(error.contains("time_zone"), "the field is named: " + error);
        assertEquals("Asia/Kathmandu", admin.get("/api/settings").json().path("time_zone").asText());
    }

    @Test
    @Order(5)
    void theMqttBridgeIsConfiguredOnTheSettingsPageAndItsPasswordNeverComesBack() throws Exception {
        browser.navigate(base + "/console/#/settings");
        browser.waitFor("#mqtt-form", WAIT);
        browser.type("#mqtt-broker-url", "http://127.0.0.1:1");
        browser.click("#mqtt-form button[type=submit]");
        String error = browser.waitFor("#mqtt-form .error", WAIT);
        assertTrue(error.contains("broker_url"), "the field is named: " + error);

        // a broker nobody listens on: stored, and the bridge says it cannot reach it
        browser.type("#mqtt-broker-url", "tcp://127.0.0.1:1");
        browser.type("#mqtt-password", "mqtt-console-s3cret");
        browser.click("#mqtt-form button[type=submit]");
        Await.until("the bridge tries the broker from the console's settings", WAIT,
                () -> admin.get("/api/mqtt").json().path("state").asText().equals("unreachable"));
        var stored = admin.get("/api/mqtt/settings");
        assertEquals("tcp://127.0.0.1:1", stored.json().path("broker_url").asText());
        assertTrue(stored.json().path("password_set").asBoolean());
        assertFalse(stored.body().contains("mqtt-console-s3cret"));
        // the page follows the bridge's state on its own (a navigation to the same hash would not reload it)
        browser.waitUntil("the settings page shows the bridge's state",
                "document.querySelector('#mqtt-state')?.textContent === 'unreachable'", WAIT);
        assertFalse(browser.eval("document.documentElement.outerHTML").asText().contains("mqtt-console-s3cret"));
        shot("automation-05b-mqtt");
        // off again, so the later tests meet no reconnecting bridge
        admin.put("/api/mqtt/settings", "{\"broker_url\": \"\"}");
    }

    @Test
    @Order(6)
    void thePagesSpeakGerman() throws Exception {
        browser.navigate(base + "/console/#/jobs");
        browser.waitFor("#job-list tr[data-job]", WAIT);
        browser.eval("(() => { const s = document.querySelector('select.lang'); s.value = 'de'; s.dispatchEvent(new Event('change')); })()");
        browser.waitUntil("German job headers", "document.querySelector('#job-list thead')?.textContent.includes('Nächste Ausführung')", WAIT);
        assertEquals("Jetzt ausführen", browser.text("#job-list [data-action=run]"));
        assertEquals("Benachrichtigungen", browser.text("[data-nav=notifications]"));
        browser.navigate(base + "/console/#/alerts");
        browser.waitUntil("German alert page", "document.querySelector('#alert-list thead')?.textContent.includes('Bedingung')"
                + " && document.querySelector('[data-template=hot_water_low] strong')?.textContent === 'Warmwasser unter 40 °C'", WAIT);
        browser.navigate(base + "/console/#/notifications");
        browser.waitUntil("German outbox", "document.querySelector('#page')?.textContent.includes('Postausgang')", WAIT);
        shot("automation-06-german");
        browser.eval("(() => { const s = document.querySelector('select.lang'); s.value = 'en'; s.dispatchEvent(new Event('change')); })()");
    }

    @Test
    @Order(7)
    void aViewerSeesJobsAlertsAndChannelsButNoControlThatChangesThem() throws Exception {
        assertEquals(201, admin.post("/api/users", Map.of("name", "guest", "password", VIEWER_PASSWORD, "role", "viewer"))
                .status());
        browser.click("#logout");
        signIn("guest", VIEWER_PASSWORD);
        // the filters (which device, which outbox state) are the only controls; nothing that changes anything
        String controls = "[...document.querySelectorAll('#page button, #page form, #page input, #page textarea, #page select')]"
                + ".filter(e => !['template-device', 'event-device', 'outbox-state'].includes(e.id)).map(e => e.outerHTML)";

        browser.navigate(base + "/console/#/jobs");
        browser.waitFor("#job-list tr[data-job]", WAIT);
        browser.waitFor("#read-only-note", WAIT);
        assertEquals("[]", browser.eval(controls).toString(), "no job controls for a viewer");

        browser.navigate(base + "/console/#/alerts");
        browser.waitFor("#alert-list tr[data-alert]", WAIT);
        browser.waitFor("#alert-events tr[data-event]", WAIT);
        browser.waitFor("#alert-templates [data-template]", WAIT);
        assertEquals("[]", browser.eval(controls).toString(), "no alert controls for a viewer");

        browser.navigate(base + "/console/#/notifications");
        browser.waitFor("#channel-list tr[data-channel]", WAIT);
        browser.waitFor("#outbox tr[data-outbox]", WAIT);
        assertEquals("[]", browser.eval(controls).toString(), "no channel controls for a viewer");
        assertFalse(browser.eval("document.documentElement.outerHTML").asText().contains(WEBHOOK_SECRET));

        browser.navigate(base + "/console/#/settings");
        browser.waitFor("#time-zone-value", WAIT);
        assertEquals("Asia/Kathmandu", browser.text("#time-zone-value"));
        assertFalse(browser.exists("#time-zone-input"));
        assertFalse(browser.exists("#mqtt-form"), "the MQTT settings are for admins");
        shot("automation-07-viewer");
    }

    @Test
    @Order(8)
    void noScriptErrors() {
        assertEquals(List.of(), browser.problems, "JavaScript exceptions, CSP violations or console errors");
    }
}
