package gateway.core.notification.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.NotificationChannel.Setting;

/** Collects the problems of one channel's settings; the messages name settings, never echo secret values. */
final class SettingsCheck {

    private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");

    private final Map<String, String> settings;
    private final List<String> problems = new ArrayList<>();

    SettingsCheck(List<Setting> declared, Map<String, String> settings) {
        this.settings = settings;
        for (Setting s : declared) {
            if (s.required() && value(settings, s.name()) == null) {
                problems.add("'" + s.name() + "' is required");
            }
        }
        for (String name : settings.keySet()) {
            if (declared.stream().noneMatch(s -> s.name().equals(name))) {
                problems.add("unknown setting '" + name + "'");
            }
        }
    }

    /** The trimmed value, or null when absent or blank. */
    static String value(Map<String, String> settings, String name) {
        String v = settings.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** A comma-separated list, trimmed, blanks dropped. */
    static List<String> list(Map<String, String> settings, String name) {
        String v = value(settings, name);
        return v == null ? List.of() : Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
    }

    static URI uri(String text) throws URISyntaxException {
        URI uri = new URI(text);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new URISyntaxException(text, "not an http(s) URL with a host");
        }
        return uri;
    }

    /** Base URL plus a path, without doubling the slash. */
    static URI resolve(String base, String path) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return URI.create(b + path);
    }

    SettingsCheck url(String name, boolean secret) {
        String v = value(settings, name);
        if (v != null) {
            try {
                uri(v);
            } catch (URISyntaxException | IllegalArgumentException e) {
                problems.add("'" + name + "' must be an http(s) URL" + (secret ? "" : ", got '" + v + "'"));
            }
        }
        return this;
    }

    SettingsCheck oneOf(String name, String... allowed) {
        String v = value(settings, name);
        if (v != null && !Arrays.asList(allowed).contains(v.toLowerCase(Locale.ROOT))) {
            problems.add("'" + name + "' must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
        }
        return this;
    }

    SettingsCheck integer(String name, int min, int max) {
        String v = value(settings, name);
        if (v != null) {
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    problems.add("'" + name + "' must be " + min + ".." + max + ", got " + n);
                }
            } catch (NumberFormatException e) {
                problems.add("'" + name + "' must be a whole number, got '" + v + "'");
            }
        }
        return this;
    }

    /** Every item of a list setting matches; {@code what} says what an item must be. */
    SettingsCheck eachMatches(String name, Pattern pattern, String what) {
        for (String item : list(settings, name)) {
            if (!pattern.matcher(item).matches()) {
                problems.add("'" + name + "': '" + item + "' is not " + what);
            }
        }
        return this;
    }

    SettingsCheck phone(String name) {
        String v = value(settings, name);
        if (v != null && !PHONE.matcher(v).matches()) {
            problems.add("'" + name + "' must be a phone number in international form (+4912345678), got '" + v + "'");
        }
        return this;
    }

    SettingsCheck problem(String text) {
        problems.add(text);
        return this;
    }

    void done() throws InvalidConfigurationException {
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    static Pattern phonePattern() {
        return PHONE;
    }
}
