package gateway.core.testing;

import java.util.ArrayList;
import java.util.List;
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
