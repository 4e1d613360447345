package gateway.ml.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.OperatingMode;
import gateway.core.api.SensorReading;
import gateway.core.testing.TestDriver;
import gateway.driver.idm.internal.IdmDriver;
import gateway.driver.idm.internal.IdmRegisterMap;

/** The detector finds a driver's anomaly hooks on the driver service itself, and only there. */
class AnomalyProfileLookupTest {

    @Test
    void aDriverThatIsNoAnomalyProfileGetsNoProfile() {
        assertTrue(AnomalyDetector.profile(new TestDriver()).isEmpty());
    }

    @Test
    void aDriverThatIsAnAnomalyProfileAnswersFeaturesAndModes() {
        var profile = AnomalyDetector.profile(new IdmDriver()).orElseThrow();
        assertTrue(profile.anomalyFeatures(IdmRegisterMap.DEFAULT_CONFIG).sensors().contains("temp_outside"));
        Instant now = Instant.now();
        DeviceSnapshot hotWater = new DeviceSnapshot("hp", "idm", "navigator_2_0", now,
                Map.of("status_heat_pump", SensorReading.good("status_heat_pump", 5, null, now)));
        assertEquals(OperatingMode.HOT_WATER, profile.operatingMode(hotWater));
    }
}
