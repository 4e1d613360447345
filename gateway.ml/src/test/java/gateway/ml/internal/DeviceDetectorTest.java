package gateway.ml.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import gateway.core.api.AnomalyFeatures;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.OperatingMode;
import gateway.core.api.SensorReading;

class DeviceDetectorTest {

    static final AnomalyFeatures FEATURES = new AnomalyFeatures(List.of("flow", "return", "heat", "electric"),
            "flow", "return", "heat", "electric");

    static DeviceSnapshot snapshot(Instant at, double flow, double ret, double heat, double electric) {
        return new DeviceSnapshot("hp-1", "m", "x", at, Map.of(
                "flow", SensorReading.good("flow", flow, null, at),
                "return", SensorReading.good("return", ret, null, at),
                "heat", SensorReading.good("heat", heat, null, at),
                "electric", SensorReading.good("electric", electric, null, at)));
    }

    static DeviceDetector detector() {
        return new DeviceDetector("hp-1", new FeatureExtractor(FEATURES, Set.of("flow", "return"), ZoneOffset.UTC),
                DetectorSettings.DEFAULTS, null);
    }

    @Test
    void derivedFeaturesFollowTheSensors() {
        FeatureExtractor x = new FeatureExtractor(FEATURES, Set.of("flow", "return"), ZoneOffset.UTC);
        assertEquals(List.of("flow", "return", "heat", "electric", "spread_flow_return", "cop", "hour_sin",
                "hour_cos", "hours_in_mode", "mode_changes_last_hour", "unchanged_polls_max"), x.names());
        Instant six = Instant.parse("2026-01-01T06:00:00Z");
        double[] v = x.extract(snapshot(six, 35, 30, 5, 1.25), OperatingMode.HEATING);
        assertEquals(5.0, v[4], 1e-12, "flow - return");
        assertEquals(4.0, v[5], 1e-12, "thermal / electrical");
        assertEquals(1.0, v[6], 1e-12, "06:00 is a quarter of the day");
        assertEquals(0.0, v[7], 1e-12);
        double[] idle = x.extract(snapshot(six.plusSeconds(1800), 35, 30, 0, 0.1), OperatingMode.STANDBY);
        assertTrue(Double.isNaN(idle[5]), "no COP below 0.2 kW input");
        assertEquals(1.0, idle[9], "one mode change in the last hour");
        assertEquals(Math.log(2), idle[10], 1e-12, "flow and return unchanged for one poll: log(1 + 1)");
    }

    @Test
    void defrostAndUnknownAreNotModelledAndEachModeHasItsOwnModel() {
        DeviceDetector d = detector();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertNull(d.process(snapshot(t, 35, 30, 5, 1.2), OperatingMode.DEFROST));
        assertNull(d.process(snapshot(t, 35, 30, 5, 1.2), OperatingMode.UNKNOWN));
        assertNotNull(d.process(snapshot(t, 35, 30, 5, 1.2), OperatingMode.HEATING));
        assertNotNull(d.process(snapshot(t, 48, 42, 5, 1.6), OperatingMode.HOT_WATER));
        assertNotNull(d.process(snapshot(t, 30, 29.5, 0, 0), OperatingMode.STANDBY));
        assertEquals(Set.of(OperatingMode.HEATING, OperatingMode.HOT_WATER, OperatingMode.STANDBY),
                d.models().keySet());
        assertEquals(1, d.models().get(OperatingMode.HEATING).samples());
    }
}
