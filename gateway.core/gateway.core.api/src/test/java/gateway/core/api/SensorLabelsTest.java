package gateway.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SensorLabelsTest {

    private static final SensorDefinition OUTDOOR = SensorDefinition.builder("temp_outdoor")
            .name("Outdoor temperature").build();

    private final SensorLabels german = new SensorLabels(Map.of(
            "temp_outdoor", "Außentemperatur",
            "_model.wpm.name", "Stiebel Eltron WPM über ISG",
            "_model.wpm.setup", "## Eine {model} verbinden",
            "_model.setup", "## {model} ({model_id}) einrichten"));

    @Test
    void modelNameComesFromItsReservedKey() {
        assertEquals(Optional.of("Stiebel Eltron WPM über ISG"), german.modelName("wpm"));
        assertEquals(Optional.empty(), german.modelName("lwz"));
        assertEquals(Optional.empty(), SensorLabels.ENGLISH.modelName("wpm"));
    }

    @Test
    void setupOfTheModelWinsOverTheBundlesAndNamesTheModel() {
        assertEquals(Optional.of("## Eine WPM-Name verbinden"), german.setupInstructions("wpm", "WPM-Name"));
        assertEquals(Optional.of("## LWZ (lwz) einrichten"), german.setupInstructions("lwz", "LWZ"));
        assertEquals(Optional.empty(), SensorLabels.ENGLISH.setupInstructions("lwz", "LWZ"));
    }

    @Test
    void modelKeysAreNeverTakenForSensorsOrEnumValues() {
        SensorDefinition model = SensorDefinition.builder("model").name("Model")
                .type(DataType.ENUM).enumValues(Map.of(1, "wpm")).build();
        assertFalse(german.hasName(model));
        assertFalse(german.hasEnumLabel(model, "wpm"));
        assertTrue(german.hasName(OUTDOOR));
    }

    @Test
    void driverFallsBackToEnglishWithoutModelLabels() {
        assertEquals("Außentemperatur", german.name(OUTDOOR));
    }
}
