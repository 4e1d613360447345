package gateway.driver.daikin.internal;

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
class DaikinLabelsTest {

    private static final List<HeatpumpDriver> DRIVERS = List.of(new DaikinAltherma3EkrhhDriver(), new DaikinAltherma4Driver());
    /** Modes and states whose every value must read in German. */
    private static final Set<String> MODES = Set.of("operation_mode", "operation_mode_actual", "unit_operation_mode", "unit_error", "three_way_valve", "quiet_mode", "smart_grid_mode", "hot_water_mode");

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
        SensorDefinition s = d.sensor(DeviceConfig.empty(), "temp_return_water").orElseThrow();
        assertEquals("Rücklauftemperatur", d.labels(Locale.GERMAN).name(s));
        assertEquals(s.name(), d.labels(Locale.ENGLISH).name(s));
    }
}
