package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * The account page, the dark theme and the phone layout of the console (issue 16), in a real headless Chromium
 * against gateway.jar and an IDM simulator: a user changes their own password (the old one stops working, also after
 * a restart), creates an API token that is shown once and revokes it (401 afterwards), switches the theme (which
 * follows the system until chosen, is remembered, and keeps its contrast), and every main page fits a 390 px phone.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccountConsoleBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ADMIN_PASSWORD = "account-Admin-pass-4410";
    private static final String CAROL_OLD = "carol-first-pass-1187";
    private static final String CAROL_NEW = "carol-second-pass-9023";
    private static final int PHONE_WIDTH = 390;

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    private HeatpumpSimulator.Running sim;
    private GatewayProcess gateway;
    private HeadlessChromium browser;
    private ApiClient admin;
    private Path data;
    private Path screenshots;
    private String base;
    private String deviceId;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        HeatpumpSimulator idm = Await.value("IDM simulator service", WAIT, () -> simulators.getServices().stream()
                .filter(s -> s.manufacturerId().equals("idm")).findFirst().orElse(null));
        sim = idm.start(0, DeviceConfig.of(List.of("A"), List.of()));
        data = Files.createTempDirectory("gateway-console-account");
        GatewayProcess.deployOnly(context, data, "gateway.driver.idm.jar");
        startGateway();
        Await.until("IDM driver installed from deploy/", WAIT,
                () -> admin.get("/api/manufacturers").body().contains("\"navigator_2_0\""));
        ApiClient.Response created = admin.post("/api/heatpumps", Map.of("name", "Cellar", "manufacturer", "idm",
                "model", "navigator_2_0", "connection_config", Map.of("host", "127.0.0.1", "port", sim.port(),
                        "unit_id", 1), "device_config", Map.of("circuits", List.of("A"), "zones", List.of()),
                "poll_interval", 1, "enabled", true));
        assertEquals(201, created.status(), created.body());
        deviceId = created.json().get("id").asText();
        assertEquals(201, admin.post("/api/users", Map.of("name", "carol", "password", CAROL_OLD,
                "role", "operator")).status());
        screenshots = Path.of(context.getProperty("gateway.itest.jar")).getParent().resolve("screenshots");
        browser = HeadlessChromium.start();
        browser.viewport(1366, 900, false);
    }

    private void startGateway() throws Exception {
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data,
                Map.of("GATEWAY_ADMIN_PASSWORD", ADMIN_PASSWORD));
        base = "http://127.0.0.1:" + gateway.port;
        admin = new ApiClient(gateway.port, "admin", ADMIN_PASSWORD);
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
        browser.settledScreenshot(screenshots.resolve(name + ".png"));
    }

    /** Fonts loaded and two frames drawn: the layout the user sees. */

    private void signIn(String user, String password) {
        browser.signIn(base + "/console/", user, password, "#who", WAIT);
    }

    /** A fresh page load of a link, as a reload or a bookmark does. */
    private void open(String hash) {
        browser.navigate("about:blank");
        browser.waitUntil("the blank page", "location.href === 'about:blank'", WAIT);
        browser.navigate(base + "/console/" + hash);
    }

    private int status(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private int basicStatus(String user, String password) throws Exception {
        return new ApiClient(gateway.port, user, password).get("/api/me").status();
    }

    @Test
    @Order(1)
    void aUserChangesTheirOwnPasswordAndOnlyTheNewOneWorks() throws Exception {
        signIn("carol", CAROL_OLD);
        browser.navigate(base + "/console/#/account");
        browser.waitFor("#password-form", WAIT);
        assertTrue(browser.text("#account-who").contains("carol"), browser.text("#account-who"));

        // a wrong current password is refused and the field is marked
        browser.type("#current-password", "not-the-password");
        browser.type("#new-password", CAROL_NEW);
        browser.type("#new-password2", CAROL_NEW);
        browser.click("#password-form button[type=submit]");
        browser.waitFor("#password-message .error", WAIT);
        assertEquals("true", browser.eval("document.querySelector('#current-password')"
                + ".getAttribute('aria-invalid')").asText());
        assertEquals(200, basicStatus("carol", CAROL_OLD), "nothing changed");

        browser.type("#current-password", CAROL_OLD);
        browser.type("#new-password", CAROL_NEW);
        browser.type("#new-password2", CAROL_NEW);
        browser.click("#password-form button[type=submit]");
        browser.waitFor("#password-changed", WAIT);
        shot("account-01-password-changed");

        assertEquals(401, basicStatus("carol", CAROL_OLD), "the old password no longer works");
        assertEquals(200, basicStatus("carol", CAROL_NEW));
        // the browser that made the change stays signed in
        open("#/account");
        browser.waitFor("#password-form", WAIT);
        assertFalse(browser.exists("#login-form"));
        // and the console's own sign-in takes the new password only
        signIn("carol", CAROL_NEW);
        browser.click("#logout");
        browser.waitFor("#login-form", WAIT);
        browser.type("#login-user", "carol");
        browser.type("#login-password", CAROL_OLD);
        browser.click("#login-form button[type=submit]");
        browser.waitFor("#login-form .error", WAIT);
    }

    @Test
    @Order(2)
    void aTokenIsShownOnceWorksAndIsRefusedOnceRevoked() throws Exception {
        signIn("carol", CAROL_NEW);
        browser.navigate(base + "/console/#/account");
        browser.waitFor("#token-form", WAIT);
        browser.type("#token-name", "backup script");
        browser.type("#token-expiry", "30");
        browser.click("#token-form button[type=submit]");
        browser.waitFor("#new-token", WAIT);
        String token = browser.eval("document.querySelector('#new-token-value').value").asText();
        assertTrue(token.startsWith("gwt_"), token);
        browser.waitUntil("the token listed", "!!document.querySelector('#token-list tr[data-token]')", WAIT);
        shot("account-02-token-shown-once");
        String bearer = "Bearer " + token;
        assertEquals(200, status("/api/me", bearer));

        // listed with its expiry, about 30 days ahead, by the API and the page
        JsonNode listed = new ApiClient(gateway.port, "carol", CAROL_NEW).get("/api/tokens").json();
        assertEquals(1, listed.size(), listed.toString());
        long days = Duration.between(java.time.Instant.now(),
                java.time.Instant.parse(listed.get(0).get("expires_at").asText())).toDays();
        assertTrue(days >= 29 && days <= 30, "expires in " + days + " days");

        // shown once: another visit of the page lists the token but never shows its value again
        open("#/account");
        browser.waitFor("#token-list tr[data-token]", WAIT);
        assertFalse(browser.exists("#new-token"));
        assertFalse(browser.eval("document.documentElement.outerHTML").asText().contains(token));
        assertTrue(browser.text("#token-list").contains("backup script"));

        browser.click("#token-list tr[data-token] button.revoke");
        browser.click("dialog.confirm .confirm-ok");
        browser.waitFor("#no-tokens", WAIT);
        assertEquals(401, status("/api/me", bearer), "a revoked token is refused");
        assertEquals(0, new ApiClient(gateway.port, "carol", CAROL_NEW).get("/api/tokens").json().size());
    }

    /** Contrast ratios (WCAG) of the page's text colours against their backgrounds, measured in the page. */
    private Map<String, Double> contrasts() {
        JsonNode r = browser.eval("(() => {"
                + "const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);"
                + "const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255;"
                + "  return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });"
                + "  return 0.2126 * r + 0.7152 * g + 0.0722 * b; };"
                + "const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);"
                + "  return (x + 0.05) / (y + 0.05); };"
                + "const css = (sel, p) => getComputedStyle(document.querySelector(sel))[p];"
                + "const probe = document.createElement('div'); probe.className = 'card';"
                + "probe.innerHTML = '<span class=\"muted\">m</span><a href=\"#\">a</a><span class=\"error\">e</span>"
                + "<button class=\"primary\">p</button><input>';"
                + "document.getElementById('page').append(probe);"
                + "const card = getComputedStyle(probe).backgroundColor;"
                + "const out = {"
                + "  text: ratio(css('html', 'color'), css('html', 'backgroundColor')),"
                + "  muted: ratio(getComputedStyle(probe.querySelector('.muted')).color, card),"
                + "  link: ratio(getComputedStyle(probe.querySelector('a')).color, card),"
                + "  error: ratio(getComputedStyle(probe.querySelector('.error')).color, card),"
                + "  primary: ratio(getComputedStyle(probe.querySelector('.primary')).color,"
                + "    getComputedStyle(probe.querySelector('.primary')).backgroundColor),"
                + "  input: ratio(getComputedStyle(probe.querySelector('input')).color,"
                + "    getComputedStyle(probe.querySelector('input')).backgroundColor),"
                + "  header: ratio(css('header.top .brand', 'color'), css('header.top', 'backgroundColor')),"
                + "  tab: ratio(css('nav.tabs a', 'color'), css('nav.tabs', 'backgroundColor')) };"
                + "probe.remove(); return out; })()");
        Map<String, Double> out = new LinkedHashMap<>();
        r.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
        return out;
    }

    private void assertReadable(String theme) {
        Map<String, Double> ratios = contrasts();
        ratios.forEach((what, ratio) -> assertTrue(ratio >= 4.5,
                theme + ": " + what + " has contrast " + ratio + " (< 4.5:1); all: " + ratios));
    }

    private String theme() {
        return browser.eval("document.documentElement.dataset.theme").asText();
    }

    private String background() {
        return browser.eval("getComputedStyle(document.documentElement).backgroundColor").asText();
    }

    @Test
    @Order(3)
    void theThemeFollowsTheSystemUntilChosenIsRememberedAndStaysReadable() throws Exception {
        signIn("admin", ADMIN_PASSWORD);
        browser.eval("localStorage.removeItem('gw.theme'), true");
        browser.call("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        open("#/account");
        browser.waitFor("#token-form", WAIT);
        assertEquals("dark", theme(), "a dark system gets the dark theme");
        String dark = background();
        assertReadable("dark");
        shot("account-03-dark");

        browser.click("#theme-toggle");
        browser.waitUntil("the light theme", "document.documentElement.dataset.theme === 'light'", WAIT);
        assertEquals("light", browser.eval("localStorage.getItem('gw.theme')").asText());
        assertFalse(dark.equals(background()), "the background changed: " + dark);
        assertReadable("light");

        // remembered across a reload, although the system still prefers dark
        open("#/account");
        browser.waitFor("#token-form", WAIT);
        assertEquals("light", theme());
        assertEquals("false", browser.eval("document.querySelector('#theme-toggle')"
                + ".getAttribute('aria-pressed')").asText());

        // back to dark by the switch, remembered too, then a light system with no choice is light
        browser.click("#theme-toggle");
        browser.waitUntil("the dark theme", "document.documentElement.dataset.theme === 'dark'", WAIT);
        assertEquals("dark", browser.eval("localStorage.getItem('gw.theme')").asText());
        browser.eval("localStorage.removeItem('gw.theme'), true");
        browser.call("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "light"))));
        open("#/account");
        browser.waitFor("#token-form", WAIT);
        assertEquals("light", theme());
    }

    @Test
    @Order(4)
    void everyMainPageFitsAPhoneAndTheTabsWrapInsteadOfScrolling() throws Exception {
        signIn("admin", ADMIN_PASSWORD);
        browser.viewport(PHONE_WIDTH, 844, true);
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("#/", "#device-list .card");
        pages.put("#/device/" + deviceId, "#device-values details");
        pages.put("#/dashboards", "#dashboard > *");
        pages.put("#/control", "#control-list details");
        pages.put("#/jobs", "#job-list > *");
        pages.put("#/alerts", "#alert-list > *");
        pages.put("#/notifications", "#channel-list > *");
        pages.put("#/audit", "#page table.audit");
        pages.put("#/bundles", "#bundle-list table");
        pages.put("#/users", "#user-list > *");
        pages.put("#/backups", "#backup-list > *");
        pages.put("#/settings", "#mqtt-settings > *");
        pages.put("#/account", "#token-list > *");
        pages.put("#/add", ".choices");
        List<String> tooWide = new ArrayList<>();
        for (Map.Entry<String, String> page : pages.entrySet()) {
            open(page.getKey());
            browser.waitFor(page.getValue(), WAIT);
            browser.settle();
            int width = browser.eval("document.documentElement.scrollWidth").asInt();
            if (width > PHONE_WIDTH) {
                String widest = browser.eval("[...document.querySelectorAll('body *')]"
                        + ".filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)"
                        + ".map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.')"
                        + " + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 6).join(', ')").asText();
                tooWide.add(page.getKey() + " is " + width + " px wide: " + widest);
                shot("account-phone-too-wide-" + page.getKey().replaceAll("[^a-z]", ""));
            }
            // the tab bar wraps: no tab lies beyond the screen's edge, nothing to scroll sideways
            assertTrue(browser.eval("(() => { const n = document.querySelector('nav.tabs');"
                    + " return n.scrollWidth <= n.clientWidth && [...n.querySelectorAll('a')]"
                    + ".every(a => a.getBoundingClientRect().right <= innerWidth); })()").asBoolean(),
                    page.getKey() + ": a tab is out of sight");
        }
        open("#/account");
        browser.waitFor("#token-list > *", WAIT);
        shot("account-04-phone");
        assertTrue(tooWide.isEmpty(), String.join("\n", tooWide));
        browser.viewport(1366, 900, false);
    }

    @Test
    @Order(5)
    void theNewPasswordAndTheExpiryOfTokensSurviveARestart() throws Exception {
        ApiClient carol = new ApiClient(gateway.port, "carol", CAROL_NEW);
        String later = java.time.Instant.now().plus(Duration.ofDays(7))
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        ApiClient.Response created = carol.post("/api/tokens", Map.of("name", "cron", "expires_at", later));
        assertEquals(201, created.status(), created.body());
        gateway.close();
        startGateway();
        assertEquals(401, basicStatus("carol", CAROL_OLD));
        assertEquals(200, basicStatus("carol", CAROL_NEW));
        JsonNode tokens = new ApiClient(gateway.port, "carol", CAROL_NEW).get("/api/tokens").json();
        assertEquals(later, tokens.get(0).get("expires_at").asText());
        assertEquals(200, status("/api/me", "Bearer " + created.json().get("token").asText()));
    }
}
