package gateway.driver.nibe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpDriver;

/** Issue 16: the wizard read "a NIBE NIBE S1155"; the model's display name already carries the make. */
class NibeSetupTextTest {

    @Test
    void theMakeIsNamedOnce() {
        for (HeatpumpDriver driver : List.of(new NibeS1155Driver(), new NibeS1255Driver(), new NibeS2125Driver())) {
            String text = driver.setupInstructions();
            assertFalse(text.contains("NIBE NIBE"), text);
            assertTrue(text.contains("on a NIBE S"), text);
            String dashboard = driver.dashboardTemplate(DeviceConfig.of(List.of("1"), List.of())).name();
            assertFalse(dashboard.contains("NIBE NIBE"), dashboard);
            String german = driver.setupInstructions(Locale.GERMAN);
            assertFalse(german.contains("NIBE NIBE"), german);
            assertTrue(german.startsWith("## Modbus TCP an einer " + driver.modelName(Locale.GERMAN) + " einschalten"),
                    german);
            assertTrue(german.contains("Menü 7.5.9"), german);
        }
    }

    @Test
    void modelNamesReadInGermanAndStayEnglishInEnglish() {
        assertEquals("NIBE S1155 (Sole/Wasser)", new NibeS1155Driver().modelName(Locale.GERMAN));
        assertEquals("NIBE S1155 (ground source)", new NibeS1155Driver().modelName(Locale.ENGLISH));
        assertEquals(new NibeS2125Driver().setupInstructions(), new NibeS2125Driver().setupInstructions(Locale.ENGLISH));
    }
}
