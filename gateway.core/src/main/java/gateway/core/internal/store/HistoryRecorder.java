package gateway.core.internal.store;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.ReadingListener;
import gateway.core.api.SensorReading;

/**
 * Stores the GOOD numeric readings of every snapshot in {@code readings}. Readings are buffered and written as one
 * JDBC batch in one transaction per flush (every flush interval, or earlier when a batch is full), and a retention
 * purge runs at start and then daily. Both run on one private thread, stopped on deactivate after a last flush.
 */
@Component(service = ReadingListener.class, immediate = true)
public final class HistoryRecorder implements ReadingListener {

    /** More buffered rows than this means the database cannot keep up: newer rows are dropped and counted. */
    static final int MAX_BUFFERED = 200_000;
    /** Rows per DELETE while purging, so a large purge never becomes one huge transaction. */
    static final int PURGE_CHUNK = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(HistoryRecorder.class);

    record Row(String heatpumpId, String sensorId, long ts, double value) {
    }

    private final Database database;
    private final Clock clock;
    private final int batchSize;
    private final Duration retention;
    private final ScheduledExecutorService scheduler;
    private final Object lock = new Object();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private List<Row> buffer = new ArrayList<>();
    private volatile boolean closed;

    @Activate
    public HistoryRecorder(@Reference Database database) {
        this(database, Clock.systemUTC(), true);
    }

    /** @param schedule false: no thread; the caller drives {@link #flush()} and {@link #purge()} (tests) */
    HistoryRecorder(Database database, Clock clock, boolean schedule) {
        this.database = database;
        this.clock = clock;
        Database.Settings s = database.settings();
        this.batchSize = s.batchSize();
        this.retention = Duration.ofDays(s.retentionDays());
        if (schedule) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "gateway-history");
                t.setDaemon(true);
                return t;
            });
            scheduler.scheduleWithFixedDelay(this::flushQuietly, s.flushIntervalSeconds(), s.flushIntervalSeconds(),
                    TimeUnit.SECONDS);
            scheduler.scheduleWithFixedDelay(this::purgeQuietly, 0, 1, TimeUnit.DAYS);
        } else {
            scheduler = null;
        }
    }

    @Override
    public void snapshot(DeviceSnapshot snapshot) {
        if (closed) {
            return;
        }
        List<Row> rows = new ArrayList<>();
        for (SensorReading r : snapshot.readings().values()) {
            // only GOOD numeric values: STALE repeats an old value, INVALID/ERROR have none; NaN would poison AVG
            if (r.good() && r.value() != null && Double.isFinite(r.value())) {
                Instant at = r.timestamp() != null ? r.timestamp() : snapshot.time();
                rows.add(new Row(snapshot.heatpumpId(), r.sensorId(), at.toEpochMilli(), r.value()));
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        int size;
        synchronized (lock) {
            if (buffer.size() + rows.size() > MAX_BUFFERED) {
                long n = dropped.addAndGet(rows.size());
                LOG.warn("history buffer full, dropped {} readings of {} ({} dropped so far)", rows.size(),
                        snapshot.heatpumpId(), n);
                return;
            }
            buffer.addAll(rows);
            size = buffer.size();
        }
        if (size >= batchSize && scheduler != null && flushQueued.compareAndSet(false, true)) {
            try {
                scheduler.execute(this::flushQuietly);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                flushQueued.set(false);
            }
        }
    }

    /** Writes everything buffered in one transaction; returns the number of rows written. */
    int flush() {
        flushQueued.set(false);
        List<Row> rows;
        synchronized (lock) {
            if (buffer.isEmpty()) {
                return 0;
            }
            rows = buffer;
            buffer = new ArrayList<>();
        }
        try {
            insert(rows);
        } catch (RuntimeException e) {
            dropped.addAndGet(rows.size());
            throw e;
        }
        written.addAndGet(rows.size());
        return rows.size();
    }

    private void insert(List<Row> rows) {
        database.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO readings (heatpump_id, sensor_id, ts, \"VALUE\") VALUES (?, ?, ?, ?)")) {
                for (Row r : rows) {
                    ps.setString(1, r.heatpumpId());
                    ps.setString(2, r.sensorId());
                    ps.setLong(3, r.ts());
                    ps.setDouble(4, r.value());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Deletes readings older than the retention; returns how many. */
    long purge() {
        long cutoff = clock.instant().minus(retention).toEpochMilli();
        long total = 0;
        while (true) {
            int n = database.read(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM readings WHERE ts < ? FETCH FIRST ? ROWS ONLY")) {
                    ps.setLong(1, cutoff);
                    ps.setInt(2, PURGE_CHUNK);
                    return ps.executeUpdate();
                }
            });
            total += n;
            if (n < PURGE_CHUNK || closed) {
                break;
            }
        }
        if (total > 0) {
            LOG.info("history retention: deleted {} readings older than {} days", total, retention.toDays());
        }
        return total;
    }

    /** Rows written since start (benchmarks, self-metrics). */
    public long written() {
        return written.get();
    }

    /** Rows lost since start: buffer full or a failed flush. */
    public long dropped() {
        return dropped.get();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            // the rows of this flush are lost; the next snapshot starts a fresh buffer
            LOG.warn("history flush failed: {}", e.getMessage());
        }
    }

    private void purgeQuietly() {
        try {
            purge();
        } catch (RuntimeException e) {
            LOG.warn("history retention purge failed: {}", e.getMessage());
        }
    }

    @Deactivate
    void close() {
        closed = true;
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                    scheduler.shutdownNow();
                }
            } catch (InterruptedException e) {
                scheduler.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        flushQuietly();
    }
}
