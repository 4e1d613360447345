package gateway.core.testing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.IntStream;
import java.util.Locale;
import java.util.Set;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorLabels;

/**
 * Whether a driver bundle's labels in one language cover what a home owner looks at first: every sensor the driver
 * names a role for (outdoor, flow, hot water, faults…) and every value of the given mode and state sensors.
 */
public final class LabelCoverage {

    private LabelCoverage() {
    }

    /**
     * Every sensor the driver offers, in the default configuration and with everything installed (every circuit and
     * zone its capabilities list), has a name in {@code language}, and every enum key of each a label.
     *
     * @throws AssertionError naming each sensor id and enum key without one
     */
    public static void assertNamesEverySensor(List<HeatpumpDriver> drivers, Locale language) {
        Set<String> missing = new LinkedHashSet<>();
        for (HeatpumpDriver d : drivers) {
            SensorLabels labels = d.labels(language);
            for (SensorDefinition s : everySensor(d)) {
                if (!labels.hasName(s)) {
                    missing.add(d.modelId() + ": " + s.id());
                }
                s.enumValues().values().stream().filter(k -> !labels.hasEnumLabel(s, k))
                        .forEach(k -> missing.add(d.modelId() + ": " + s.id() + "." + k));
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError(missing.size() + " without a " + language.getDisplayLanguage(Locale.ENGLISH)
                    + " label: " + String.join(", ", missing));
        }
    }

    /**
     * Every model has setup instructions of its own in {@code language} (not the English ones, no placeholder left),
     * and neither they nor its name in the language name the make twice in a row ("a NIBE NIBE S1155", issue 16).
     *
     * @throws AssertionError naming each model without them
     */
    public static void assertModelTexts(List<HeatpumpDriver> drivers, Locale language) {
        List<String> missing = new ArrayList<>();
        for (HeatpumpDriver d : drivers) {
            String setup = d.setupInstructions(language);
            if (setup.equals(d.setupInstructions()) || setup.contains("{model")) {
                missing.add(d.modelId() + ": setup instructions");
            }
            String name = d.modelName(language);
            String twice = d.manufacturerName() + " " + d.manufacturerName();
            if (name.isBlank() || name.contains(twice) || setup.contains(twice)) {
                missing.add(d.modelId() + ": the make named twice or no name (" + name + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("no " + language.getDisplayLanguage(Locale.ENGLISH) + " text: " + missing);
        }
    }

    /** The sensors of the default configuration and of the fullest one (every circuit and zone), ids once. */
    public static List<SensorDefinition> everySensor(HeatpumpDriver driver) {
        var caps = driver.capabilities(DeviceConfig.empty());
        DeviceConfig full = DeviceConfig.of(caps.circuits(),
                IntStream.rangeClosed(1, caps.maxZones()).boxed().toList());
        List<SensorDefinition> out = new ArrayList<>(driver.sensors(DeviceConfig.empty()));
        Set<String> seen = new LinkedHashSet<>(out.stream().map(SensorDefinition::id).toList());
        driver.sensors(full).stream().filter(s -> seen.add(s.id())).forEach(out::add);
        if (out.isEmpty()) {
            throw new AssertionError(driver.modelId() + " offers no sensors: the check would prove nothing");
        }
        return out;
    }

    /**
     * @throws AssertionError naming each sensor or enum value without a label, or when none of {@code modes} exists
     *         (the check would then prove nothing)
     */
    public static void assertCovers(List<HeatpumpDriver> drivers, Locale language, Set<String> modes) {
        List<String> missing = new ArrayList<>();
        int modesSeen = 0;
        for (HeatpumpDriver d : drivers) {
            SensorLabels labels = d.labels(language);
            DeviceConfig config = DeviceConfig.empty();
            for (String role : d.sensorRoles(config).values()) {
                d.sensor(config, role).filter(s -> !labels.hasName(s))
                        .ifPresent(s -> missing.add(d.modelId() + ": " + s.id()));
            }
            for (SensorDefinition s : d.sensors(config)) {
                if (modes.contains(s.id())) {
                    modesSeen++;
                    if (!labels.hasName(s)) {
                        missing.add(d.modelId() + ": " + s.id());
                    }
                    s.enumValues().values().stream().filter(k -> !labels.hasEnumLabel(s, k))
                            .forEach(k -> missing.add(d.modelId() + ": " + s.id() + "." + k));
                }
            }
        }
        if (modesSeen == 0) {
            throw new AssertionError("none of the mode sensors " + modes + " exists: the check would prove nothing");
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("no " + language.getDisplayLanguage(Locale.ENGLISH) + " label: " + missing);
        }
    }
}
