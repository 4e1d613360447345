package gateway.core.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import gateway.core.api.HistoryStore;

/**
 * Reads the history (see {@link HistoryTable}; written by {@link HistoryRecorder}).
 *
 * <p>Downsampling splits [from, to] into {@code points} equal buckets; bucket {@code b} holds the readings with
 * {@code floor((ts - from) * points / (to - from)) = b} (a reading exactly at {@code to} joins the last bucket), and
 * its point carries the bucket's start time, the average, minimum and maximum. Empty buckets yield no point.
 */
@Component(service = HistoryStore.class)
public final class H2HistoryStore implements HistoryStore {

    /** Upper bound on points per answer, raw or downsampled, so one request cannot exhaust memory. */
    public static final int MAX_POINTS = 10_000;

    private final Database database;

    @Activate
    public H2HistoryStore(@Reference Database database) {
        this.database = database;
    }

    @Override
    public List<Point> query(String heatpumpId, String sensorId, Instant from, Instant to, int points) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (points < 0) {
            throw new IllegalArgumentException("points must be >= 0");
        }
        long f = from.toEpochMilli();
        long t = to.toEpochMilli();
        if (t < f) {
            return List.of();
        }
        return points == 0 ? raw(heatpumpId, sensorId, f, t) : buckets(heatpumpId, sensorId, f, t,
                Math.min(points, MAX_POINTS));
    }

    /** The newest {@link #MAX_POINTS} readings of the range, oldest first. */
    private List<Point> raw(String heatpumpId, String sensorId, long from, long to) {
        List<HistoryTable.Layout> layouts = database.history().layoutsWith(heatpumpId, sensorId);
        return database.read(c -> {
            List<Point> out = new ArrayList<>();
            for (HistoryTable.Layout layout : layouts) {
                int position = layout.position(sensorId);
                try (PreparedStatement ps = c.prepareStatement("SELECT ts, packed FROM history_rows"
                        + " WHERE layout_id = ? AND ts BETWEEN ? AND ? ORDER BY ts DESC FETCH FIRST ? ROWS ONLY")) {
                    ps.setInt(1, layout.id());
                    ps.setLong(2, from);
                    ps.setLong(3, to);
                    ps.setInt(4, MAX_POINTS);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            double v = HistoryTable.unpack(rs.getBytes(2), position);
                            out.add(new Point(Instant.ofEpochMilli(rs.getLong(1)), v, v, v));
                        }
                    }
                }
            }
            // several layouts (the device's sensor set changed): newest MAX_POINTS across them
            out.sort(Comparator.comparing(Point::time));
            return out.size() > MAX_POINTS ? new ArrayList<>(out.subList(out.size() - MAX_POINTS, out.size())) : out;
        });
    }

    /** Aggregates while streaming the rows, so a long range costs time, not memory. */
    private List<Point> buckets(String heatpumpId, String sensorId, long from, long to, int points) {
        long span = Math.max(1, to - from);
        double[] sum = new double[points];
        double[] min = new double[points];
        double[] max = new double[points];
        int[] count = new int[points];
        for (HistoryTable.Layout layout : database.history().layoutsWith(heatpumpId, sensorId)) {
            int position = layout.position(sensorId);
            database.read(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT ts, packed FROM history_rows WHERE layout_id = ? AND ts BETWEEN ? AND ? ORDER BY ts")) {
                    ps.setFetchSize(1000);
                    ps.setInt(1, layout.id());
                    ps.setLong(2, from);
                    ps.setLong(3, to);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            double v = HistoryTable.unpack(rs.getBytes(2), position);
                            int b = (int) Math.min(points - 1L, (rs.getLong(1) - from) * points / span);
                            if (count[b]++ == 0) {
                                min[b] = v;
                                max[b] = v;
                            } else {
                                min[b] = Math.min(min[b], v);
                                max[b] = Math.max(max[b], v);
                            }
                            sum[b] += v;
                        }
                    }
                }
                return null;
            });
        }
        List<Point> out = new ArrayList<>();
        for (int b = 0; b < points; b++) {
            if (count[b] > 0) {
                out.add(new Point(Instant.ofEpochMilli(from + b * span / points), sum[b] / count[b], min[b], max[b]));
            }
        }
        return out;
    }

    /**
     * Streams through one time-ordered cursor per layout that holds any of the sensors and merges them by time; at
     * one instant the sensors come in the order they were asked for. Neither H2 nor this method holds more than one
     * row per layout.
     */
    @Override
    public void export(String heatpumpId, List<String> sensorIds, Instant from, Instant to, RowSink sink)
            throws IOException {
        List<String> sensors = List.copyOf(new java.util.LinkedHashSet<>(sensorIds));
        List<HistoryTable.Layout> layouts = database.history().layouts(heatpumpId).stream()
                .filter(l -> sensors.stream().anyMatch(s -> l.position(s) >= 0)).toList();
        try {
            database.read(c -> {
                List<PreparedStatement> statements = new ArrayList<>();
                ResultSet[] cursors = new ResultSet[layouts.size()];
                try {
                    for (int i = 0; i < layouts.size(); i++) {
                        PreparedStatement ps = c.prepareStatement("SELECT ts, packed FROM history_rows"
                                + " WHERE layout_id = ? AND ts BETWEEN ? AND ? ORDER BY ts");
                        statements.add(ps);
                        ps.setFetchSize(1000);
                        ps.setInt(1, layouts.get(i).id());
                        ps.setLong(2, from.toEpochMilli());
                        ps.setLong(3, to.toEpochMilli());
                        ResultSet rs = ps.executeQuery();
                        cursors[i] = rs.next() ? rs : null;
                    }
                    byte[][] atInstant = new byte[cursors.length][];
                    while (true) {
                        long now = Long.MAX_VALUE;
                        for (ResultSet cursor : cursors) {
                            if (cursor != null) {
                                now = Math.min(now, cursor.getLong(1));
                            }
                        }
                        if (now == Long.MAX_VALUE) {
                            return null;
                        }
                        for (int i = 0; i < cursors.length; i++) {
                            atInstant[i] = cursors[i] != null && cursors[i].getLong(1) == now
                                    ? cursors[i].getBytes(2) : null;
                        }
                        Instant time = Instant.ofEpochMilli(now);
                        for (String sensor : sensors) {
                            for (int i = 0; i < cursors.length; i++) {
                                int position = layouts.get(i).position(sensor);
                                if (atInstant[i] != null && position >= 0) {
                                    try {
                                        sink.row(sensor, time, HistoryTable.unpack(atInstant[i], position));
                                    } catch (IOException e) {
                                        throw new UncheckedIOException(e);
                                    }
                                    break;
                                }
                            }
                        }
                        for (int i = 0; i < cursors.length; i++) {
                            if (atInstant[i] != null && !cursors[i].next()) {
                                cursors[i].close();
                                cursors[i] = null;
                            }
                        }
                    }
                } finally {
                    for (PreparedStatement ps : statements) {
                        ps.close();
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause(); // the client went away; not a store failure
        }
    }

    @Override
    public List<String> sensorsWithHistory(String heatpumpId) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (HistoryTable.Layout layout : database.history().layouts(heatpumpId)) {
            // a layout whose rows the retention purged holds no history any more
            boolean hasRows = database.queryOne(
                    "SELECT 1 FROM history_rows WHERE layout_id = ? FETCH FIRST 1 ROWS ONLY", rs -> true, layout.id())
                    .isPresent();
            if (hasRows) {
                out.addAll(layout.sensorIds());
            }
        }
        return List.copyOf(out);
    }
}
