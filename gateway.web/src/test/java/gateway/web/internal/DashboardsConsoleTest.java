package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The dashboards page as files (issue 16): it brings its strings in both languages without changing another page's,
 * every string it asks for exists, it stays out of the first load, and it draws with the device page's chart code.
 */
class DashboardsConsoleTest {

    private static final List<String> OTHER_MODULES = List.of("app", "core", "wizard", "admin", "automation",
            "account", "theme", "device", "energy", "history", "charts");

    private static String resource(String path) throws IOException {
        try (InputStream in = DashboardsConsoleTest.class.getResourceAsStream(path)) {
            assertNotNull(in, path + " is in the bundle");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The keys of the en and de tables of a module's extendText (or core.js's TEXT). */
    private static List<List<String>> tables(String js, String end) {
        int en = js.indexOf("  en: {");
        int de = js.indexOf("  de: {");
        int stop = js.indexOf(end, de);
        assertTrue(en > 0 && de > en && stop > de, "the translation table's layout");
        return List.of(keys(js.substring(en, de)), keys(js.substring(de, stop)));
    }

    private static List<String> keys(String table) {
        Matcher m = Pattern.compile("(?m)(?:^|,)\\s*([a-z_0-9]+):\\s*'").matcher(table);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out.stream().sorted().toList();
    }

    @Test
    void theDashboardsStringsAreInBothLanguagesAndDefinedNowhereElse() throws IOException {
        List<List<String>> own = tables(resource("/console/js/dashboards.js"), "\n});");
        assertEquals(own.get(0), own.get(1), "the same keys in English and German");
        assertTrue(own.get(0).size() >= 10, own.get(0).toString());
        for (String module : OTHER_MODULES) {
            String js = resource("/console/js/" + module + ".js");
            if (!js.contains("  en: {")) {
                continue;
            }
            List<String> theirs = tables(js, module.equals("core") ? "\n};" : "\n});").get(0);
            for (String key : own.get(0)) {
                // extendText merges into one table: a key defined twice changes the other page's text
                assertFalse(theirs.contains(key), "'" + key + "' of dashboards.js is defined in " + module + ".js too");
            }
        }
    }

    @Test
    void everyStringTheDashboardsAskForExists() throws IOException {
        String js = resource("/console/js/dashboards.js");
        List<String> known = new ArrayList<>(tables(js, "\n});").get(0));
        known.addAll(tables(resource("/console/js/core.js"), "\n};").get(0));
        Matcher used = Pattern.compile("\\bt\\('([a-z_0-9]+)'[,)]").matcher(js);
        int count = 0;
        while (used.find()) {
            count++;
            assertTrue(known.contains(used.group(1)), "t('" + used.group(1) + "') has a text");
        }
        assertTrue(count > 20, "the page's strings were found: " + count);
        // the keys made from a widget kind, a bar mode and a range
        Matcher types = Pattern.compile("const TYPES = \\[([^\\]]*)\\]").matcher(js);
        assertTrue(types.find());
        List<String> kinds = Pattern.compile("'([a-z]+)'").matcher(types.group(1)).results().map(r -> r.group(1)).toList();
        assertEquals(List.of("line", "bar", "state", "heatmap", "stat", "gauge", "table"), kinds);
        kinds.forEach(k -> assertTrue(known.contains("type_" + k), "type_" + k));
        List.of("auto", "period", "current").forEach(k -> assertTrue(known.contains("bar_" + k), "bar_" + k));
        // the range chooser is shared with the device page and brings its own texts, in both languages
        List<List<String>> charts = tables(resource("/console/js/charts.js"), "\n});");
        for (List<String> language : charts) {
            List.of("1h", "24h", "7d", "30d", "custom").forEach(k -> assertTrue(language.contains("range_" + k),
                    "range_" + k));
            List.of("chart_range", "apply").forEach(k -> assertTrue(language.contains(k), k));
        }
    }

    @Test
    void theDashboardsLoadWithTheirPageAndDrawWithTheSharedChartCode() throws IOException {
        String app = resource("/console/js/app.js");
        assertFalse(app.contains("from './dashboards.js'"), "not in the first load");
        assertTrue(app.contains("import('./dashboards.js')"));
        String js = resource("/console/js/dashboards.js");
        assertTrue(js.contains("from './charts.js'"), "uPlot loading and theme colours from charts.js");
        assertFalse(js.contains("uPlot.iife"), "no second uPlot loader");
        // the console's CSP refuses style attributes: sizes go through the CSSOM (el.style.x = …)
        assertFalse(Pattern.compile("['\"]style['\"]\\s*:").matcher(js).find(), "no style attribute");
    }
}
