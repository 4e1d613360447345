package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
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
import org.osgi.test.junit5.context.BundleContextExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 16, dashboards, in a real headless Chromium at 1366 px against gateway.jar with {@code --demo}: the IDM
 * driver's default dashboard shows its "Heat energy" bars and its "Status" state timeline as what they are (they were
 * line and stat before), a heatmap widget added through the editor fills from the demo's history, an existing widget
 * edited (title, sensors, kind, options) stays so after a reload, and the dashboard's one range picker sets the range
 * of every chart, is remembered, and line charts grow with the event stream.
 */
@ExtendWith(BundleContextExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardsBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ADMIN_PASSWORD = "dashboards-Admin-pass-5521";
    private static final List<String> STATUS = List.of("status_heat_pump", "status_system", "state_compressor_1",
            "failure_heat_pump");
    private static final List<String> HEAT = List.of("energy_heat_heating", "energy_heat_total_water",
            "energy_heat_total");
    /** Every element that shows a range of time says it in data-from / data-to (ms). */
    private static final String RANGED = "#dashboard .widget :is(.chart-plot, .bar-chart[data-mode=period],"
            + " .state-timeline, table.heatmap)[data-from]";

    @InjectBundleContext
    BundleContext context;

    private GatewayProcess gateway;
    private HeadlessChromium browser;
    private ApiClient admin;
    private String base;
    private String idm;
    private JsonNode sensors;
    private String dashboardId;
    private Path screenshots;

    @BeforeAll
    void start() throws Exception {
        Path data = Files.createTempDirectory("gateway-dashboards");
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data,
                Map.of("GATEWAY_ADMIN_PASSWORD", ADMIN_PASSWORD), "--demo");
        base = "http://127.0.0.1:" + gateway.port;
        admin = new ApiClient(gateway.port, "admin", ADMIN_PASSWORD);
        JsonNode pump = Await.value("the demo's IDM pump", WAIT, () -> {
            for (JsonNode d : admin.get("/api/heatpumps").json()) {
                if (d.get("manufacturer").asText().equals("idm")) {
                    return d;
                }
            }
            return null;
        });
        idm = pump.get("id").asText();
        // a poll a second, so history and live values come within the test's patience
        assertEquals(200, admin.put("/api/heatpumps/" + idm, Map.of("poll_interval", 1)).status());
        sensors = admin.get("/api/heatpumps/" + idm).json().get("sensors");
        dashboardId = Await.value("the IDM default dashboard stored", WAIT, () -> {
            JsonNode list = admin.get("/api/dashboards?heatpump_id=" + idm).json();
            return list.size() > 0 ? list.get(0).get("id").asText() : null;
        });
        // the widgets read history: wait until the sensors they show have some
        for (String sensor : List.of("status_heat_pump", "energy_heat_total", outdoor())) {
            Await.until("history of " + sensor, WAIT, () -> admin.get("/api/history/" + idm + "?sensor=" + sensor
                    + "&points=10").json().path("points").size() > 0);
        }
        screenshots = Path.of(context.getProperty("gateway.itest.jar")).getParent().resolve("screenshots");
        Files.createDirectories(screenshots);
        browser = HeadlessChromium.start();
        browser.viewport(1366, 900, false);
        browser.navigate(base + "/console/");
        browser.waitFor("#login-form", WAIT);
        browser.type("#login-user", "admin");
        browser.type("#login-password", ADMIN_PASSWORD);
        browser.click("#login-form button[type=submit]");
        browser.waitFor("#page", WAIT);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private String outdoor() throws Exception {
        return admin.get("/api/heatpumps/" + idm).json().path("roles").path("outdoor_temperature").asText();
    }

    /** A fresh page load of a link, as a reload or a bookmark does. */
    private void open(String hash) {
        browser.navigate("about:blank");
        browser.waitUntil("the blank page", "location.href === 'about:blank'", WAIT);
        browser.navigate(base + "/console/" + hash);
    }

    private void shot(String name) throws IOException {
        browser.screenshot(screenshots.resolve(name + ".png"));
    }

    private static String q(String s) {
        return HeadlessChromium.quote(s);
    }

    /** The widget with this title, as a selector expression evaluated in the page. */
    private static String widget(String title) {
        return "[...document.querySelectorAll('#dashboard .widget')].find(w => w.querySelector('h3')?.textContent === "
                + q(title) + ")";
    }

    /** Enum labels as the console shows them (a key like hot_water as words), plus On/Off. */
    private Set<String> labelsOf(String sensor) {
        Set<String> out = new HashSet<>(List.of("On", "Off"));
        for (JsonNode s : sensors) {
            if (s.get("id").asText().equals(sensor)) {
                s.path("enum_values").forEach(v -> {
                    String text = v.asText();
                    out.add(text.matches("[a-z][a-z0-9_]*") ? Character.toUpperCase(text.charAt(0))
                            + text.substring(1).replace('_', ' ') : text);
                });
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void theDriversBarAndStateWidgetsAreDrawnAsBarsAndAStateTimeline() throws Exception {
        open("#/dashboards/" + idm);
        browser.waitFor("#dashboard .widget", WAIT);
        browser.waitUntil("the heat energy bars", widget("Heat energy") + "?.querySelector('.bar-chart') != null", WAIT);
        assertEquals("bar", browser.eval(widget("Heat energy") + ".dataset.type").asText());
        // meters (kWh): values per period, one bar per sensor in each period, the legend naming each with its unit
        assertEquals("period", browser.eval(widget("Heat energy") + ".querySelector('.bar-chart').dataset.mode").asText());
        int groups = browser.eval(widget("Heat energy") + ".querySelectorAll('.bar-group').length").asInt();
        // 24 h in hours: 24 periods, 25 while the range starts inside an hour
        assertTrue(groups == 24 || groups == 25, "hourly bars over 24 h: " + groups);
        assertEquals(groups * HEAT.size(), browser.eval(widget("Heat energy") + ".querySelectorAll('.bar').length").asInt());
        assertTrue(browser.eval(widget("Heat energy") + ".querySelectorAll('.bar[data-value]:not([data-value=\"\"])')"
                + ".length").asInt() >= HEAT.size(), "the current hour has a value for every meter");
        JsonNode legend = browser.eval("[..." + widget("Heat energy") + ".querySelectorAll('.legend-item')].map(e => e.textContent)");
        assertEquals(HEAT.size(), legend.size(), legend.toString());
        legend.forEach(l -> assertTrue(l.asText().contains("(kWh)"), "the unit in the legend: " + l));

        browser.waitUntil("the status timeline", widget("Status") + "?.querySelector('.state-timeline') != null", WAIT);
        assertEquals("state", browser.eval(widget("Status") + ".dataset.type").asText());
        JsonNode rows = browser.eval("[..." + widget("Status") + ".querySelectorAll('.state-row')].map(r => r.dataset.sensor)");
        assertEquals(STATUS.size(), rows.size(), rows.toString());
        for (String sensor : List.of("status_heat_pump", "state_compressor_1", "failure_heat_pump")) {
            JsonNode bands = browser.eval("[..." + widget("Status") + ".querySelectorAll('.state-row[data-sensor=" + sensor
                    + "] .state-band')].map(b => [b.dataset.label, b.textContent, b.dataset.start, b.dataset.end])");
            assertTrue(bands.size() >= 1, sensor + " has at least one band");
            Set<String> allowed = labelsOf(sensor);
            long previousEnd = 0;
            for (JsonNode b : bands) {
                String label = b.get(0).asText();
                assertEquals(label, b.get(1).asText(), "each band is labelled with its state");
                // a bit field shows the names of the set bits joined
                for (String part : label.split(" \\+ ")) {
                    assertTrue(allowed.contains(part), sensor + ": '" + label + "' is one of " + allowed);
                }
                assertTrue(b.get(2).asLong() >= previousEnd, "bands follow each other: " + bands);
                previousEnd = b.get(3).asLong();
            }
        }
        shot("50-dashboard-bars-states");
        assertEquals(List.of(), browser.problems);
    }

    @Test
    @Order(2)
    void aHeatmapWidgetAddedInTheEditorShowsHoursByDay() throws Exception {
        String sensor = outdoor();
        browser.click("#edit-dashboard");
        browser.waitFor("#widget-editor[data-mode=add]", WAIT);
        browser.type("#widget-title", "Outdoor by hour");
        browser.type("#widget-type", "heatmap");
        browser.eval("[...document.querySelector('#widget-sensors').options].find(o => o.value === " + q(sensor)
                + ").selected = true");
        browser.click("#widget-save");
        browser.waitUntil("the heatmap drawn", widget("Outdoor by hour") + "?.querySelector('table.heatmap') != null", WAIT);
        String table = widget("Outdoor by hour") + ".querySelector('table.heatmap')";
        // 24 h reach into yesterday: two days as rows, 24 hours as columns
        assertEquals(2, browser.eval(table + ".tBodies[0].rows.length").asInt());
        assertEquals(List.of(24, 24), List.of(browser.eval(table + ".tBodies[0].rows[0].querySelectorAll('td').length").asInt(),
                browser.eval(table + ".tBodies[0].rows[1].querySelectorAll('td').length").asInt()));
        JsonNode hours = browser.eval("[..." + table + ".tHead.querySelectorAll('th')].map(e => e.textContent).filter(x => x)");
        assertEquals("[\"0\",\"3\",\"6\",\"9\",\"12\",\"15\",\"18\",\"21\"]", hours.toString());
        assertTrue(browser.eval(table + ".tBodies[0].rows[1].querySelector(`td[data-hour=\"${new Date().getHours()}\"]`)"
                + ".dataset.value !== undefined").asBoolean(), "this hour of today has a value");
        String title = browser.eval(table + ".querySelector('td[data-value]').title").asText();
        assertTrue(title.contains("°C"), "a cell names its value with the unit: " + title);
        assertEquals(browser.eval(table + ".dataset.cells").asInt(),
                browser.eval(table + ".querySelectorAll('td[data-value]').length").asInt());
        Await.until("the heatmap stored", WAIT, () -> admin.get("/api/dashboards/" + dashboardId).json()
                .path("config").path("charts").toString().contains("\"heatmap\""));
        shot("51-dashboard-heatmap");
        assertEquals(List.of(), browser.problems);
    }

    @Test
    @Order(3)
    void anEditedWidgetKeepsItsTitleSensorsKindAndOptionsAfterAReload() throws Exception {
        // "Hot water tank" is a gauge of the tank's top: it becomes bars of the tank's top and bottom, now
        browser.waitUntil("the gauge", widget("Hot water tank") + "?.dataset.type === 'gauge'", WAIT);
        browser.eval(widget("Hot water tank") + ".querySelector('.edit-widget').click()");
        browser.waitFor("#widget-editor[data-mode=edit]", WAIT);
        assertEquals("Hot water tank", browser.eval("document.querySelector('#widget-title').value").asText(),
                "the editor shows the widget");
        assertEquals("gauge", browser.eval("document.querySelector('#widget-type').value").asText());
        browser.type("#widget-title", "Tank top and bottom");
        browser.type("#widget-type", "bar");
        browser.eval("[...document.querySelector('#widget-sensors').options].find(o => o.value ==="
                + " 'temp_water_heater_bottom').selected = true");
        browser.type("#widget-bar-mode", "current");
        browser.click("#widget-save");
        browser.waitUntil("the edited widget", widget("Tank top and bottom") + "?.dataset.type === 'bar'", WAIT);

        open("#/dashboards/" + idm);
        browser.waitUntil("the edited widget after a reload", widget("Tank top and bottom")
                + "?.querySelectorAll('.bar').length === 2", WAIT);
        assertTrue(browser.eval(widget("Hot water tank") + " === undefined").asBoolean(), "no gauge left behind");
        assertEquals("current", browser.eval(widget("Tank top and bottom") + ".querySelector('.bar-chart').dataset.mode").asText());
        JsonNode values = browser.eval("[..." + widget("Tank top and bottom") + ".querySelectorAll('.bar-value')].map(e => e.textContent)");
        assertEquals(2, values.size());
        values.forEach(v -> assertTrue(v.asText().matches(".*\\d.*°C"), "a value with its unit: " + v));
        JsonNode stored = null;
        for (JsonNode c : admin.get("/api/dashboards/" + dashboardId).json().path("config").path("charts")) {
            if (c.path("title").asText().equals("Tank top and bottom")) {
                stored = c;
            }
        }
        assertEquals("bar", stored.path("type").asText(), String.valueOf(stored));
        assertEquals(Set.of("temp_water_heater_top", "temp_water_heater_bottom"),
                Set.of(stored.path("sensors").get(0).asText(), stored.path("sensors").get(1).asText()));
        assertEquals(2, stored.path("sensors").size());
        assertEquals("current", stored.path("options").path("bars").asText());
        assertEquals(List.of(), browser.problems);
    }

    @Test
    @Order(4)
    void theSharedRangeSetsEveryChartIsRememberedAndLineChartsGoLive() throws Exception {
        int lines = browser.eval("document.querySelectorAll('#dashboard .widget[data-type=line]').length").asInt();
        assertTrue(lines >= 2, "the IDM dashboard has line charts: " + lines);
        // the line charts, the heat energy bars, the state timeline and the heatmap
        int charts = lines + 3;
        browser.waitUntil("every chart drawn", "document.querySelectorAll(" + q(RANGED) + ").length === " + charts, WAIT);
        assertTrue(spans().stream().allMatch(s -> Math.abs(s - 86_400_000L) < 60_000), "24 h at first: " + spans());

        browser.click("#dashboard-range [data-range='7d']");
        browser.waitUntil("every chart over seven days", everySpan(7 * 86_400_000L, charts), WAIT);
        assertEquals(8, browser.eval("document.querySelectorAll('#dashboard table.heatmap tbody tr').length").asInt(),
                "a heatmap row a day, today included");
        browser.click("#dashboard-range [data-range='1h']");
        browser.waitUntil("every chart over one hour", everySpan(3_600_000L, charts), WAIT);
        assertEquals("true", browser.eval("document.querySelector(\"#dashboard-range [data-range='1h']\")"
                + ".getAttribute('aria-pressed')").asText());
        browser.waitUntil("the states of the last hour", "[...document.querySelectorAll('#dashboard .state-row')]"
                + ".filter(r => r.querySelector('.state-band')).length === " + STATUS.size(), WAIT);
        String axes = browser.eval("[...document.querySelectorAll('#dashboard .chart-plot')].map(p => p.dataset.axes)"
                + ".join(';')").asText();
        assertTrue(axes.contains("°C") && axes.contains("kW"), "y axes carry their units: " + axes);

        // a custom range: the two hours up to an hour ago, for every chart, and not remembered (a preset is)
        browser.click("#dashboard-range [data-range='custom']");
        browser.waitFor("#dashboard-range-custom #dashboard-range-from", WAIT);
        browser.eval("(() => { const local = d => new Date(d - new Date().getTimezoneOffset() * 60000).toISOString()"
                + ".slice(0, 16); const now = Date.now();"
                + " document.querySelector('#dashboard-range-from').value = local(now - 3 * 3600000);"
                + " document.querySelector('#dashboard-range-to').value = local(now - 3600000); })()");
        browser.click("#dashboard-range-custom button[type=submit]");
        browser.waitUntil("every chart over the custom two hours", everySpan(7_200_000L, charts), WAIT);
        assertTrue(browser.eval("[...document.querySelectorAll(" + q(RANGED) + ")].every(e => Date.now() - e.dataset.to"
                + " > 3000000)").asBoolean(), "the custom range ends an hour ago: " + spans());

        open("#/dashboards/" + idm);
        browser.waitUntil("the remembered hour after a reload", everySpan(3_600_000L, charts), WAIT);
        browser.waitUntil("line charts grown with the event stream", "[...document.querySelectorAll("
                + "'#dashboard .chart-plot')].every(p => Number(p.dataset.live || 0) >= 2)", WAIT);
        shot("52-dashboard-one-hour");
        assertEquals(List.of(), browser.problems);
    }

    @Test
    @Order(5)
    void onAPhoneInTheDarkThemeTheDashboardFitsAndTheWidgetsTakeTheDarkPalette() throws Exception {
        browser.viewport(390, 844, true);
        browser.eval("localStorage.setItem('gw.theme', 'dark')");
        open("#/dashboards/" + idm);
        browser.waitUntil("bands, bars and cells drawn", "!!document.querySelector('#dashboard .state-band.series-1')"
                + " && !!document.querySelector('#dashboard .bar.series-1') && !!document.querySelector('#dashboard td[data-value]')",
                WAIT);
        assertEquals("dark", browser.eval("document.documentElement.dataset.theme").asText());
        // --chart-1 of the dark palette (#5fd3a0), not the light one (#0b6e4f)
        assertEquals("rgb(95, 211, 160)", browser.eval("getComputedStyle(document.querySelector("
                + "'#dashboard .state-band.series-1')).borderLeftColor").asText());
        assertEquals("rgb(95, 211, 160)", browser.eval("getComputedStyle(document.querySelector("
                + "'#dashboard .bar.series-1')).backgroundColor").asText());
        assertTrue(browser.eval("document.documentElement.scrollWidth <= 390").asBoolean(), "too wide: "
                + browser.eval("[...document.querySelectorAll('#dashboard *')].filter(e => !e.closest('.scroll, .bar-chart')"
                + " && e.getBoundingClientRect().right > 390.5).slice(-8).map(e => e.tagName + '.' + e.className + ' '"
                + " + Math.round(e.getBoundingClientRect().right))"));
        shot("53-dashboard-phone-dark");
        assertEquals(List.of(), browser.problems);
    }

    private List<Long> spans() {
        JsonNode s = browser.eval("[...document.querySelectorAll(" + q(RANGED) + ")].map(e => e.dataset.to - e.dataset.from)");
        List<Long> out = new java.util.ArrayList<>();
        s.forEach(x -> out.add(x.asLong()));
        return out;
    }

    private static String everySpan(long ms, int charts) {
        return "(() => { const all = [...document.querySelectorAll(" + q(RANGED) + ")]; return all.length === " + charts
                + " && all.every(e => Math.abs(e.dataset.to - e.dataset.from - " + ms + ") < 60000); })()";
    }
}
