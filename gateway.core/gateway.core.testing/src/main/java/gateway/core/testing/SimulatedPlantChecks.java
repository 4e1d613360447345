package gateway.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.DoubleConsumer;
import java.util.function.DoubleFunction;
import java.util.function.Supplier;

import gateway.core.api.HeatpumpSimulator;
import gateway.core.api.OperatingMode;

/**
 * Checks the simulators' fault tests share, driven step by step on simulated time (no socket, no sleep). The
 * expected effects are the fault definitions of issue #7.
 */
public final class SimulatedPlantChecks {

    private SimulatedPlantChecks() {
    }

    /** The operating modes a plant shows after each step through {@code seconds} of simulated time. */
    public static Set<OperatingMode> modesSeen(DoubleConsumer step, Supplier<OperatingMode> mode, double stepSeconds,
                                               double seconds) {
        Set<OperatingMode> seen = EnumSet.noneOf(OperatingMode.class);
        for (double t = 0; t < seconds; t += stepSeconds) {
            step.accept(stepSeconds);
            seen.add(mode.get());
        }
        return seen;
    }

    /**
     * The stuck_sensor fault: {@code stuck} keeps the value it had when the fault began for 240 steps while
     * {@code moving} (a sensor of the same water) changes by more than 1 K, and follows the water again (by more than
     * 0.5 K) within 240 steps of clearing.
     */
    public static void assertStuckSensor(HeatpumpSimulator.Running sim, DoubleConsumer step, double stepSeconds,
                                         String stuck, String moving) {
        assertTrue(sim.injectFault("stuck_sensor"));
        double frozen = sim.value(stuck);
        double start = sim.value(moving);
        boolean plantMoved = false;
        for (int i = 0; i < 240; i++) {
            step.accept(stepSeconds);
            assertEquals(frozen, sim.value(stuck), 1e-9, stuck + " is stuck");
            plantMoved |= Math.abs(sim.value(moving) - start) > 1;
        }
        assertTrue(plantMoved, "the plant kept moving while " + stuck + " was stuck");
        sim.clearFault("stuck_sensor");
        boolean follows = false;
        for (int i = 0; i < 240 && !follows; i++) {
            step.accept(stepSeconds);
            follows = Math.abs(sim.value(stuck) - frozen) > 0.5;
        }
        assertTrue(follows, stuck + " follows the water again");
    }

    /**
     * The short_cycling fault: over 4 hours the compressor runs 4 minutes and pauses 4, again and again; an hour
     * after clearing, runs last longer than 10 minutes again (measured over 12 hours).
     *
     * @param cycles measures the compressor's cycles over the given simulated seconds (see {@link CompressorCycles})
     */
    public static void assertShortCycling(HeatpumpSimulator.Running sim, DoubleFunction<CompressorCycles> cycles,
                                          DoubleConsumer step, double stepSeconds) {
        assertTrue(sim.injectFault("short_cycling"));
        cycles.apply(4 * 3600).assertShortCycling(stepSeconds);
        sim.clearFault("short_cycling");
        for (double t = 0; t < 3600; t += stepSeconds) {
            step.accept(stepSeconds);
        }
        cycles.apply(12 * 3600).assertRunsLongerThanTenMinutes();
    }
}
