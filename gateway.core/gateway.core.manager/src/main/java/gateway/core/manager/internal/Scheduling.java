package gateway.core.manager.internal;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the manager's time comes from: the clock that stamps polls, errors and next attempts, the scheduler of polls,
 * reconnects and refresh rewrites, and the pool that runs them. Production uses the system clock and real threads;
 * unit tests hand in a simulated clock and scheduler, so they move time instead of sleeping.
 *
 * @param pollPool runs polls and refresh rewrites, so a slow device never holds up the scheduler
 */
record Scheduling(Clock clock, ScheduledExecutorService scheduler, ExecutorService pollPool) {

    /** The system clock, two scheduler threads and a pool of up to {@code pollThreads} (see {@link #pollPool}). */
    static Scheduling system(int pollThreads) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, threads("gateway-scheduler-"));
        scheduler.setRemoveOnCancelPolicy(true);
        return new Scheduling(Clock.systemUTC(), scheduler, pollPool(pollThreads));
    }

    /**
     * A pool that adds a thread only when no idle one can take the poll, up to {@code maxThreads}, then queues.
     * A plain fixed pool starts a new thread for every task until it holds its core size, so two devices polled every
     * second ended with 16 threads that did nothing but wait; here two devices keep about two. One thread stays
     * (never times out) so a task queued while the pool is full always has a thread to drain it; the others end
     * after 30 s idle.
     */
    static ThreadPoolExecutor pollPool(int maxThreads) {
        HandOffQueue queue = new HandOffQueue();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, Math.max(1, maxThreads), 30, TimeUnit.SECONDS, queue,
                threads("gateway-poll-"), (task, executor) -> {
                    if (executor.isShutdown()) {
                        throw new RejectedExecutionException("poll pool is shut down");
                    }
                    queue.enqueue(task); // every thread is busy: wait in line
                });
        return pool;
    }

    /**
     * Offers succeed only when an idle thread is waiting for work, which makes the pool grow a thread instead of
     * queueing; the pool's rejection handler then queues for real once the pool is at its maximum.
     */
    private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean offer(Runnable task) {
            return tryTransfer(task);
        }

        void enqueue(Runnable task) {
            super.offer(task);
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
