package gateway.core.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A driver's display names for its sensors and enum values in one language (see {@link HeatpumpDriver#labels}).
 *
 * <p>The convention: a driver bundle carries {@value #RESOURCE_PREFIX}{@code <language>.properties} (UTF-8, e.g.
 * {@code OSGI-INF/l10n/labels_de.properties}), read through the driver's own class loader, so a hot-deployed driver
 * brings its own names and the core knows none of them. Its keys:
 * <ul>
 * <li>{@code <sensor id>}: the sensor's name, e.g. {@code temp_outside=Außentemperatur (B32)};</li>
 * <li>{@code <sensor id>.<enum key>}: one value of that sensor, e.g. {@code status_system.standby=Standby};</li>
 * <li>{@code enum.<enum key>}: a value wherever no sensor-specific label exists, e.g. {@code enum.off=Aus};</li>
 * <li>a sensor key may hold {@code *} for one run of letters and digits, e.g.
 * {@code temp_room_circuit_*=Raumtemperatur HK {1}}: {@code {1}}, {@code {2}}, … are the matched runs (a single
 * letter upper case, as circuits are written); an exact key wins over a pattern;</li>
 * <li>{@code _model.<model id>.name}: the model's name, e.g. {@code _model.s1155.name=NIBE S1155 (Sole/Wasser)};</li>
 * <li>{@code _model.<model id>.setup}: the model's setup instructions (Markdown, lines joined by {@code \n}), or
 * {@code _model.setup} for every model of the bundle that has none of its own; {@code {model}} in them is the model's
 * name in this language, {@code {model_id}} its id.</li>
 * </ul>
 * The model keys start with {@value #MODEL_KEY_PREFIX}: sensor ids are lower snake case and start with a letter, so no
 * sensor or {@code <sensor id>.<enum key>} key can take that form (a bundle may hold several models, e.g. Stiebel
 * Eltron's {@code wpm} and {@code lwz}).
 * English is the default: a name missing in the requested language is the {@link SensorDefinition#name()} (a model's
 * name and instructions the driver's {@link HeatpumpDriver#modelName()} and
 * {@link HeatpumpDriver#setupInstructions()}), and an enum value without a label reads as its key in words ({@code hot_water_only} → "Hot water only"). Ids and enum keys
 * never change with the language.
 *
 * <p>In OSGi every driver bundle has a class loader of its own, so each finds its own file. On a flat class path
 * (several drivers in one plain JVM) the first file of that name would win for all of them.
 */
public final class SensorLabels {

    /** Where a driver bundle keeps its labels, followed by the language and {@code .properties}. */
    public static final String RESOURCE_PREFIX = "OSGI-INF/l10n/labels_";

    /** The start of the keys of a model's name and setup instructions (never a sensor id). */
    public static final String MODEL_KEY_PREFIX = "_model.";

    /** No labels at all: English names and enum keys in words. */
    public static final SensorLabels ENGLISH = new SensorLabels(Map.of());

    private static final Pattern KEY_WORD = Pattern.compile("^[a-z][a-z0-9]*(_[a-z0-9]+)*$");

    private final Map<String, String> labels;
    private final Map<String, String> exact;
    private final List<Map.Entry<Pattern, String>> patterns = new ArrayList<>();

    /** @param labels the keys described in the class comment */
    public SensorLabels(Map<String, String> labels) {
        this.labels = Map.copyOf(labels);
        Map<String, String> plain = new LinkedHashMap<>();
        labels.forEach((k, v) -> {
            if (k.contains("*")) {
                String regex = Pattern.quote(k).replace("*", "\\E([a-z0-9]+)\\Q");
                patterns.add(Map.entry(Pattern.compile(regex), v));
            } else {
                plain.put(k, v);
            }
        });
        exact = Collections.unmodifiableMap(plain);
        // the most literal pattern first, so temp_room_target_* is not taken for temp_room_*
        patterns.sort((a, b) -> Integer.compare(b.getKey().pattern().length(), a.getKey().pattern().length()));
    }

    /**
     * These labels with {@code defaults} for keys they lack (e.g. the gateway's own names of the sensors it derives,
     * beside a driver's).
     */
    public SensorLabels withDefaults(Map<String, String> defaults) {
        Map<String, String> merged = new LinkedHashMap<>(defaults);
        merged.putAll(labels);
        return new SensorLabels(merged);
    }

    /**
     * Reads {@code OSGI-INF/l10n/labels_<language>.properties} through {@code owner}'s class loader; English, or a
     * language the owner has no file for, gives {@link #ENGLISH}.
     */
    public static SensorLabels load(Class<?> owner, Locale locale) {
        String language = locale == null ? "" : locale.getLanguage();
        if (language.isEmpty() || language.equals("en") || owner.getClassLoader() == null) {
            return ENGLISH;
        }
        try (InputStream in = owner.getClassLoader().getResourceAsStream(RESOURCE_PREFIX + language + ".properties")) {
            if (in == null) {
                return ENGLISH;
            }
            Properties p = new Properties();
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            p.stringPropertyNames().stream().sorted().forEach(k -> labels.put(k, p.getProperty(k).trim()));
            return new SensorLabels(labels);
        } catch (IOException e) {
            return ENGLISH; // an unreadable file is no reason to fail a request: the English names stand
        }
    }

    /** The sensor's name in this language, else its English name. */
    public String name(SensorDefinition sensor) {
        String exactName = exact.get(sensor.id());
        if (exactName != null) {
            return exactName;
        }
        for (Map.Entry<Pattern, String> p : patterns) {
            Matcher m = p.getKey().matcher(sensor.id());
            if (m.matches()) {
                String out = p.getValue();
                for (int g = 1; g <= m.groupCount(); g++) {
                    String part = m.group(g);
                    out = out.replace("{" + g + "}", part.length() == 1 ? part.toUpperCase(Locale.ROOT) : part);
                }
                return out;
            }
        }
        return sensor.name();
    }

    /** The label of one enum key of the sensor: its own, the driver-wide one, else the key in words. */
    public String enumLabel(SensorDefinition sensor, String key) {
        if (key == null) {
            return null;
        }
        String own = exact.get(sensor.id() + "." + key);
        if (own != null) {
            return own;
        }
        String shared = exact.get("enum." + key);
        return shared != null ? shared : words(key);
    }

    /**
     * A reading's text in this language: an enum key's label, or for a {@link DataType#BITFIELD} the labels of the
     * comma-separated keys of its set bits ({@code heating, hot_water} → "Heizen, Warmwasser").
     */
    public String text(SensorDefinition sensor, String text) {
        if (text == null || sensor.enumValues().isEmpty()) {
            return text;
        }
        if (sensor.dataType() == DataType.BITFIELD && text.contains(", ")) {
            List<String> parts = new ArrayList<>();
            for (String key : text.split(", ")) {
                parts.add(enumLabel(sensor, key));
            }
            return String.join(", ", parts);
        }
        return enumLabel(sensor, text);
    }

    /** Every enum value of the sensor (raw value as text) with its label. */
    public Map<String, String> enumLabels(SensorDefinition sensor) {
        Map<String, String> out = new LinkedHashMap<>();
        sensor.enumValues().forEach((value, key) -> out.put(String.valueOf(value), enumLabel(sensor, key)));
        return out;
    }

    /** True when this language has a name of its own for the sensor (not the English fallback). */
    public boolean hasName(SensorDefinition sensor) {
        return exact.containsKey(sensor.id())
                || patterns.stream().anyMatch(p -> p.getKey().matcher(sensor.id()).matches());
    }

    /** True when this language has a label of its own for the enum key (the sensor's or the driver-wide one). */
    public boolean hasEnumLabel(SensorDefinition sensor, String key) {
        return exact.containsKey(sensor.id() + "." + key) || exact.containsKey("enum." + key);
    }

    /** The model's name in this language ({@code _model.<model id>.name}); empty when it has none of its own. */
    public Optional<String> modelName(String modelId) {
        return Optional.ofNullable(exact.get(MODEL_KEY_PREFIX + modelId + ".name"));
    }

    /**
     * The model's setup instructions in this language ({@code _model.<model id>.setup}, else the bundle's
     * {@code _model.setup}), with {@code {model}} replaced by {@code modelName} and {@code {model_id}} by the id;
     * empty when the language has none.
     */
    public Optional<String> setupInstructions(String modelId, String modelName) {
        String text = exact.get(MODEL_KEY_PREFIX + modelId + ".setup");
        if (text == null) {
            text = exact.get(MODEL_KEY_PREFIX + "setup");
        }
        return Optional.ofNullable(text).map(t -> t.replace("{model_id}", modelId).replace("{model}", modelName));
    }

    /** {@code hot_water_only} → "Hot water only"; text that is not a key stays as it is. */
    public static String words(String key) {
        if (key == null || key.isEmpty() || !KEY_WORD.matcher(key).matches()) {
            return key;
        }
        return Character.toUpperCase(key.charAt(0)) + key.substring(1).replace('_', ' ');
    }
}
