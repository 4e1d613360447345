package gateway.core.simulation;

import java.util.Random;

/**
 * The outdoor temperature of a realistic simulated day, in simulated seconds since midnight of the first day:
 * 5 ± 5 °C, coldest at 05:00 and warmest at 17:00, plus an offset that wanders smoothly within ±3 K from one day to
 * the next (seeded, so an evaluation repeats exactly and devices with other seeds see other weather).
 */
public final class SimulatedWeather {

    private final Random random;
    /** Offsets at the start of day {@link #day} and of the day after. */
    private double today;
    private double tomorrow;
    private long day = Long.MIN_VALUE;

    public SimulatedWeather(long seed) {
        this.random = new Random(seed);
    }

    /** Outdoor temperature at simulated time {@code t}; {@code t} should not go back by more than a day. */
    public double outdoor(double t) {
        return daily(t) + offset(t);
    }

    /** The same day every day, without the wandering offset: 5 ± 5 °C, coldest at 05:00. */
    public static double daily(double t) {
        return 5.0 + 5.0 * Math.sin(2 * Math.PI * (t - 11 * 3600) / 86400.0);
    }

    /** The day-to-day offset at {@code t}, interpolated linearly through the day. */
    public double offset(double t) {
        long d = (long) Math.floor(t / 86400.0);
        if (day == Long.MIN_VALUE) {
            tomorrow = next();
            day = d - 1;
        }
        while (day < d) {
            today = tomorrow;
            tomorrow = next();
            day++;
        }
        double f = (t - d * 86400.0) / 86400.0;
        return today + (tomorrow - today) * f;
    }

    private double next() {
        return 3 * (2 * random.nextDouble() - 1);
    }
}
