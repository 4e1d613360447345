package gateway.driver.nibe.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

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
        }
    }
}
