package gateway.driver.nibe.internal;

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
 * The realistic mode and the labelled faults of the NIBE simulator, driven without sockets. Expected effects come
 * from the fault definitions of issue #7: a frozen sensor, +1 K per hour, a tripled flow−return spread, 4 min on /
 * 4 min off, an iced evaporator, a water heater stuck below 42 °C.
 */
class NibeSimulatorFaultTest {

    private static final double STEP = 30;
    private NibeSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private NibeSimulator realistic(NibeModel model) {
        sim = NibeSimulator.offline(model);
        sim.weather(7);
        return sim;
    }

    private void run(double seconds) {
        for (double t = 0; t < seconds; t += STEP) {
            sim.step(STEP);
        }
    }

    /** Runs until the compressor is in the given priority (10 off, 20 hot water, 30 heat), at most a day. */
    private void runUntilPriority(int priority) {
        for (double t = 0; t < 86400; t += STEP) {
            if (sim.value("priority") == priority) {
                return;
            }
            sim.step(STEP);
        }
        throw new AssertionError("priority " + priority + " not reached in a day");
    }

    private static OperatingMode mode(NibeDriver driver, NibeSimulator sim) {
        return driver.operatingMode(SimulatorSnapshots.snapshot(driver, DeviceConfig.empty(), sim, Instant.now()));
    }

    @Test
    void offlineSimulatorOpensNoSocketAndCountsSimulatedTimeFromSixOClock() {
        realistic(NibeModel.S1155);
        assertEquals(0, sim.port());
        assertEquals(6 * 3600, sim.simulatedSeconds(), 1e-9);
        sim.step(90);
        assertEquals(6 * 3600 + 90, sim.simulatedSeconds(), 1e-9);
    }

    @Test
    void realisticDayIsColdestAtDawnAndWarmestInTheAfternoon() {
        realistic(NibeModel.S1155);
        run(-sim.simulatedSeconds() + 86400 + 5 * 3600); // to 05:00 of day 2
        double dawn = sim.value("temp_outdoor");
        run(12 * 3600); // 17:00
        double afternoon = sim.value("temp_outdoor");
        assertTrue(afternoon - dawn > 6, "a 24 h swing of ~10 K: " + dawn + " → " + afternoon);
    }

