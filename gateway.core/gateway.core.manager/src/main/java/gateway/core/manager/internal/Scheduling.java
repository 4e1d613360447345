package gateway.core.manager.internal;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
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

    /** The system clock, two scheduler threads and a pool of {@code pollThreads} (idle ones time out). */
    static Scheduling system(int pollThreads) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, threads("gateway-scheduler-"));
        scheduler.setRemoveOnCancelPolicy(true);
        ThreadPoolExecutor pollPool = new ThreadPoolExecutor(pollThreads, pollThreads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("gateway-poll-"));
        pollPool.allowCoreThreadTimeOut(true);
        return new Scheduling(Clock.systemUTC(), scheduler, pollPool);
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
