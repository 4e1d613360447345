package gateway.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.HeatpumpSimulator;
import gateway.core.api.OperatingMode;

class SimulatedPlantChecksTest {

    /** Return water that follows the supply 5 K lower, unless its sensor is stuck (or broken: never moves). */
    private static class Plant implements HeatpumpSimulator.Running {
        final boolean brokenFault;
        double time;
        boolean stuck;
        double stuckAt;

        Plant(boolean brokenFault) {
            this.brokenFault = brokenFault;
        }

        void step(double dt) {
            time += dt;
        }

        double supply() {
            return 35 + 10 * Math.sin(time / 3600.0);
        }

        public Double value(String id) {
            return switch (id) {
                case "supply" -> supply();
                case "return" -> stuck || brokenFault ? stuckAt : supply() - 5;
                default -> null;
            };
        }

        public boolean injectFault(String fault) {
            stuck = true;
            stuckAt = supply() - 5;
            return true;
        }

        public void clearFault(String fault) {
            stuck = false;
        }

        public int port() {
            return 0;
        }

        public void latencyMillis(int millis) {
        }

        public void disconnectClients() {
        }

        public int writeCount(String sensorId) {
            return 0;
        }

        public long requestCount() {
            return 0;
        }

        public void close() {
        }
    }

    @Test
    void stuckSensorCheckPassesAFrozenSensorThatRecoversAndFailsOneThatNeverDoes() {
        Plant healthy = new Plant(false);
        SimulatedPlantChecks.assertStuckSensor(healthy, healthy::step, 30, "return", "supply");
        Plant broken = new Plant(true);
        assertThrows(AssertionFailedError.class,
                () -> SimulatedPlantChecks.assertStuckSensor(broken, broken::step, 30, "return", "supply"));
    }

    @Test
    void modesSeenCollectsTheModeAfterEveryStep() {
        double[] time = {0};
        var seen = SimulatedPlantChecks.modesSeen(dt -> time[0] += dt,
                () -> time[0] < 600 ? OperatingMode.HEATING : OperatingMode.STANDBY, 60, 900);
        assertEquals(EnumSet.of(OperatingMode.HEATING, OperatingMode.STANDBY), seen);
        assertEquals(900, time[0], 1e-9);
    }

    @Test
    void snapshotHoldsWhatTheSimulatorServesForTheDriversSensors() {
        TestDriver driver = new TestDriver();
        Map<String, Double> served = new HashMap<>(Map.of("temp_outdoor", 3.5, "power_electric", 1.25));
        HeatpumpSimulator.Running sim = new Plant(false) {
            @Override
            public Double value(String id) {
                return served.get(id);
            }
        };
        Instant at = Instant.parse("2026-01-05T06:00:00Z");
        DeviceSnapshot s = SimulatorSnapshots.snapshot(driver, DeviceConfig.empty(), sim, at);
        assertEquals(served.keySet(), s.readings().keySet(), "sensors the simulator has no value for are left out");
        assertEquals(3.5, s.reading("temp_outdoor").value());
        assertEquals(driver.manufacturerId(), s.manufacturer());
        assertEquals(driver.modelId(), s.model());
        assertEquals(at, s.time());
    }

    /** A compressor on a fixed pattern: 4 min on / 4 off while short cycling, else 30 min on / 10 off. */
    private static final class Cycler extends Plant {
        final boolean recovers;

        Cycler(boolean recovers) {
            super(false);
            this.recovers = recovers;
        }

        boolean running() {
            return stuck ? time % 480 < 240 : time % 2400 < 1800;
        }

        @Override
        public void clearFault(String fault) {
            stuck = !recovers;
        }

        CompressorCycles cycles(double seconds) {
            return CompressorCycles.measure(this::step, this::running, 30, seconds);
        }
    }

    @Test
    void shortCyclingCheckPassesATripThatClearsAndFailsOneThatStays() {
        Cycler healthy = new Cycler(true);
        SimulatedPlantChecks.assertShortCycling(healthy, healthy::cycles, healthy::step, 30);
        assertEquals(17 * 3600, healthy.time, 1e-9, "4 h faulty, 1 h settling, 12 h measured");
        Cycler stays = new Cycler(false);
        assertThrows(AssertionFailedError.class,
                () -> SimulatedPlantChecks.assertShortCycling(stays, stays::cycles, stays::step, 30));
    }
}