    @Test
    void weatherSeedsGiveDifferentDays() {
        NibeSimulator a = NibeSimulator.offline(NibeModel.S1155);
        NibeSimulator b = NibeSimulator.offline(NibeModel.S1155);
        try {
            a.weather(1);
            b.weather(2);
            a.step(3 * 86400);
            b.step(3 * 86400);
            assertTrue(Math.abs(a.value("temp_outdoor") - b.value("temp_outdoor")) > 0.05);
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void s1155ShowsHeatingHotWaterAndStandbyOverADay() {
        realistic(NibeModel.S1155);
        NibeDriver driver = new NibeS1155Driver();
        Set<OperatingMode> seen = SimulatedPlantChecks.modesSeen(sim::step, () -> mode(driver, sim), STEP, 86400);
        assertTrue(seen.containsAll(EnumSet.of(OperatingMode.HEATING, OperatingMode.HOT_WATER, OperatingMode.STANDBY)),
                "modes " + seen);
        assertFalse(seen.contains(OperatingMode.DEFROST), "a ground-source pump never defrosts");
    }

    @Test
    void s2125AlsoShowsDefrostOnColdMornings() {
        realistic(NibeModel.S2125);
        NibeDriver driver = new NibeS2125Driver();
        Set<OperatingMode> seen = SimulatedPlantChecks.modesSeen(sim::step, () -> mode(driver, sim), STEP,
                2 * 86400);
        assertTrue(seen.containsAll(EnumSet.of(OperatingMode.HEATING, OperatingMode.HOT_WATER, OperatingMode.STANDBY,
                OperatingMode.DEFROST)), "modes " + seen);
    }

    @Test
    void faultsOfferedByNameExceptDefrostOnAGroundSourcePump() {
        realistic(NibeModel.S1155);
        assertEquals(Set.of("stuck_sensor", "sensor_drift", "low_flow", "short_cycling", "hot_water_not_reached"),
                sim.availableFaults());
        assertFalse(sim.injectFault("failed_defrost"));
        assertFalse(sim.injectFault("no_such_fault"));
        try (NibeSimulator air = NibeSimulator.offline(NibeModel.S2125)) {
            assertTrue(air.availableFaults().contains("failed_defrost"));
        }
    }

    @Test
    void stuckSensorFreezesTheReturnLineAndClearingReleasesIt() {
        realistic(NibeModel.S1155);
        run(3600);
        SimulatedPlantChecks.assertStuckSensor(sim, sim::step, STEP, "temp_return", "temp_supply_circuit_1");
    }

    @Test
    void driftingSupplySensorReadsOneKelvinMorePerHour() {
        realistic(NibeModel.S1155);
        run(3600);
        assertEquals(0.0, servedMinusWater(), 0.15, "healthy: BT2 reads the water");
        sim.injectFault("sensor_drift");
        run(3600);
        assertEquals(1.0, servedMinusWater(), 0.15, "after one hour BT2 reads 1 K high");
        run(3600);
        assertEquals(2.0, servedMinusWater(), 0.15, "after two hours 2 K high");
        sim.clearFault("sensor_drift");
        sim.step(STEP);
        assertEquals(0.0, servedMinusWater(), 0.15, "cleared: BT2 reads the water again");
    }

    /** BT2 minus the water temperature, which BT3 and the known spread (5 K running, 1 K stopped) reveal. */
    private double servedMinusWater() {
        double spread = sim.value("compressor_freq_current") > 0 ? 5 : 1;
        return sim.value("temp_supply_circuit_1") - (sim.value("temp_return") + spread);
    }

    @Test
    void lowFlowTriplesTheSpreadWhileRunningAndClearingRestoresIt() {
        realistic(NibeModel.S1155);
        runUntilPriority(30);
        double normal = sim.value("temp_supply_circuit_1") - sim.value("temp_return");
        assertEquals(5.0, normal, 0.15);
        sim.injectFault("low_flow");
        sim.step(STEP);
        runUntilPriority(30);
        assertEquals(3 * normal, sim.value("temp_supply_circuit_1") - sim.value("temp_return"), 0.3);
        assertTrue(sim.value("flow_bf1") < 18.5 / 2, "BF1 shows the low flow");
        sim.clearFault("low_flow");
        sim.step(STEP);
        runUntilPriority(30);
        assertEquals(normal, sim.value("temp_supply_circuit_1") - sim.value("temp_return"), 0.15);
    }

    @Test
    void shortCyclingTripsAfterFourMinutesAndStaysOffForFour() {
        realistic(NibeModel.S1155);
        run(3600);
        SimulatedPlantChecks.assertShortCycling(sim, this::cycles, this::run, STEP);
    }

    private CompressorCycles cycles(double seconds) {
        return CompressorCycles.measure(sim::step, () -> sim.value("compressor_freq_current") > 0, STEP, seconds);
    }

    @Test
    void failedDefrostOnTheAirUnitDefrostsLongerRunsColderAndGivesLessHeat() {
        realistic(NibeModel.S2125);
        run(3600);
        double[] normal = defrostShareSuctionAndOutput(6 * 3600);
        sim.injectFault("failed_defrost");
        double[] iced = defrostShareSuctionAndOutput(6 * 3600);
        assertTrue(iced[0] >= 0.15, "defrosting 15 of 60 min while heating: " + iced[0]);
        assertTrue(iced[0] > normal[0] + 0.05, "more defrost than normal " + normal[0]);
        assertEquals(-7.0, iced[1] - normal[1], 0.5, "suction gas 7 K colder while heating");
        assertEquals(0.6, iced[2] / normal[2], 0.1, "heat output per Hz down by 40 %");
        sim.clearFault("failed_defrost");
        run(3600);
        double[] after = defrostShareSuctionAndOutput(6 * 3600);
        assertEquals(normal[1], after[1], 0.5);
        assertEquals(1.0, after[2] / normal[2], 0.1);
    }

    /** Share of heating time spent defrosting, mean suction gas and mean heat output per Hz outside defrost. */
    private double[] defrostShareSuctionAndOutput(double seconds) {
        int heating = 0;
        int defrosting = 0;
        int producing = 0;
        double suction = 0;
        double outputPerHz = 0;
        for (double t = 0; t < seconds; t += STEP) {
            sim.step(STEP);
            if (sim.value("defrosting") == 1) {
                defrosting++;
                heating++;
            } else if (sim.value("priority") == 30) {
                heating++;
                producing++;
                suction += sim.value("temp_suction_gas");
                outputPerHz += sim.value("power_heating_generated") / sim.value("compressor_freq_current");
            }
        }
        return new double[] {defrosting / (double) heating, suction / producing, outputPerHz / producing};
    }

    @Test
    void hotWaterNotReachedKeepsChargingBelowFortyTwoDegrees() {
        realistic(NibeModel.S1155);
        sim.injectFault("hot_water_not_reached");
        double max = 0;
        run(86400); // a day: the morning shower makes the tank call for a charge
        for (double t = 0; t < 6 * 3600; t += STEP) {
            sim.step(STEP);
            max = Math.max(max, sim.value("temp_hot_water_top"));
            assertEquals(20, sim.value("priority"), "the charge never ends");
        }
        assertTrue(max < 42.5, "the tank stays below 42 °C: " + max);
        sim.clearFault("hot_water_not_reached");
        runUntilPriority(30);
        assertTrue(sim.value("temp_hot_water_top") > 50, "cleared: the charge ends at 52 °C: "
                + sim.value("temp_hot_water_top"));
    }
}
