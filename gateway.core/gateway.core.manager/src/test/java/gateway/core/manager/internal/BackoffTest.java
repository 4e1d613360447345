package gateway.core.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(1000, 60_000, 0.2);

    @Test
    void doublesFromOneSecondUpToSixtySeconds() {
        assertEquals(1000, backoff.delayMillis(1, () -> 0.5));
        assertEquals(2000, backoff.delayMillis(2, () -> 0.5));
        assertEquals(4000, backoff.delayMillis(3, () -> 0.5));
        assertEquals(32_000, backoff.delayMillis(6, () -> 0.5));
        assertEquals(60_000, backoff.delayMillis(7, () -> 0.5));
        assertEquals(60_000, backoff.delayMillis(1000, () -> 0.5));
    }

    @Test
    void jitterSpreadsEachDelayByTwentyPercent() {
        assertEquals(800, backoff.delayMillis(1, () -> 0.0));
        assertEquals(1200, backoff.delayMillis(1, () -> 1.0));
        assertEquals(48_000, backoff.delayMillis(10, () -> 0.0));
        assertEquals(72_000, backoff.delayMillis(10, () -> 1.0));
    }
}
