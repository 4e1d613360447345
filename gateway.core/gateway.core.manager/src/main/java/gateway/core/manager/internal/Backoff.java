package gateway.core.manager.internal;

import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: doubling from {@code minMillis} up to {@code maxMillis}, each spread by ±{@code jitter} so that
 * many devices behind one dead router do not retry in lockstep.
 */
record Backoff(long minMillis, long maxMillis, double jitter) {

    Backoff {
        if (minMillis <= 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, was " + minMillis + ".." + maxMillis);
        }
    }

    /**
     * @param failures failed attempts in a row, at least 1
     * @param random   uniform in [0, 1)
     */
    long delayMillis(int failures, DoubleSupplier random) {
        int doublings = Math.max(0, Math.min(failures - 1, 30));
        double base = Math.min((double) maxMillis, minMillis * Math.pow(2, doublings));
        double spread = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Math.max(1, Math.round(base * spread));
    }
}
