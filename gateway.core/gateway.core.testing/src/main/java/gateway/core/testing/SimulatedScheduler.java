package gateway.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Simulated time for code that takes a {@link Clock} and a {@link ScheduledExecutorService}: nothing runs until the
 * test moves the clock with {@link #advance} (or runs what is due now with {@link #runDue}); due tasks then run one
 * after another in the test's thread, in the order of their due time, with the clock set to each task's due time.
 * {@link #execute} queues a task for "now", so the same object can stand in for a worker pool and a poll with its
 * follow-up scheduling runs completely inside one {@code advance}.
 *
 * <p>So a test proves "nothing happened in eight seconds" by advancing eight simulated seconds and looking, without
 * sleeping, and periodic work happens exactly as often as its period says.
 */
public final class SimulatedScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final Object lock = new Object();
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long nowNanos;
    private long sequence;
    private boolean shutdown;
    private final Clock clock;

    /** Starts at {@code start}, in UTC. */
    public SimulatedScheduler(Instant start) {
        this(start, ZoneOffset.UTC);
    }

    public SimulatedScheduler(Instant start, ZoneId zone) {
        this.nowNanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
        this.clock = new SimulatedClock(zone);
    }

    /** The simulated clock: it moves only when the test advances it. */
    public Clock clock() {
        return clock;
    }

    public Instant now() {
        synchronized (lock) {
            return Instant.ofEpochSecond(0, nowNanos);
        }
    }

    /** Runs every task due up to now + {@code by} (including tasks those tasks schedule), then sets the clock there. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time runs forward only: " + by);
        }
        long target;
        synchronized (lock) {
            target = nowNanos + by.toNanos();
        }
        runUntil(target);
    }

    /** Runs what is due at the current simulated time, without moving the clock. */
    public void runDue() {
        long target;
        synchronized (lock) {
            target = nowNanos;
        }
        runUntil(target);
    }

    /** Tasks waiting (periodic ones count once). */
    public int pending() {
        synchronized (lock) {
            return (int) queue.stream().filter(t -> !t.isDone()).count();
        }
    }

    private void runUntil(long target) {
        while (true) {
            Task<?> next;
            synchronized (lock) {
                next = queue.peek();
                if (next == null || next.dueNanos > target) {
                    nowNanos = Math.max(nowNanos, target);
                    return;
                }
                queue.poll();
                nowNanos = Math.max(nowNanos, next.dueNanos);
            }
            if (!next.isCancelled()) {
                next.runOnce();
            }
        }
    }

    private <V> Task<V> enqueue(Task<V> task) {
        synchronized (lock) {
            if (shutdown) {
                throw new RejectedExecutionException("simulated scheduler is shut down");
            }
            queue.add(task);
        }
        return task;
    }

    private long dueIn(long delay, TimeUnit unit) {
        synchronized (lock) {
            return nowNanos + Math.max(0, unit.toNanos(delay));
        }
    }

    @Override
    public void execute(Runnable command) {
        enqueue(new Task<>(Executors.callable(command), dueIn(0, TimeUnit.NANOSECONDS), 0));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(new Task<>(Executors.callable(command), dueIn(delay, unit), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(new Task<>(callable, dueIn(delay, unit), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return periodic(command, initialDelay, period, unit);
    }

    /** Tasks run instantly in simulated time, so fixed delay and fixed rate are the same here. */
    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return periodic(command, initialDelay, delay, unit);
    }

    private ScheduledFuture<?> periodic(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        return enqueue(new Task<>(Executors.callable(command), dueIn(initialDelay, unit), unit.toNanos(period)));
    }

    @Override
    public void shutdown() {
        synchronized (lock) {
            shutdown = true;
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        synchronized (lock) {
            shutdown = true;
            List<Runnable> waiting = new ArrayList<>(queue);
            queue.forEach(t -> t.cancel(false));
            queue.clear();
            return waiting;
        }
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        return isShutdown();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isShutdown();
    }

    /** A queued task; periodic ones put themselves back after each run. */
    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private final long periodNanos;
        private final long seq;
        private long dueNanos;

        Task(Callable<V> callable, long dueNanos, long periodNanos) {
            super(callable);
            this.dueNanos = dueNanos;
            this.periodNanos = periodNanos;
            synchronized (lock) {
                this.seq = sequence++;
            }
        }

        void runOnce() {
            if (periodNanos == 0) {
                run();
                return;
            }
            if (runAndReset()) {
                synchronized (lock) {
                    if (!shutdown && !isCancelled()) {
                        dueNanos = nowNanos + periodNanos;
                        queue.add(this);
                    }
                }
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            synchronized (lock) {
                queue.remove(this);
            }
            return cancelled;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (lock) {
                return unit.convert(dueNanos - nowNanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed other) {
            if (other instanceof SimulatedScheduler.Task<?> t) {
                int byTime = Long.compare(dueNanos, t.dueNanos);
                return byTime != 0 ? byTime : Long.compare(seq, t.seq);
            }
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            if (!isDone()) {
                // waiting would need simulated time to move, which only the test's thread does
                throw new TimeoutException("simulated task not run yet; advance the scheduler");
            }
            return super.get(timeout, unit);
        }
    }

    private final class SimulatedClock extends Clock {
        private final ZoneId clockZone;

        SimulatedClock(ZoneId clockZone) {
            this.clockZone = clockZone;
        }

        @Override
        public ZoneId getZone() {
            return clockZone;
        }

        @Override
        public Clock withZone(ZoneId newZone) {
            return new SimulatedClock(newZone);
        }

        @Override
        public Instant instant() {
            return now();
        }
    }
}
