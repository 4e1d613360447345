package gateway.core.simulation;

/**
 * How a simulated compressor shows the {@link LabelledFault#SHORT_CYCLING} fault: while the fault is active it trips
 * after {@value #RUN_SECONDS} s of running and stays off {@value #LOCKOUT_SECONDS} s before it may start again. Not
 * thread-safe: the simulator's own lock guards it, like the rest of its model.
 */
public final class ShortCyclingTrip {

    public static final double RUN_SECONDS = 240;
    public static final double LOCKOUT_SECONDS = 240;

    private final boolean timesHealthyRuns;
    private double runningSince = -1;
    private double lockedUntil = -1;

    private ShortCyclingTrip(boolean timesHealthyRuns) {
        this.timesHealthyRuns = timesHealthyRuns;
    }

    /** Runs are timed only while the fault is active: a fault injected during a run trips it at the next step. */
    public static ShortCyclingTrip timedWhileFaulty() {
        return new ShortCyclingTrip(false);
    }

    /** Every run is timed: a fault injected during a run trips it once that run has lasted the run time. */
    public static ShortCyclingTrip timedAlways() {
        return new ShortCyclingTrip(true);
    }

    /**
     * Whether the compressor runs after this step.
     *
     * @param wanted     whether the controller wants it to run
     * @param wasRunning whether it ran after the previous step
     * @param faulty     whether the short_cycling fault is active
     * @param now        simulated seconds
     */
    public boolean runs(boolean wanted, boolean wasRunning, boolean faulty, double now) {
        if (wanted && faulty) {
            if (now < lockedUntil) {
                return false;
            }
            if (!wasRunning) {
                runningSince = now;
                return true;
            }
            if (now - runningSince >= RUN_SECONDS) {
                lockedUntil = now + LOCKOUT_SECONDS; // tripped; the controller may restart it after the lockout
                return false;
            }
            return true;
        }
        if (wanted && !wasRunning && timesHealthyRuns) {
            runningSince = now;
        }
        return wanted;
    }
}
