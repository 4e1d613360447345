package gateway.core.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Poll slots: no drift by the poll's own duration, never two polls within half an interval, devices spread. */
class PollSlotsTest {

    private static final long INTERVAL = 30_000;

    @Test
    void aDeviceThatPollsOnItsSlotPollsAgainExactlyOneIntervalLaterWhateverThePollTook() {
        long now = 1_700_000_000_000L;
        long slot = now + DeviceWorker.untilNextSlot(now, INTERVAL, "hp-a", false);
        for (long pollMillis : new long[] {3, 250, 4_000, 14_000}) {
            long next = slot + pollMillis + DeviceWorker.untilNextSlot(slot + pollMillis, INTERVAL, "hp-a", true);
            assertEquals(slot + INTERVAL, next, "after a poll of " + pollMillis + " ms");
        }
    }

    @Test
    void aLatePollOnTheGridKeepsTheNextSlot() {
        long slot = 1_700_000_000_000L + DeviceWorker.untilNextSlot(1_700_000_000_000L, INTERVAL, "hp-c", false);
        long lateEnd = slot + INTERVAL * 9 / 10; // started late on a busy machine, ended just before the next slot
        assertEquals(slot + INTERVAL, lateEnd + DeviceWorker.untilNextSlot(lateEnd, INTERVAL, "hp-c", true));
    }

    @Test
    void afterAPollOffTheGridTheNextIsNeitherWithinHalfAnIntervalNorBeyondOneAndAHalf() {
        for (long now = 0; now < 3 * INTERVAL; now += 997) {
            long delay = DeviceWorker.untilNextSlot(now, INTERVAL, "hp-b", false);
            assertTrue(delay >= INTERVAL / 2 && delay <= INTERVAL * 3 / 2, "delay " + delay + " at " + now);
        }
    }

    @Test
    void aThousandDevicesStartedTogetherSpreadOverTheInterval() {
        int devices = 1000;
        int[] perSecond = new int[(int) (INTERVAL / 1000)];
        long now = 1_700_000_000_000L;
        for (int i = 1; i <= devices; i++) {
            long at = now + DeviceWorker.untilNextSlot(now, INTERVAL, "hp-" + i, false);
            perSecond[(int) (Math.floorMod(at, INTERVAL) / 1000)]++;
        }
        double mean = (double) devices / perSecond.length;
        for (int second = 0; second < perSecond.length; second++) {
            // all at once would be 1000 in one second; an even spread is about 33 per second
            assertTrue(perSecond[second] < 2 * mean, "second " + second + " has " + perSecond[second] + " polls");
            assertTrue(perSecond[second] > 0, "second " + second + " has no poll");
        }
    }
}
