package gateway.driver.daikin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.DeviceConfig;
import gateway.core.api.OperatingMode;
import gateway.core.testing.CompressorCycles;
import gateway.core.testing.SimulatedPlantChecks;
import gateway.core.testing.SimulatorSnapshots;

/**
 * The realistic mode and the labelled faults of the Daikin simulator, driven without sockets. Expected effects come
 * from the fault definitions of issue #7: a frozen sensor, +1 K per hour, a tripled leaving−return spread, 4 min on /
 * 4 min off, an iced coil (long defrosts, 40 % less heat), a tank stuck below 42 °C.
 */
class DaikinSimulatorFaultTest {

    private static final double STEP = 30;
    private static final DeviceConfig MAIN = new DeviceConfig(List.of(DaikinRegisterMap.MAIN), List.of(), Map.of());
    private DaikinSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private DaikinSimulator realistic() {
        sim = DaikinSimulator.offline(DaikinModel.ALTHERMA_3_EKRHH, MAIN);
        sim.weather(7);
        return sim;
    }

    private void run(double seconds) {
        for (double t = 0; t < seconds; t += STEP) {
            sim.step(STEP);
        }
    }

    private boolean spaceHeating() {
        return sim.value("compressor_running") == 1 && sim.value("three_way_valve") == 0 && sim.value("defrost") == 0;
    }

    /** Runs until the compressor heats the space (not hot water, not defrosting), at most a day. */
    private void runUntilSpaceHeating() {
        for (double t = 0; t < 86400; t += STEP) {
            sim.step(STEP);
            if (spaceHeating()) {
                return;
            }
        }
        throw new AssertionError("no space heating in a day");
    }

    private double spread() {
        return sim.value("temp_leaving_water_buh") - sim.value("temp_return_water");
    }

    private static OperatingMode mode(DaikinDriver driver, DaikinSimulator sim) {
        return driver.operatingMode(SimulatorSnapshots.snapshot(driver, MAIN, sim, Instant.now()));
    }

    @Test
    void offlineSimulatorOpensNoSocketAndCountsSimulatedTimeFromSixOClock() {
        realistic();
        assertEquals(0, sim.port());
        assertEquals(6 * 3600, sim.simulatedSeconds(), 1e-9);
        sim.step(90);
        assertEquals(6 * 3600 + 90, sim.simulatedSeconds(), 1e-9);
    }

    @Test
    void realisticDayIsColdestAtDawnAndWarmestInTheAfternoon() {
        realistic();
        run(23 * 3600); // to 05:00 of day 2
        double dawn = sim.value("temp_outdoor");
        run(12 * 3600);
        double afternoon = sim.value("temp_outdoor");
        assertTrue(afternoon - dawn > 6, "a 24 h swing of ~10 K: " + dawn + " → " + afternoon);
    }

    @Test
    void operatingModeShowsHeatingHotWaterDefrostAndStandbyOverADay() {
        realistic();
        DaikinDriver driver = new DaikinAltherma3EkrhhDriver();
        assertEquals(EnumSet.of(OperatingMode.HEATING, OperatingMode.HOT_WATER, OperatingMode.STANDBY,
                OperatingMode.DEFROST), SimulatedPlantChecks.modesSeen(sim::step, () -> mode(driver, sim), STEP, 86400));
    }

    @Test
    void allSixFaultsAreOfferedByName() {
        realistic();
        assertEquals(Set.of("stuck_sensor", "sensor_drift", "low_flow", "short_cycling", "failed_defrost",
                "hot_water_not_reached"), sim.availableFaults());
        assertFalse(sim.injectFault("no_such_fault"));
    }

    @Test
    void stuckSensorFreezesTheReturnWaterAndClearingReleasesIt() {
        realistic();
        run(3600);
        SimulatedPlantChecks.assertStuckSensor(sim, sim::step, STEP, "temp_return_water", "temp_leaving_water_phe");
    }

    /** The PHE leaving water sensor minus the water (the BUH sensor sits 0.2 K downstream of it). */
    private double pheOffset() {
        return sim.value("temp_leaving_water_phe") - (sim.value("temp_leaving_water_buh") - 0.2);
    }

    @Test
    void driftingLeavingWaterSensorReadsOneKelvinMorePerHour() {
        realistic();
        run(3600);
        assertEquals(0.0, pheOffset(), 0.02);
        sim.injectFault("sensor_drift");
        run(3600);
        assertEquals(1.0, pheOffset(), 0.02);
        run(3600);
        assertEquals(2.0, pheOffset(), 0.02);
        sim.clearFault("sensor_drift");
        sim.step(STEP);
        assertEquals(0.0, pheOffset(), 0.02);
    }

    @Test
    void lowFlowTriplesTheSpreadWhileRunningAndClearingRestoresIt() {
        realistic();
        runUntilSpaceHeating();
        assertEquals(5.0, spread(), 0.02);
        assertEquals(21.5, sim.value("flow_rate"), 1e-9);
        sim.injectFault("low_flow");
        runUntilSpaceHeating();
        assertEquals(15.0, spread(), 0.02);
        assertTrue(sim.value("flow_rate") < 21.5 / 2, "the flow rate shows the low flow");
        sim.clearFault("low_flow");
        runUntilSpaceHeating();
        assertEquals(5.0, spread(), 0.02);
    }

    @Test
    void shortCyclingTripsAfterFourMinutesAndStaysOffForFour() {
        realistic();
        run(3600);
        SimulatedPlantChecks.assertShortCycling(sim, this::cycles, this::run, STEP);
    }

    private CompressorCycles cycles(double seconds) {
        return CompressorCycles.measure(sim::step, () -> sim.value("compressor_running") == 1, STEP, seconds);
    }

    @Test
    void failedDefrostDefrostsLongerAndGivesLessHeatForTheSamePower() {
        realistic();
        run(3600);
        runUntilSpaceHeating();
        assertEquals(5.0, spread(), 0.02);
        sim.injectFault("failed_defrost");
        int heating = 0;
        int defrosting = 0;
        for (double t = 0; t < 6 * 3600; t += STEP) {
            sim.step(STEP);
            if (sim.value("defrost") == 1) {
                defrosting++;
                heating++;
            } else if (spaceHeating()) {
                heating++;
                assertEquals(3.0, spread(), 0.02, "40 % less heat at the same flow");
            }
        }
        assertTrue(heating > 100, "heated for a while: " + heating + " steps");
        assertTrue(defrosting >= 0.15 * heating, "defrosting 15 of 60 min while heating: " + defrosting + "/" + heating);
        sim.clearFault("failed_defrost");
        runUntilSpaceHeating();
        assertEquals(5.0, spread(), 0.02);
    }

    @Test
    void hotWaterNotReachedKeepsReheatingBelowFortyTwoDegrees() {
        realistic();
        sim.injectFault("hot_water_not_reached");
        run(86400);
        double max = 0;
        for (double t = 0; t < 6 * 3600; t += STEP) {
            sim.step(STEP);
            max = Math.max(max, sim.value("temp_hot_water"));
            assertEquals(1, sim.value("three_way_valve"), "the reheat never ends");
        }
        assertTrue(max < 42.5, "the tank stays below 42 °C: " + max);
        sim.clearFault("hot_water_not_reached");
        for (double t = 0; t < 86400 && sim.value("three_way_valve") == 1; t += STEP) {
            sim.step(STEP);
        }
        assertEquals(0, sim.value("three_way_valve"));
        assertTrue(sim.value("temp_hot_water") >= 47.9, "cleared: the reheat ends at the 48 °C setpoint");
    }
}
