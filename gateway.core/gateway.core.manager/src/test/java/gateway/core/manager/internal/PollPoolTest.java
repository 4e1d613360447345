package gateway.core.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The poll pool grows a thread only when the polls in flight need one, and queues once it is at its maximum. */
class PollPoolTest {

    @Test
    void pollsOneAfterAnotherShareOneThread() throws Exception {
        ThreadPoolExecutor pool = Scheduling.pollPool(16);
        try {
            for (int i = 0; i < 40; i++) {
                CountDownLatch done = new CountDownLatch(1);
                pool.execute(done::countDown);
                assertTrue(done.await(10, TimeUnit.SECONDS));
                // the finished thread goes back to waiting on the queue; the next offer hands over to it once it waits
                awaitIdle(pool);
            }
            assertEquals(1, pool.getLargestPoolSize(), "a fixed pool would have started 16 threads for 40 polls");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void overlappingPollsGrowThePoolToItsMaximumAndTheRestWaitInLine() throws Exception {
        ThreadPoolExecutor pool = Scheduling.pollPool(4);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch allRan = new CountDownLatch(10);
        CountDownLatch fourStarted = new CountDownLatch(4);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        try {
            for (int i = 0; i < 10; i++) {
                pool.execute(() -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    fourStarted.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    running.decrementAndGet();
                    allRan.countDown();
                });
            }
            assertEquals(4, pool.getPoolSize(), "grew to the maximum while every thread was busy");
            assertEquals(6, pool.getQueue().size(), "the rest wait in line rather than being refused");
            assertTrue(fourStarted.await(10, TimeUnit.SECONDS), "four polls ran at once");
            release.countDown();
            assertTrue(allRan.await(10, TimeUnit.SECONDS), "every queued poll ran");
            assertEquals(4, mostAtOnce.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits until every thread of the pool is idle (none is running a task). */
    private static void awaitIdle(ThreadPoolExecutor pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.getActiveCount() > 0 || !idleThreadWaiting(pool)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pool did not go idle");
            }
            Thread.onSpinWait();
        }
    }

    private static boolean idleThreadWaiting(ThreadPoolExecutor pool) {
        return pool.getQueue() instanceof java.util.concurrent.TransferQueue<Runnable> q && q.hasWaitingConsumer();
    }
}
