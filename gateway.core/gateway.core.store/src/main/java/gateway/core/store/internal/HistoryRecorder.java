package gateway.core.store.internal;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
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
 * Stores the GOOD numeric readings of every snapshot in the history ({@link HistoryTable}: one row per device and
 * instant). Rows are buffered and written as one JDBC batch in one transaction per flush (every flush interval, or
 * earlier when a batch is full), and a retention purge runs at start and then daily. Both run on one private thread,
 * stopped on deactivate after a last flush.
 */
@Component(service = ReadingListener.class, immediate = true)
public final class HistoryRecorder implements ReadingListener {

    /** More buffered readings than this means the database cannot keep up: newer ones are dropped and counted. */
    static final int MAX_BUFFERED = 200_000;
    /** Rows (device instants) per DELETE while purging, so a large purge never becomes one huge transaction. */
    static final int PURGE_CHUNK = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(HistoryRecorder.class);

    private static final java.util.Comparator<SensorReading> BY_SENSOR =
            java.util.Comparator.comparing(SensorReading::sensorId);

    private final Database database;
    private final Clock clock;
    private final int batchSize;
    private final Duration retention;
    private final ScheduledExecutorService scheduler;
    private final Object lock = new Object();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private List<HistoryTable.Row> buffer = new ArrayList<>();
    /** Readings in {@link #buffer}; guarded by lock. */
    private int buffered;
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
        List<HistoryTable.Row> rows = rows(snapshot);
        if (rows.isEmpty()) {
            return;
        }
        int count = 0;
        for (HistoryTable.Row r : rows) {
            count += r.values().length;
        }
        int size;
        synchronized (lock) {
            if (buffered + count > MAX_BUFFERED) {
                long n = dropped.addAndGet(count);
                LOG.warn("history buffer full, dropped {} readings of {} ({} dropped so far)", count,
                        snapshot.heatpumpId(), n);
                return;
            }
            buffer.addAll(rows);
            buffered += count;
            size = buffered;
        }
        if (size >= batchSize && scheduler != null && flushQueued.compareAndSet(false, true)) {
            try {
                scheduler.execute(this::flushQuietly);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                flushQueued.set(false);
            }
        }
    }

    /**
     * The snapshot's GOOD numeric readings as history rows: one per instant (readings normally share the snapshot's
     * time; one with its own timestamp gets a row of its own), sensors sorted so the same set maps to one layout.
     */
    static List<HistoryTable.Row> rows(DeviceSnapshot snapshot) {
        List<SensorReading> good = new ArrayList<>(snapshot.readings().size());
        for (SensorReading r : snapshot.readings().values()) {
            // only GOOD numeric values: STALE repeats an old value, INVALID/ERROR have none; NaN would poison AVG
            if (r.good() && r.value() != null && Double.isFinite(r.value())) {
                good.add(r);
            }
        }
        if (good.isEmpty()) {
            return List.of();
        }
        good.sort(BY_SENSOR);
        long snapshotTs = snapshot.time().toEpochMilli();
        java.util.Map<Long, List<SensorReading>> byTs = new java.util.TreeMap<>();
        for (SensorReading r : good) {
            long ts = r.timestamp() != null ? r.timestamp().toEpochMilli() : snapshotTs;
            byTs.computeIfAbsent(ts, k -> new ArrayList<>()).add(r);
        }
        List<HistoryTable.Row> rows = new ArrayList<>(byTs.size());
        byTs.forEach((ts, readings) -> {
            String[] ids = new String[readings.size()];
            double[] values = new double[readings.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = readings.get(i).sensorId();
                values[i] = readings.get(i).value();
            }
            rows.add(new HistoryTable.Row(snapshot.heatpumpId(), List.of(ids), ts, values));
        });
        return rows;
    }

    /** Writes everything buffered in one transaction; returns the number of readings written. */
    int flush() {
        flushQueued.set(false);
        List<HistoryTable.Row> rows;
        int count;
        synchronized (lock) {
            if (buffer.isEmpty()) {
                return 0;
            }
            rows = buffer;
            count = buffered;
            buffer = new ArrayList<>();
            buffered = 0;
        }
        try {
            database.transaction(c -> {
                database.history().write(c, rows);
                return null;
            });
        } catch (RuntimeException e) {
            dropped.addAndGet(count);
            throw e;
        }
        written.addAndGet(count);
        return count;
    }

    /** Deletes readings older than the retention, layout by layout (each a range of the primary key); returns how
     * many rows (device instants) went. */
    long purge() {
        long cutoff = clock.instant().minus(retention).toEpochMilli();
        long total = 0;
        for (HistoryTable.Layout layout : database.history().allLayouts()) {
            while (!closed) {
                int n = database.read(c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "DELETE FROM history_rows WHERE layout_id = ? AND ts < ? FETCH FIRST ? ROWS ONLY")) {
                        ps.setInt(1, layout.id());
                        ps.setLong(2, cutoff);
                        ps.setInt(3, PURGE_CHUNK);
                        return ps.executeUpdate();
                    }
                });
                total += n;
                if (n < PURGE_CHUNK) {
                    break;
                }
            }
        }
        if (total > 0) {
            LOG.info("history retention: deleted {} rows older than {} days", total, retention.toDays());
        }
        return total;
    }

    /** Readings written since start (benchmarks, self-metrics). */
    public long written() {
        return written.get();
    }

    /** Readings lost since start: buffer full or a failed flush. */
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
