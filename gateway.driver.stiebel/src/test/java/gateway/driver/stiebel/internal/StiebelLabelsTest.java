package gateway.driver.stiebel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.SensorDefinition;
import gateway.core.testing.LabelCoverage;

/** The driver bundle's German labels (OSGI-INF/l10n/labels_de.properties) cover what a home owner looks at first. */
class StiebelLabelsTest {

    private static final List<HeatpumpDriver> DRIVERS = List.of(new StiebelWpmDriver(), new StiebelLwzDriver());
    /** Modes and states whose every value must read in German. */
    private static final Set<String> MODES = Set.of("operating_status", "operating_mode", "utility_lock", "fault_status", "sg_ready_state");

    @Test
    void everySensorOfEveryModelAndEveryEnumValueHasAGermanLabel() {
        // every circuit the models support included: a sensor added without a German name fails here
        LabelCoverage.assertNamesEverySensor(DRIVERS, Locale.GERMAN);
    }

    @Test
    void everyModelHasGermanSetupInstructionsAndName() {
        LabelCoverage.assertModelTexts(DRIVERS, Locale.GERMAN);
    }

    @Test
    void roleSensorsAndModesHaveGermanLabels() {
        LabelCoverage.assertCovers(DRIVERS, Locale.GERMAN, MODES);
    }

    @Test
    void germanNameComesThroughAndEnglishStays() {
        HeatpumpDriver d = DRIVERS.get(0);
        SensorDefinition s = d.sensor(DeviceConfig.empty(), "temp_hot_water").orElseThrow();
        assertEquals("Warmwasser-Isttemperatur", d.labels(Locale.GERMAN).name(s));
        assertEquals(s.name(), d.labels(Locale.ENGLISH).name(s));
    }
}
