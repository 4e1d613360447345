package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 16, the device page and the energy view, in a real headless Chromium at a phone's 390 px against gateway.jar
 * with {@code --demo} (the simulated pumps of every bundled driver): key values with their units, the chart's range
 * picker, a live value, editing the pump (a bad port refused by the connection test before anything is saved), the
 * energy bars and the CSV export. It measures the time to the first value and to the first live value on the device
 * page and the console's first load in gzipped bytes (printed as FIGURE lines and kept in target/figures).
 */
@ExtendWith(BundleContextExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeviceEnergyBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ADMIN_PASSWORD = "device-Admin-pass-8841";
    /** The console's first load (shell, styles, scripts before any page module) must stay below this, gzipped. */
    private static final int FIRST_LOAD_LIMIT = 60 * 1024;

    @InjectBundleContext
    BundleContext context;

    private GatewayProcess gateway;
    private HeadlessChromium browser;
    private ApiClient admin;
    private String base;
    private String idm;
    private int idmPort;
    private Path figures;
    private final List<String> measured = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        Path data = Files.createTempDirectory("gateway-device-energy");
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
        idmPort = pump.get("connection_config").get("port").asInt();
        // a poll a second, so a live value comes within the test's patience, not the default interval's
        assertEquals(200, admin.put("/api/heatpumps/" + idm, Map.of("poll_interval", 1)).status());
        figures = Path.of(context.getProperty("gateway.itest.jar")).getParent().resolve("figures");
        Files.createDirectories(figures);
        browser = HeadlessChromium.start();
        browser.viewport(390, 844, true);
    }

    @AfterAll
    void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (figures != null && !measured.isEmpty()) {
            Files.write(figures.resolve("device-energy.txt"), measured);
        }
    }

    private void figure(String line) {
        System.out.println("FIGURE " + line);
        measured.add(line);
    }

    private void signIn() {
        browser.signIn(base + "/console/", "admin", ADMIN_PASSWORD, "#page", WAIT); // #who is hidden on a phone
    }

    /** A fresh page load of a link, as a reload or a bookmark does. */
    private void open(String hash) {
        browser.navigate("about:blank");
        browser.waitUntil("the blank page", "location.href === 'about:blank'", WAIT);
        browser.navigate(base + "/console/" + hash);
    }

    private void shot(String name) throws IOException {
        browser.eval("document.fonts.ready.then(() => new Promise(done => requestAnimationFrame("
                + "() => requestAnimationFrame(() => done(true)))))");
        browser.screenshot(figures.getParent().resolve("screenshots").resolve(name + ".png"));
        // the first screen as a phone shows it (the full page of a pump with 200 sensors is very long)
        JsonNode top = browser.call("Page.captureScreenshot", Map.of("format", "png"));
        Files.write(figures.getParent().resolve("screenshots").resolve(name + "-top.png"),
                java.util.Base64.getDecoder().decode(top.path("data").asText()));
    }

    /** Nothing wider than the 390 px viewport; a failure names the elements that stick out. */
    private void assertFitsAPhone() {
        assertTrue(browser.eval("document.documentElement.scrollWidth <= 390").asBoolean(), "too wide: "
                + browser.eval("[...document.querySelectorAll('body *')].filter(e => !e.closest('.tabs')"
                + " && e.getBoundingClientRect().right > 390.5).slice(-8).map(e => e.tagName + '#' + e.id + '.' + e.className + ' '"
                + " + Math.round(e.getBoundingClientRect().right))"));
    }

    private static String q(String s) {
        return HeadlessChromium.quote(s);
    }

    @Test
    @Order(1)
    void theConsolesFirstLoadStaysBelowSixtyKilobytesGzipped() throws Exception {
        signIn();
        browser.waitFor("#device-list [data-device]", WAIT);
        JsonNode urls = browser.eval("[location.href.split('#')[0], ...performance.getEntriesByType('resource')"
                + ".map(e => e.name).filter(n => n.includes('/console/'))]");
        long raw = 0;
        long gzipped = 0;
        List<String> files = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        for (JsonNode u : urls) {
            byte[] body = http.send(HttpRequest.newBuilder(URI.create(u.asText())).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            raw += body.length;
            gzipped += gzip(body);
            files.add(u.asText().replace(base, ""));
        }
        assertTrue(files.stream().anyMatch(f -> f.endsWith("/js/app.js")), "the shell was measured: " + files);
        assertTrue(files.stream().noneMatch(f -> f.contains("device.js") || f.contains("energy.js")
                || f.contains("uPlot")), "page code and the chart library load only with their pages: " + files);
        figure("first load (overview after sign-in): " + files.size() + " files, " + raw + " bytes, " + gzipped
                + " bytes gzipped " + files);
        assertTrue(gzipped < FIRST_LOAD_LIMIT, gzipped + " bytes gzipped");
    }

    private static long gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(body);
        }
        return out.size();
    }

    @Test
    @Order(2)
    void keyValuesCarryUnitsAndTheFirstLiveValueIsMeasured() throws Exception {
        long t0 = System.nanoTime();
        open("#/device/" + idm);
        browser.waitUntil("the outdoor temperature shown", "(document.querySelector("
                + q("#key-values [data-key=outdoor] .kv-value") + ")?.textContent || '').includes('°C')", WAIT);
        long firstValue = (System.nanoTime() - t0) / 1_000_000;
        browser.waitUntil("a value from the event stream", "document.querySelector('#key-values')?.dataset.source"
                + " === 'live'", WAIT);
        long firstLive = (System.nanoTime() - t0) / 1_000_000;
        figure("device page at 390 px: first value after " + firstValue + " ms, first live (SSE) value after "
                + firstLive + " ms from navigation (poll interval 1 s)");

        for (String key : List.of("outdoor", "flow_return", "hot_water")) {
            String text = browser.waitFor("#key-values [data-key=" + key + "] .kv-value", WAIT);
            assertTrue(text.contains("°C"), key + ": " + text);
        }
        assertTrue(browser.text("#key-values [data-key=flow_return] .kv-value").contains(" / "), "flow and return");
        String power = browser.text("#key-values [data-key=electric_power] .kv-value");
        assertTrue(power.matches(".*\\d.*k?W.*"), "power with its unit: " + power);
        assertTrue(browser.exists("#key-values [data-key=state] [data-state]"), "the state");
        for (String cop : List.of("cop_now", "cop_day", "cop_month")) {
            assertTrue(browser.exists("#key-values [data-key=" + cop + "]"), cop);
        }
        assertFitsAPhone();
        assertEquals(List.of(), browser.problems);
    }

    @Test
    @Order(3)
    void theRangePickerChangesTheChartsRangeAndTheAxesNameTheirUnits() throws IOException {
        browser.waitUntil("the chart drawn", "!!document.querySelector('#device-plot')?.dataset.from", WAIT);
        assertEquals(86_400_000L, span(), 60_000, "24 h at first");
        assertTrue(browser.eval("document.querySelector('#device-plot').dataset.units").asText().contains("°C"));
        // uPlot draws its axes on the canvas: the labels it was given are kept beside it
        String axes = browser.eval("document.querySelector('#device-plot').dataset.axes").asText();
        assertTrue(axes.contains("°C"), "the y axis is labelled with its unit: " + axes);
        shot("40-device-page-phone");
        browser.click("#range-picker [data-range='1h']");
        browser.waitUntil("a one-hour chart", "(() => { const d = document.querySelector('#device-plot').dataset;"
                + " return Math.abs(d.to - d.from - 3600000) < 60000; })()", WAIT);
        browser.click("#range-picker [data-range='7d']");
        browser.waitUntil("a seven-day chart", "(() => { const d = document.querySelector('#device-plot').dataset;"
                + " return Math.abs(d.to - d.from - 604800000) < 60000; })()", WAIT);
        // custom: the two hours up to an hour ago
        browser.click("#range-picker [data-range='custom']");
        browser.waitFor("#range-custom #range-from", WAIT);
        browser.eval("(() => { const local = d => new Date(d - new Date().getTimezoneOffset() * 60000).toISOString()"
                + ".slice(0, 16); const now = Date.now();"
                + " document.querySelector('#range-from').value = local(now - 3 * 3600000);"
                + " document.querySelector('#range-to').value = local(now - 3600000); })()");
        browser.click("#range-custom button[type=submit]");
        browser.waitUntil("a custom two-hour chart ending an hour ago", "(() => { const d ="
                + " document.querySelector('#device-plot').dataset; return Math.abs(d.to - d.from - 7200000) < 60000"
                + " && Date.now() - d.to > 3000000; })()", WAIT);
        assertEquals(List.of(), browser.problems);
    }

    private long span() {
        JsonNode d = browser.eval("(() => { const d = document.querySelector('#device-plot').dataset;"
                + " return d.to - d.from; })()");
        return d.asLong();
    }

    @Test
    @Order(4)
    void aLiveValueUpdatesTheKeyValuesAndTheChart() {
        browser.click("#range-picker [data-range='1h']");
        browser.waitUntil("a one-hour chart", "(() => { const d = document.querySelector('#device-plot').dataset;"
                + " return Math.abs(d.to - d.from - 3600000) < 60000; })()", WAIT);
        String before = browser.eval("document.querySelector('#key-values').dataset.time").asText();
        browser.waitUntil("a newer snapshot in the key values", "document.querySelector('#key-values').dataset.time"
                + " > " + q(before), WAIT);
        browser.waitUntil("the chart grew with live snapshots", "Number(document.querySelector('#device-plot')"
                + ".dataset.live || 0) >= 2", WAIT);
        assertEquals(List.of(), browser.problems);
    }

    @Test
    @Order(5)
    void editingRefusesABadPortBeforeSavingAndKeepsANewName() throws Exception {
        int nobody = GatewayProcess.freePort();
        browser.click("#edit-device");
        browser.waitFor("#device-edit #edit-port", WAIT);
        browser.type("#edit-name", "Should not be saved");
        browser.type("#edit-port", Integer.toString(nobody));
        browser.click("#edit-save");
        String diagnosis = browser.waitFor("#edit-diagnosis", WAIT);
        assertTrue(diagnosis.toLowerCase().contains("refused"), diagnosis);
        JsonNode stored = admin.get("/api/heatpumps/" + idm).json();
        assertEquals(idmPort, stored.get("connection_config").get("port").asInt(), "nothing saved");
        assertTrue(!stored.get("name").asText().equals("Should not be saved"), "nothing saved");

        browser.type("#edit-port", Integer.toString(idmPort));
        browser.type("#edit-name", "Cellar 390");
        browser.click("#edit-save");
        Await.until("the new name stored", WAIT,
                () -> admin.get("/api/heatpumps/" + idm).json().get("name").asText().equals("Cellar 390"));
        assertEquals(idmPort, admin.get("/api/heatpumps/" + idm).json().get("connection_config").get("port").asInt());
        open("#/device/" + idm);
        browser.waitUntil("the name after a reload", "document.querySelector('#page h1')?.textContent === 'Cellar 390'",
                WAIT);

        // circuits: the model's are offered, the device's ticked; adding B brings its sensors onto the page
        JsonNode circuits = admin.get("/api/heatpumps/" + idm).json().get("device_config").get("circuits");
        assertFalse(circuits.toString().contains("\"B\""), "the demo's IDM starts without circuit B: " + circuits);
        browser.click("#edit-device");
        browser.waitFor("#edit-circuits input[data-circuit='B']", WAIT);
        assertEquals(circuits.size(), browser.eval("document.querySelectorAll('#edit-circuits input[data-circuit]:checked')"
                + ".length").asInt(), "the device's own circuits are ticked: " + circuits);
        browser.click("#edit-circuits input[data-circuit='B']");
        browser.click("#edit-save");
        Await.until("circuit B stored", WAIT, () -> admin.get("/api/heatpumps/" + idm).json().get("device_config")
                .get("circuits").toString().contains("\"B\""));
        browser.waitFor("#device-values tr[data-sensor='temp_flow_current_circuit_b']", WAIT);
        assertEquals(List.of(), browser.problems);
    }

    @Test
    @Order(6)
    void theEnergyViewShowsBarsAndTheCsvHasAHeaderWithUnits() throws Exception {
        String today = LocalDate.now().toString();
        // the day sums are saved with the COP (the first poll, every minute, and when a pump's worker stops, as the
        // edit above did): once the live COP of the day shows heat, an edit stops the worker, which saves the sums
        // at once instead of at the next minute
        Await.until("heat in today's live COP", WAIT, () -> admin.get("/api/data/" + idm).json().path("values")
                .path("cop_day").path("value").asDouble(0) > 0);
        assertEquals(200, admin.put("/api/heatpumps/" + idm, Map.of("poll_interval", 1)).status());
        Await.until("today's heat in the energy sums", Duration.ofSeconds(150), () -> {
            JsonNode rows = admin.get("/api/energy?device=" + idm).json().get("rows");
            return rows.size() > 0 && rows.get(rows.size() - 1).get("period").asText().equals(today)
                    && rows.get(rows.size() - 1).get("heat_kwh").asDouble() > 0;
        });
        open("#/energy/" + idm);
        browser.waitUntil("bars drawn", "Number(document.querySelector('#energy-plot')?.dataset.bars || 0) >= 1", WAIT);
        assertTrue(browser.exists("#energy-plot canvas"), "uPlot drew the bars");
        browser.waitFor("#energy-table tr[data-period='" + today + "']", WAIT);
        assertTrue(browser.text("#energy-summary [data-key=heat] .kv-value").contains("kWh"));
        assertTrue(browser.exists("#energy-summary [data-key=scop]"));
        shot("41-energy-phone");

        String csv = browser.eval("fetch(document.querySelector('#energy-csv').href).then(r => r.text())").asText();
        List<String> lines = csv.lines().toList();
        assertEquals("day,heat_kwh,electricity_kwh,cop", lines.get(0), csv);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(today + ",")), csv);

        // all heat pumps, by month
        browser.type("#energy-device", "");
        browser.type("#energy-by", "month");
        browser.waitUntil("the monthly CSV link for all pumps", "(() => { const h ="
                + " document.querySelector('#energy-csv').href; return h.includes('by=month') && !h.includes('device='); })()",
                WAIT);
        String monthly = browser.eval("fetch(document.querySelector('#energy-csv').href).then(r => r.text())").asText();
        assertEquals("month,heat_kwh,electricity_kwh,cop", monthly.lines().findFirst().orElse(""), monthly);
        assertFitsAPhone();
        assertEquals(List.of(), browser.problems);
    }
}
