package gateway.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web bundle's own texts in other languages than English: problem titles, problem details and validation errors,
 * and the titles of dashboard templates (issue 16).
 *
 * <p>{@value #ERRORS}{@code .properties} holds the English texts, each under a stable message key with placeholders
 * {@code {0}}, {@code {1}}, …; {@code errors_<language>.properties} the same keys in that language, and
 * {@code title.<slug>} for the title of each problem type. The code keeps writing its English text (callers and
 * scripts match it, and it comes from many places: the manager's validation and write checks, the drivers, this
 * bundle): an answer in another language takes the English text, finds the key whose English pattern it matches, and
 * puts the same placeholders into that key's text in the language. A text no key matches, or a key the language
 * lacks, stays English. Slugs, field names, ids and values are never translated; they travel in the placeholders.
 *
 * <p>{@value #DASHBOARDS}{@code _<language>.properties} maps the English titles of dashboard templates and their
 * charts to the language ({@code Hot\ water=Warmwasser}).
 */
final class MessageCatalog {

    static final String ERRORS = "OSGI-INF/l10n/errors";
    static final String DASHBOARDS = "OSGI-INF/l10n/dashboards";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)}");

    /** The catalog of this bundle's resources. */
    static final MessageCatalog BUNDLE = new MessageCatalog(MessageCatalog.class.getClassLoader());

    /** An English text of the catalog as a pattern; {@code args} are the placeholder numbers in order of the groups. */
    private record Template(String key, Pattern pattern, List<Integer> args, int literalLength) {
    }

    private final ClassLoader loader;
    private final List<Template> english;
    private final Map<String, Map<String, String>> errors = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> dashboards = new ConcurrentHashMap<>();

    MessageCatalog(ClassLoader loader) {
        this.loader = loader;
        List<Template> templates = new ArrayList<>();
        read(ERRORS + ".properties").forEach((key, text) -> {
            if (!key.startsWith("title.")) {
                templates.add(template(key, text));
            }
        });
        // the most literal text first, so "{0}: required" does not swallow a longer message that ends alike
        templates.sort(Comparator.comparingInt(Template::literalLength).reversed().thenComparing(Template::key));
        this.english = List.copyOf(templates);
    }

    private static Template template(String key, String text) {
        StringBuilder regex = new StringBuilder("^");
        List<Integer> args = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int at = 0;
        int literal = 0;
        while (m.find()) {
            regex.append(Pattern.quote(text.substring(at, m.start()))).append("(.*?)");
            literal += m.start() - at;
            args.add(Integer.parseInt(m.group(1)));
            at = m.end();
        }
        regex.append(Pattern.quote(text.substring(at))).append('$');
        literal += text.length() - at;
        return new Template(key, Pattern.compile(regex.toString(), Pattern.DOTALL), List.copyOf(args), literal);
    }

    /** The key whose English text {@code text} is, or null. */
    String keyOf(String text) {
        if (text == null) {
            return null;
        }
        for (Template t : english) {
            if (t.pattern().matcher(text).matches()) {
                return t.key();
            }
        }
        return null;
    }

    /** The title of a problem type in the language, else {@code englishTitle}. */
    String title(String slug, String englishTitle, Locale locale) {
        if (slug == null || english(locale)) {
            return englishTitle;
        }
        return errors(locale).getOrDefault("title." + slug, englishTitle);
    }

    /** A detail or validation message in the language, else as it is. */
    String text(String text, Locale locale) {
        if (text == null || english(locale)) {
            return text;
        }
        Map<String, String> translated = errors(locale);
        for (Template t : english) {
            Matcher m = t.pattern().matcher(text);
            if (m.matches()) {
                String out = translated.get(t.key());
                if (out == null) {
                    return text;
                }
                for (int g = 0; g < t.args().size(); g++) {
                    out = out.replace("{" + t.args().get(g) + "}", m.group(g + 1));
                }
                return out;
            }
        }
        return text;
    }

    List<String> texts(List<String> texts, Locale locale) {
        return texts == null || english(locale) ? texts : texts.stream().map(t -> text(t, locale)).toList();
    }

    /** A dashboard or chart title of a template in the language, else as it is. */
    String dashboardTitle(String title, Locale locale) {
        if (title == null || english(locale)) {
            return title;
        }
        return dashboards.computeIfAbsent(locale.getLanguage(),
                l -> read(DASHBOARDS + "_" + l + ".properties")).getOrDefault(title, title);
    }

    /** The English title of a template title in the language (the inverse of {@link #dashboardTitle}), else as it is. */
    String englishDashboardTitle(String title, Locale locale) {
        if (title == null || english(locale)) {
            return title;
        }
        dashboardTitle(title, locale); // loads the language
        String found = null;
        for (Map.Entry<String, String> e : dashboards.get(locale.getLanguage()).entrySet()) {
            if (e.getValue().equals(title)) {
                if (found != null) {
                    return title; // two English titles read alike: keep what the client sent
                }
                found = e.getKey();
            }
        }
        return found == null ? title : found;
    }

    /** Every key of the language's error texts (for tests: each must have an English text). */
    Map<String, String> errors(Locale locale) {
        return errors.computeIfAbsent(locale.getLanguage(), l -> read(ERRORS + "_" + l + ".properties"));
    }

    /** The English error texts by key. */
    Map<String, String> englishErrors() {
        return read(ERRORS + ".properties");
    }

    private static boolean english(Locale locale) {
        return locale == null || locale.getLanguage().isEmpty() || locale.getLanguage().equals("en");
    }

    private Map<String, String> read(String resource) {
        Map<String, String> out = new LinkedHashMap<>();
        if (loader == null) {
            return out;
        }
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return out;
            }
            Properties p = new Properties();
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, p.getProperty(k)));
        } catch (IOException e) {
            // an unreadable catalog is no reason to fail an answer: the English texts stand
        }
        return out;
    }
}
