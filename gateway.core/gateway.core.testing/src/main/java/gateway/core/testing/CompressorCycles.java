package gateway.core.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * How a simulated compressor cycled over a window of simulated time: its longest run, its shortest pause between two
 * runs, and how often it started. Measured by stepping the plant, so the simulators' fault tests share one
 * measurement instead of each counting runs its own way.
 *
 * @param longestRunSeconds    longest run within the window (a run under way when the window opened counts from there)
 * @param shortestPauseSeconds shortest completed pause that began within the window; {@link Integer#MAX_VALUE} if none
 * @param starts               off-to-on changes within the window
 */
public record CompressorCycles(int longestRunSeconds, int shortestPauseSeconds, int starts) {

    /** The short_cycling fault of issue #7: the compressor trips after 4 minutes and stays off 4 minutes. */
    public static final int SHORT_CYCLE_SECONDS = 240;

    /**
     * Steps the plant through {@code windowSeconds} of simulated time and watches the compressor after every step.
     *
     * @param step        advances the plant by the given simulated seconds
     * @param running     whether the compressor runs now
     * @param stepSeconds simulated seconds per step (the resolution of the result)
     */
    public static CompressorCycles measure(DoubleConsumer step, BooleanSupplier running, double stepSeconds,
                                           double windowSeconds) {
        if (stepSeconds <= 0) {
            throw new IllegalArgumentException("step must be positive: " + stepSeconds);
        }
        int longest = 0;
        int shortestPause = Integer.MAX_VALUE;
        int starts = 0;
        double on = 0;
        double off = 0;
        boolean was = running.getAsBoolean();
        for (double t = 0; t < windowSeconds; t += stepSeconds) {
            step.accept(stepSeconds);
            boolean now = running.getAsBoolean();
            if (now) {
                if (!was) {
                    starts++;
                    if (off > 0) {
                        shortestPause = (int) Math.min(shortestPause, off);
                    }
                    on = 0;
                }
                on += stepSeconds;
                longest = (int) Math.max(longest, on);
            } else {
                off = was ? stepSeconds : off > 0 ? off + stepSeconds : 0; // pauses that began in the window
            }
            was = now;
        }
        return new CompressorCycles(longest, shortestPause, starts);
    }

    /** Asserts the short_cycling pattern: runs of 4 minutes (± one step), pauses of at least 4, still restarting. */
    public void assertShortCycling(double stepSeconds) {
        assertTrue(longestRunSeconds <= SHORT_CYCLE_SECONDS + stepSeconds
                && longestRunSeconds >= SHORT_CYCLE_SECONDS - stepSeconds, "longest run " + longestRunSeconds + " s");
        assertTrue(shortestPauseSeconds >= SHORT_CYCLE_SECONDS - stepSeconds,
                "off at least 4 min after a trip: shortest pause " + shortestPauseSeconds + " s");
        assertTrue(starts >= 5, "it keeps restarting: " + starts + " starts");
    }

    /** Asserts a healthy compressor: some run lasts longer than 10 minutes. */
    public void assertRunsLongerThanTenMinutes() {
        assertTrue(longestRunSeconds > 600, "runs last longer than 10 min, longest " + longestRunSeconds + " s");
    }
}
