package gateway.app.itest;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds; the tests wait for asynchronous polling and lifecycle changes with it. */
final class Await {

    private Await() {
    }

    /** First pause between two looks; most conditions hold within a few milliseconds of the action. */
    private static final long FIRST_PAUSE_MILLIS = 5;
    /** Longest pause: long waits (polls, restarts) look ten times a second, so they cost little CPU. */
    private static final long MAX_PAUSE_MILLIS = 100;

    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        long pause = FIRST_PAUSE_MILLIS;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException | AssertionError e) {
                last = e;
            }
            sleep(pause);
            pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
        }
        AssertionError failure = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
        if (last != null) {
            failure.initCause(last);
        }
        throw failure;
    }

    static <T> T value(String what, Duration timeout, Supplier<T> supplier) {
        Object[] holder = new Object[1];
        until(what, timeout, () -> (holder[0] = supplier.get()) != null);
        @SuppressWarnings("unchecked")
        T t = (T) holder[0];
        return t;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
