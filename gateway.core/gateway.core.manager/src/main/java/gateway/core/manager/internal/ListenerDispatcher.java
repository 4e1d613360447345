package gateway.core.manager.internal;

import gateway.core.api.ListenerStats;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.DeviceStatus;
import gateway.core.api.ReadingListener;

/**
 * One reading listener's bounded queue and delivery thread. {@link #offer} never blocks: when the listener falls
 * behind, new events are dropped and counted, so a slow history store or model never delays a poll.
 */
final class ListenerDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerDispatcher.class);

    private final ReadingListener listener;
    private final String name;
    private final BlockingQueue<Object> queue;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    ListenerDispatcher(ReadingListener listener, String name, int capacity) {
        this.listener = listener;
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, capacity));
        this.thread = new Thread(this::deliver, "gateway-listener-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    ReadingListener listener() {
        return listener;
    }

    void offer(DeviceSnapshot snapshot) {
        enqueue(snapshot);
    }

    void offer(DeviceStatus status) {
        enqueue(status);
    }

    private void enqueue(Object event) {
        if (!running) {
            return;
        }
        if (!queue.offer(event)) {
            long n = dropped.incrementAndGet();
            // one line per power of two, so a stuck listener cannot flood the log
            if (Long.bitCount(n) == 1) {
                LOG.warn("listener {} is behind: {} events dropped so far", name, n);
            }
        }
    }

    private void deliver() {
        while (running) {
            Object event;
            try {
                event = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (event == null) {
                continue;
            }
            try {
                if (event instanceof DeviceSnapshot s) {
                    listener.snapshot(s);
                } else if (event instanceof DeviceStatus st) {
                    listener.stateChanged(st);
                }
                delivered.incrementAndGet();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("listener {} failed: {}", name, e.toString());
            }
        }
    }

    ListenerStats.ListenerStat stat() {
        return new ListenerStats.ListenerStat(name, delivered.get(), dropped.get(), queue.size());
    }

    void stop() {
        running = false;
        queue.clear();
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("listener {} did not return within 2 s; its thread is left to finish", name);
        }
    }
}
