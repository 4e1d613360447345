package gateway.web.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmark's latency histogram reports the quantiles of what it recorded, within its bucket precision. */
class LoadGeneratorHistogramTest {

    @Test
    void quantilesOfOneToTenThousandMicrosecondsAreWithinAFifthOfAPercent() {
        LoadGenerator.Histogram h = new LoadGenerator.Histogram();
        for (long v = 10_000; v >= 1; v--) {
            h.record(v);
        }
        assertEquals(10_000, h.total);
        assertEquals(10_000, h.max);
        assertEquals(500, h.quantile(0.05), "exact below 1024 µs");
        assertWithin(5_000, h.quantile(0.50));
        assertWithin(9_900, h.quantile(0.99));
        assertWithin(9_990, h.quantile(0.999));
        assertEquals(10_000, h.quantile(1.0));
    }

    @Test
    void bucketsCoverEveryValueWithoutGapsOrOverlap() {
        for (long v = 1; v < 5_000_000; v += 1 + v / 1000) {
            int i = LoadGenerator.Histogram.index(v);
            assertTrue(LoadGenerator.Histogram.highest(i) >= v, "bucket of " + v + " ends at or above it");
            assertTrue(i == 0 || LoadGenerator.Histogram.highest(i - 1) < v, "previous bucket ends below " + v);
        }
    }

    private static void assertWithin(long expected, long actual) {
        assertTrue(Math.abs(actual - expected) <= expected * 0.002 + 1, "expected about " + expected + ", was " + actual);
    }
}
