package gateway.core.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SimulationSupportTest {

    @Test
    void faultIdsAreTheLowerCaseNamesTheApiUses() {
        assertEquals("hot_water_not_reached", LabelledFault.HOT_WATER_NOT_REACHED.id());
        assertEquals(Optional.of(LabelledFault.LOW_FLOW), LabelledFault.of("LOW_flow"));
        assertEquals(Optional.empty(), LabelledFault.of("overheating"));
        assertEquals(Optional.empty(), LabelledFault.of(null));
    }

    @Test
    void aPlantStartsOnlyTheFaultsItOffersAndKeepsTheFirstStart() {
        ActiveFaults faults = new ActiveFaults(EnumSet.complementOf(EnumSet.of(LabelledFault.FAILED_DEFROST)));
        assertEquals(5, faults.offeredIds().size());
        assertFalse(faults.offeredIds().contains("failed_defrost"));
        assertFalse(faults.start(LabelledFault.FAILED_DEFROST, 10), "not offered");
        assertEquals(Optional.empty(), faults.offered("failed_defrost"));
        assertTrue(faults.start(LabelledFault.SENSOR_DRIFT, 100));
        assertFalse(faults.start(LabelledFault.SENSOR_DRIFT, 200), "already active");
        assertEquals(100, faults.since(LabelledFault.SENSOR_DRIFT));
        assertEquals(Set.of(LabelledFault.SENSOR_DRIFT), faults.active());
        faults.stop(LabelledFault.SENSOR_DRIFT);
        assertFalse(faults.active(LabelledFault.SENSOR_DRIFT));
        assertTrue(Double.isNaN(faults.since(LabelledFault.SENSOR_DRIFT)));
        assertTrue(new ActiveFaults(Set.of()).offeredIds().isEmpty());
    }

    @Test
    void theDayIsColdestAtFiveAndWarmestAtFiveInTheAfternoon() {
        assertEquals(0.0, SimulatedWeather.daily(5 * 3600), 1e-9);
        assertEquals(10.0, SimulatedWeather.daily(17 * 3600), 1e-9);
        assertEquals(5.0, SimulatedWeather.daily(11 * 3600), 1e-9);
    }

    @Test
    void theOffsetWandersWithinThreeKelvinContinuouslyAndRepeatsWithTheSeed() {
        SimulatedWeather a = new SimulatedWeather(7);
        SimulatedWeather b = new SimulatedWeather(7);
        SimulatedWeather other = new SimulatedWeather(8);
        double previous = a.offset(0);
        boolean differs = false;
        for (double t = 0; t < 30 * 86400; t += 600) {
            double o = a.offset(t);
            assertTrue(Math.abs(o) <= 3, "within ±3 K: " + o);
            assertTrue(Math.abs(o - previous) < 0.1, "no jump at " + t);
            assertEquals(o, b.offset(t), 0, "same seed, same weather");
            differs |= Math.abs(o - other.offset(t)) > 0.5;
            previous = o;
        }
        assertTrue(differs, "another seed gives other weather");
        assertEquals(SimulatedWeather.daily(3600) + new SimulatedWeather(7).offset(3600), new SimulatedWeather(7).outdoor(3600), 1e-12);
    }
}
