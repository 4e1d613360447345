package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The console's static files and the headers they are served with. */
class ConsoleResourcesTest {

    private static String resource(String path) throws IOException {
        try (InputStream in = ConsoleResourcesTest.class.getResourceAsStream(path)) {
            assertNotNull(in, path + " is in the bundle");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void servesEachFileTypeWithItsContentType() {
        assertEquals("text/html; charset=utf-8", ConsoleResources.contentType("/"));
        assertEquals("text/html; charset=utf-8", ConsoleResources.contentType("/index.html"));
        assertEquals("text/javascript; charset=utf-8", ConsoleResources.contentType("/js/app.js"));
        assertEquals("text/css; charset=utf-8", ConsoleResources.contentType("/app.css"));
        assertEquals("image/svg+xml", ConsoleResources.contentType("/icon.svg"));
    }

    @Test
    void cachesOnlyTheVersionedVendorFilesForGood() {
        assertEquals("no-cache", ConsoleResources.cacheControl("/js/app.js"));
        assertEquals("no-cache", ConsoleResources.cacheControl("/index.html"));
        assertTrue(ConsoleResources.cacheControl("/vendor/uplot-1.6.30/uPlot.iife.min.js").contains("immutable"));
    }

    @Test
    void policyAllowsNoInlineScriptOrStyleAndNoOtherOrigin() {
        assertFalse(ConsoleResources.CSP.contains("unsafe-inline"));
        assertFalse(ConsoleResources.CSP.contains("unsafe-eval"));
        assertTrue(ConsoleResources.CSP.contains("script-src 'self'"));
        assertTrue(ConsoleResources.CSP.contains("frame-ancestors 'none'"));
    }

    /** The policy would silently break a page that had inline code, so the markup is checked for any. */
    @Test
    void indexPageHasNoInlineScriptStyleOrHandlerAndEverythingItLoadsExists() throws IOException {
        String index = resource("/console/index.html");
        Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(index);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertTrue(scripts.group(1).contains("src="), "script with src only: " + scripts.group());
            assertTrue(scripts.group(2).isBlank(), "no inline code: " + scripts.group());
        }
        assertEquals(1, count, "one module entry point");
        assertFalse(index.contains("<style"), "no inline style element");
        assertFalse(Pattern.compile("\\s(style|on[a-z]+)=").matcher(index).find(), "no style or handler attributes");
        Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(index);
        while (refs.find()) {
            resource("/console/" + refs.group(1));
        }
    }

    @Test
    void everyModuleTheConsoleImportsIsInTheBundle() throws IOException {
        for (String module : List.of("app", "core", "wizard", "dashboards", "admin", "automation",
                "account", "theme")) {
            String js = resource("/console/js/" + module + ".js");
            Matcher imports = Pattern.compile("(?:from |import\\()'\\./([a-z]+\\.js)'").matcher(js);
            while (imports.find()) {
                resource("/console/js/" + imports.group(1));
            }
        }
    }

    @Test
    void bothLanguagesHaveTheSameKeys() throws IOException {
        String core = resource("/console/js/core.js");
        int en = core.indexOf("  en: {");
        int de = core.indexOf("  de: {");
        int end = core.indexOf("\n};", de);
        assertTrue(en > 0 && de > en && end > de, "the translation table's layout");
        assertEquals(keys(core.substring(en, de)), keys(core.substring(de, end)));
    }

    @Test
    void theAutomationPagesBringTheirOwnStringsInBothLanguages() throws IOException {
        String js = resource("/console/js/automation.js");
        int en = js.indexOf("  en: {");
        int de = js.indexOf("  de: {");
        int end = js.indexOf("\n});", de);
        assertTrue(en > 0 && de > en && end > de, "the translation table's layout");
        List<String> english = keys(js.substring(en, de));
        assertTrue(english.size() > 50, "the pages' strings: " + english.size());
        assertEquals(english, keys(js.substring(de, end)));
        String core = resource("/console/js/core.js");
        int coreEnd = core.indexOf("\n};", core.indexOf("  de: {"));
        for (String key : english) {
            assertFalse(keys(core.substring(core.indexOf("  en: {"), coreEnd)).contains(key),
                    "'" + key + "' is defined twice, in core.js and automation.js");
        }
    }

    @Test
    void theViCareSignInStepHasItsStringsInBothLanguagesAndNeverHandlesTheToken() throws IOException {
        String js = resource("/console/js/wizard.js");
        int en = js.indexOf("  en: {");
        int de = js.indexOf("  de: {");
        int end = js.indexOf("\n});", de);
        assertTrue(en > 0 && de > en && end > de, "the translation table's layout");
        List<String> english = keys(js.substring(en, de));
        assertTrue(english.contains("vicare_sign_in"), english.toString());
        assertEquals(english, keys(js.substring(de, end)));
        // the browser only ever holds the handle: the refresh token is not a field the console reads or sends
        assertFalse(js.contains("refresh_token"), "wizard.js must not touch refresh_token");
    }

    @Test
    void theViCareCallbackPageHandsTheCodeToTheWizardWithoutInlineCode() throws IOException {
        String page = resource("/console/vicare-callback.html");
        assertFalse(page.contains("<script>"), "no inline script: the CSP allows none");
        assertTrue(page.contains("<script type=\"module\" src=\"js/vicare-callback.js\"></script>"), page);
        String js = resource("/console/js/vicare-callback.js");
        String wizard = resource("/console/js/wizard.js");
        // the two agree on the hand-over key, and the callback goes back to the wizard's route
        assertTrue(js.contains("sessionStorage.setItem('gw.vicare-return'"), js);
        assertTrue(wizard.contains("const RETURN_KEY = 'gw.vicare-return';"), "the wizard reads the same key");
        assertTrue(js.contains("'./#/add'"), js);
        assertTrue(wizard.contains("new URL('vicare-callback.html', location.href)"), "the default redirect URI");
        assertFalse(js.contains("refresh_token"));
    }

    @Test
    void theAccountPageAndTheThemeSwitchBringTheirStringsInBothLanguagesWithoutRedefiningOthers() throws IOException {
        String core = resource("/console/js/core.js");
        List<String> taken = new java.util.ArrayList<>(keys(core.substring(core.indexOf("  en: {"),
                core.indexOf("  de: {"))));
        for (String module : List.of("automation", "wizard", "account", "theme")) {
            String js = resource("/console/js/" + module + ".js");
            int en = js.indexOf("  en: {");
            int de = js.indexOf("  de: {");
            int end = js.indexOf("\n});", de);
            assertTrue(en > 0 && de > en && end > de, module + ": the translation table's layout");
            List<String> english = keys(js.substring(en, de));
            assertEquals(english, keys(js.substring(de, end)), module);
            if (module.equals("automation") || module.equals("wizard")) {
                taken.addAll(english);
                continue;
            }
            assertTrue(english.size() >= 3, module + ": " + english);
            for (String key : english) {
                // extendText merges into one table: a key defined twice silently changes another page's text
                assertFalse(taken.contains(key), "'" + key + "' of " + module + ".js is defined elsewhere too");
            }
            taken.addAll(english);
        }
        String app = resource("/console/js/app.js");
        assertFalse(app.contains("from './account.js'"), "the account page is loaded when opened");
        assertTrue(app.contains("import('./account.js')"));
    }

    @Test
    void theFirstLoadDoesNotCarryTheAutomationPages() throws IOException {
        String app = resource("/console/js/app.js");
        assertFalse(app.contains("from './automation.js'"), "imported lazily only");
        assertTrue(app.contains("import('./automation.js')"));
    }

    private static List<String> keys(String table) {
        Matcher m = Pattern.compile("(?m)(?:^|,)\\s*([a-z_]+):\\s*'").matcher(table);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out.stream().sorted().toList();
    }
}
