package gateway.core.manager.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import gateway.core.api.Heatpump;
import gateway.core.api.PollStatistics;
import gateway.core.api.PollStatistics.Histogram;
import gateway.core.testing.SimulatedDevice;
import gateway.core.testing.SimulatedScheduler;

/**
 * Poll lateness: how long after its slot a scheduled poll starts. Simulated time makes it exact: a poll pool whose
 * threads are all busy (held by the test) keeps a due poll waiting for as long as the test advances the clock.
 */
class PollLatenessTest {

    private final ManagerFixture f = new ManagerFixture();
    private final HoldablePool pool = new HoldablePool(f.time);

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void aPollHeldUpInAFullPoolIsRecordedAsLateByTheTimeItWaitedAndTheFirstPollIsNotCounted() throws Exception {
        SimulatedDevice device = f.simulator();
        f.pollPool = pool;
        f.start();
        Heatpump hp = f.create("Cellar", device); // polled every second

        f.time.runDue();
        assertEquals(1, okPolls(), "the first poll ran");
        assertEquals(0, lateness().count(), "the first poll after a start has no slot to be late for");

        advanceTo(nextSlot(hp));
        assertEquals(2, okPolls());
        Histogram onTime = lateness();
        assertEquals(1, onTime.count());
        assertEquals(1, onTime.cumulative()[0], "on its slot: in the first bucket");
        assertEquals(0.0, onTime.sumSeconds(), 1e-12);

        Instant due = nextSlot(hp);
        pool.hold();
        advanceTo(due);
        assertEquals(2, okPolls(), "the due poll waits for a thread");
        f.time.advance(Duration.ofMillis(700));
        pool.release();
        assertEquals(3, okPolls(), "the waiting poll ran when a thread came free");

        Histogram late = lateness();
        assertEquals(2, late.count());
        assertEquals(0.7, late.sumSeconds(), 1e-9);
        // buckets 0.005 .. 0.5 hold only the poll on time; 0.7 s falls into le=1 and everything above
        assertArrayEquals(new long[] { 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2 }, late.cumulative());
        assertEquals(1.0, PollStatistics.LATENESS_BUCKETS[7]);

        // the late poll keeps the grid: the next one is due 300 ms later and starts on time
        Instant following = nextSlot(hp);
        assertEquals(due.plusSeconds(1), following);
        advanceTo(following);
        assertEquals(4, okPolls());
        assertEquals(3, lateness().count());
        assertEquals(2, lateness().cumulative()[0]);
    }

    @Test
    void thePollAfterAFailureIsOffTheGridAndNotCounted() throws Exception {
        SimulatedDevice device = f.simulator();
        f.start();
        Heatpump hp = f.create("Cellar", device);
        f.time.runDue();
        advanceTo(nextSlot(hp));
        assertEquals(1, lateness().count());

        device.close(); // the next poll fails; the one after it comes after a backoff, not on a slot
        advanceTo(nextSlot(hp));
        long failed = f.manager.pollsByResult().getOrDefault("unreachable", 0L);
        assertEquals(1, failed);
        assertEquals(2, lateness().count(), "the failed poll was still due on its slot");
        advanceTo(nextSlot(hp));
        assertEquals(2, f.manager.pollsByResult().getOrDefault("unreachable", 0L));
        assertEquals(2, lateness().count(), "the reconnect after a backoff has no slot");
    }

    private long okPolls() {
        return f.manager.pollsByResult().getOrDefault("ok", 0L);
    }

    private Histogram lateness() {
        return f.manager.pollLateness();
    }

    private Instant nextSlot(Heatpump hp) {
        return f.status(hp.id()).nextAttempt();
    }

    private void advanceTo(Instant instant) {
        f.time.advance(Duration.between(f.time.now(), instant));
    }

    /** A poll pool on simulated time whose threads the test can keep busy: while held, polls wait in line. */
    private static final class HoldablePool extends AbstractExecutorService {
        private final SimulatedScheduler time;
        private final List<Runnable> waiting = new ArrayList<>();
        private boolean held;

        HoldablePool(SimulatedScheduler time) {
            this.time = time;
        }

        void hold() {
            held = true;
        }

        /** Frees the threads: what waited runs now, in order. */
        void release() {
            held = false;
            waiting.forEach(time::execute);
            waiting.clear();
            time.runDue();
        }

        @Override
        public void execute(Runnable command) {
            if (held) {
                waiting.add(command);
            } else {
                time.execute(command);
            }
        }

        @Override
        public void shutdown() {
            time.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return time.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return time.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return time.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return time.awaitTermination(timeout, unit);
        }
    }
}
