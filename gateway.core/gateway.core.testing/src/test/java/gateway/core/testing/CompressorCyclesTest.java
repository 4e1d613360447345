package gateway.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import org.opentest4j.AssertionFailedError;

class CompressorCyclesTest {

    /** A compressor that runs {@code on} seconds, then pauses {@code off} seconds, from simulated time 0. */
    private static final class SquareWave {
        final double on;
        final double off;
        double time;

        SquareWave(double on, double off) {
            this.on = on;
            this.off = off;
        }

        boolean running() {
            return time % (on + off) < on;
        }
    }

    @Test
    void measuresRunsPausesAndStartsOfAKnownCycle() {
        SquareWave plant = new SquareWave(240, 300);
        CompressorCycles c = CompressorCycles.measure(dt -> plant.time += dt, plant::running, 30, 3 * 540 - 30);
        assertEquals(240, c.longestRunSeconds());
        assertEquals(300, c.shortestPauseSeconds());
        assertEquals(2, c.starts(), "it runs from time 0 and restarts at 540 and 1080");
        assertEquals(3 * 540 - 30, plant.time, 1e-9, "the window is stepped through once");
    }

    @Test
    void fourMinutesOnFourOffOverFourHoursIsShortCycling() {
        SquareWave plant = new SquareWave(240, 240);
        CompressorCycles c = CompressorCycles.measure(dt -> plant.time += dt, plant::running, 30, 4 * 3600);
        assertEquals(new CompressorCycles(240, 240, 30), c);
        c.assertShortCycling(30);
    }

    @Test
    void aPauseThatBeganBeforeTheWindowDoesNotCount() {
        SquareWave plant = new SquareWave(600, 600);
        plant.time = 900; // 300 s into a pause
        // 900 to 2100: the pause 600-1200 began before, the one from 1800 has not ended
        CompressorCycles c = CompressorCycles.measure(dt -> plant.time += dt, plant::running, 30, 1200);
        assertEquals(Integer.MAX_VALUE, c.shortestPauseSeconds());
        assertEquals(1, c.starts());
        assertEquals(600, c.longestRunSeconds());
    }

    @Test
    void shortCyclingCheckRejectsLongRunsAndAHealthyCheckRejectsShortOnes() {
        assertThrows(AssertionFailedError.class, () -> new CompressorCycles(900, 300, 6).assertShortCycling(30));
        assertThrows(AssertionFailedError.class, () -> new CompressorCycles(240, 60, 6).assertShortCycling(30));
        assertThrows(AssertionFailedError.class, () -> new CompressorCycles(240, 240, 2).assertShortCycling(30));
        assertThrows(AssertionFailedError.class, () -> new CompressorCycles(540, 300, 1).assertRunsLongerThanTenMinutes());
        new CompressorCycles(1800, 900, 3).assertRunsLongerThanTenMinutes();
        assertThrows(IllegalArgumentException.class, () -> CompressorCycles.measure(dt -> { }, () -> true, 0, 60));
    }
}
