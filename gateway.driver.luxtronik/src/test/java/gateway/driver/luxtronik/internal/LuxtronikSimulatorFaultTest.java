package gateway.driver.luxtronik.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.DeviceConfig;
import gateway.core.api.OperatingMode;
import gateway.core.testing.CompressorCycles;
import gateway.core.testing.SimulatedPlantChecks;
import gateway.core.testing.SimulatorSnapshots;

/**
 * The realistic model and the labelled faults of the Luxtronik simulator, driven without sockets. Sensor faults are
 * checked against a healthy twin with the same weather; expected effects come from the fault definitions of issue #7:
 * a frozen sensor, +1 K per hour, a tripled flow−return spread, 4 min on / 4 min off, an iced evaporator (long
 * defrosts, colder air out, 40 % less heat), a tank stuck below 42 °C.
 */
class LuxtronikSimulatorFaultTest {

    private static final double STEP = 30;
    private LuxtronikSimulator sim;
    private LuxtronikSimulator twin;

    @AfterEach
    void stop() {
        for (LuxtronikSimulator s : new LuxtronikSimulator[] {sim, twin}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static LuxtronikSimulator realistic() {
        LuxtronikSimulator s = LuxtronikSimulator.offline("V3.88.1");
        s.weather(7);
        return s;
    }

    private void run(double seconds) {
        for (double t = 0; t < seconds; t += STEP) {
            sim.step(STEP);
            if (twin != null) {
                twin.step(STEP);
            }
        }
    }

    private boolean running(LuxtronikSimulator s) {
        return s.value("output_compressor1") == 1;
    }

    private static double spread(LuxtronikSimulator s) {
        return s.value("temp_flow") - s.value("temp_return");
    }

    private static OperatingMode mode(LuxtronikDriver driver, LuxtronikSimulator sim) {
        return driver.operatingMode(SimulatorSnapshots.snapshot(driver, DeviceConfig.empty(), sim, Instant.now()));
    }

    @Test
    void offlineSimulatorOpensNoSocketAndCountsSimulatedTimeFromSixOClock() {
        sim = realistic();
        assertEquals(0, sim.port());
        assertEquals(6 * 3600, sim.simulatedSeconds(), 1e-9);
        sim.step(90);
        assertEquals(6 * 3600 + 90, sim.simulatedSeconds(), 1e-9);
    }

    @Test
    void faultsAreOfferedOnlyByTheRealisticModel() {
        sim = LuxtronikSimulator.offline("V3.88.1");
        assertEquals(Set.of(), sim.availableFaults(), "the demo's timer model cannot show them");
        assertFalse(sim.injectFault("low_flow"));
        sim.weather(1);
        assertEquals(Set.of("stuck_sensor", "sensor_drift", "low_flow", "short_cycling", "failed_defrost",
                "hot_water_not_reached"), sim.availableFaults());
        assertFalse(sim.injectFault("no_such_fault"));
    }

    @Test
    void realisticDayIsColdestAtDawnAndWarmestInTheAfternoon() {
        sim = realistic();
        run(23 * 3600);
        double dawn = sim.value("temp_outdoor");
        run(12 * 3600);
        double afternoon = sim.value("temp_outdoor");
        assertTrue(afternoon - dawn > 6, "a 24 h swing of ~10 K: " + dawn + " → " + afternoon);
    }

    @Test
    void operatingModeShowsHeatingHotWaterDefrostAndStandbyOverADay() {
        sim = realistic();
        LuxtronikDriver driver = new LuxtronikDriver();
        assertEquals(EnumSet.of(OperatingMode.HEATING, OperatingMode.HOT_WATER, OperatingMode.STANDBY,
                OperatingMode.DEFROST), SimulatedPlantChecks.modesSeen(sim::step, () -> mode(driver, sim), STEP, 86400));
    }

    @Test
    void stuckSensorFreezesTheReturnAndClearingReleasesIt() {
        sim = realistic();
        twin = realistic();
        run(3600);
        assertTrue(sim.injectFault("stuck_sensor"));
        double frozen = sim.value("temp_return");
        boolean twinMoved = false;
        for (int i = 0; i < 240; i++) {
            run(STEP);
            assertEquals(frozen, sim.value("temp_return"), 1e-9);
            assertEquals(twin.value("temp_flow"), sim.value("temp_flow"), 1e-9, "only the sensor is affected");
            twinMoved |= Math.abs(twin.value("temp_return") - frozen) > 1;
        }
        assertTrue(twinMoved, "the water kept moving while TRL was stuck");
        sim.clearFault("stuck_sensor");
        run(STEP);
        assertEquals(twin.value("temp_return"), sim.value("temp_return"), 1e-9);
    }

    @Test
    void driftingFlowSensorReadsOneKelvinMorePerHour() {
        sim = realistic();
        twin = realistic();
        run(3600);
        sim.injectFault("sensor_drift");
        run(3600);
        assertEquals(1.0, sim.value("temp_flow") - twin.value("temp_flow"), 0.11);
        run(3600);
        assertEquals(2.0, sim.value("temp_flow") - twin.value("temp_flow"), 0.11);
        assertEquals(twin.value("temp_return"), sim.value("temp_return"), 1e-9);
        sim.clearFault("sensor_drift");
        run(STEP);
        assertEquals(twin.value("temp_flow"), sim.value("temp_flow"), 1e-9);
    }

    @Test
    void lowFlowTriplesTheSpreadWhileRunningAndClearingRestoresIt() {
        sim = realistic();
        twin = realistic();
        run(3600);
        sim.injectFault("low_flow");
        int runningSteps = 0;
        for (int i = 0; i < 6 * 120; i++) {
            run(STEP);
            if (running(twin)) {
                runningSteps++;
                assertEquals(3 * spread(twin), spread(sim), 0.25, "spread tripled at step " + i);
                assertTrue(sim.value("flow_rate_heat_meter") < twin.value("flow_rate_heat_meter") / 2);
            } else {
                assertEquals(spread(twin), spread(sim), 1e-9, "unchanged while stopped");
            }
        }
        assertTrue(runningSteps > 60, "the compressor ran: " + runningSteps + " steps");
        sim.clearFault("low_flow");
        run(STEP);
        assertEquals(spread(twin), spread(sim), 1e-9);
    }

    @Test
    void shortCyclingTripsAfterFourMinutesAndStaysOffForFour() {
        sim = realistic();
        run(3600);
        SimulatedPlantChecks.assertShortCycling(sim, this::cycles, this::run, STEP);
    }

    /** The compressor's cycles; C57 must count every start too. */
    private CompressorCycles cycles(double seconds) {
        double counterBefore = sim.value("starts_compressor1");
        CompressorCycles c = CompressorCycles.measure(sim::step, () -> running(sim), STEP, seconds);
        assertEquals(c.starts(), sim.value("starts_compressor1") - counterBefore, 1e-9, "C57 counts every start");
        return c;
    }

    @Test
    void failedDefrostDefrostsLongerRunsTheEvaporatorColderAndGivesLessHeat() {
        sim = realistic();
        run(3600);
        sim.injectFault("failed_defrost");
        int heating = 0;
        int defrosting = 0;
        for (double t = 0; t < 6 * 3600; t += STEP) {
            sim.step(STEP);
            double state = sim.value("operating_state");
            if (state == 4) {
                defrosting++;
                heating++;
                assertEquals(1, sim.value("output_defrost_valve"));
            } else if (state == 0 && running(sim)) {
                heating++;
                assertEquals(-12.0, sim.value("temp_source_out") - sim.value("temp_source_in"), 0.11,
                        "the iced evaporator cools the air 12 K instead of 5 K");
                double full = 4000 + 120 * (20 - sim.value("temp_outdoor"));
                assertEquals(0.6 * full, sim.value("heat_output"), 20, "40 % less heat");
            }
        }
        assertTrue(heating > 100, "heated for a while: " + heating + " steps");
        assertTrue(defrosting >= 0.15 * heating, "defrosting 15 of 60 min: " + defrosting + "/" + heating);
        sim.clearFault("failed_defrost");
        for (double t = 0; t < 86400; t += STEP) {
            sim.step(STEP);
            if (sim.value("operating_state") == 0 && running(sim)) {
                assertEquals(-5.0, sim.value("temp_source_out") - sim.value("temp_source_in"), 0.11);
                return;
            }
        }
        throw new AssertionError("no heating after clearing");
    }

    @Test
    void hotWaterNotReachedKeepsChargingBelowFortyTwoDegrees() {
        sim = realistic();
        sim.injectFault("hot_water_not_reached");
        run(86400);
        double max = 0;
        for (double t = 0; t < 6 * 3600; t += STEP) {
            sim.step(STEP);
            max = Math.max(max, sim.value("temp_hot_water"));
            assertEquals(1, sim.value("operating_state"), "the charge never ends");
        }
        assertTrue(max < 42.5, "the tank stays below 42 °C: " + max);
        sim.clearFault("hot_water_not_reached");
        for (double t = 0; t < 86400 && sim.value("operating_state") == 1; t += STEP) {
            sim.step(STEP);
        }
        assertTrue(sim.value("temp_hot_water") >= 47.9, "cleared: the charge ends at the 48 °C target");
    }
}
