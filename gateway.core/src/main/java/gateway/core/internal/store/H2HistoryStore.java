package gateway.core.internal.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import gateway.core.api.HistoryStore;

/**
 * Reads the history in table {@code readings} (written by {@link HistoryRecorder}).
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
        return database.read(c -> {
            List<Point> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT ts, v FROM ("
                    + " SELECT ts, \"VALUE\" AS v FROM readings"
                    + " WHERE heatpump_id = ? AND sensor_id = ? AND ts BETWEEN ? AND ?"
                    + " ORDER BY ts DESC FETCH FIRST ? ROWS ONLY) ORDER BY ts")) {
                ps.setString(1, heatpumpId);
                ps.setString(2, sensorId);
                ps.setLong(3, from);
                ps.setLong(4, to);
                ps.setInt(5, MAX_POINTS);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double v = rs.getDouble(2);
                        out.add(new Point(Instant.ofEpochMilli(rs.getLong(1)), v, v, v));
                    }
                }
            }
            return out;
        });
    }

    private List<Point> buckets(String heatpumpId, String sensorId, long from, long to, int points) {
        long span = Math.max(1, to - from);
        return database.read(c -> {
            List<Point> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT b, AVG(v), MIN(v), MAX(v) FROM ("
                    + " SELECT LEAST(CAST(? AS BIGINT), (ts - CAST(? AS BIGINT)) * CAST(? AS BIGINT)"
                    + "   / CAST(? AS BIGINT)) AS b, \"VALUE\" AS v"
                    + " FROM readings WHERE heatpump_id = ? AND sensor_id = ? AND ts BETWEEN ? AND ?)"
                    + " GROUP BY b ORDER BY b")) {
                ps.setLong(1, points - 1L);
                ps.setLong(2, from);
                ps.setLong(3, points);
                ps.setLong(4, span);
                ps.setString(5, heatpumpId);
                ps.setString(6, sensorId);
                ps.setLong(7, from);
                ps.setLong(8, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long b = rs.getLong(1);
                        out.add(new Point(Instant.ofEpochMilli(from + b * span / points), rs.getDouble(2),
                                rs.getDouble(3), rs.getDouble(4)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Streams through one index-ordered cursor per sensor and merges them by time (ties in the order the sensors were
     * asked for), so neither H2 nor this method ever holds more than one row per sensor.
     */
    @Override
    public void export(String heatpumpId, List<String> sensorIds, Instant from, Instant to, RowSink sink)
            throws IOException {
        List<String> sensors = List.copyOf(new java.util.LinkedHashSet<>(sensorIds));
        try {
            database.read(c -> {
                List<PreparedStatement> statements = new ArrayList<>();
                ResultSet[] cursors = new ResultSet[sensors.size()];
                try {
                    for (int i = 0; i < sensors.size(); i++) {
                        PreparedStatement ps = c.prepareStatement("SELECT ts, \"VALUE\" FROM readings"
                                + " WHERE heatpump_id = ? AND sensor_id = ? AND ts BETWEEN ? AND ? ORDER BY ts");
                        statements.add(ps);
                        ps.setFetchSize(1000);
                        ps.setString(1, heatpumpId);
                        ps.setString(2, sensors.get(i));
                        ps.setLong(3, from.toEpochMilli());
                        ps.setLong(4, to.toEpochMilli());
                        ResultSet rs = ps.executeQuery();
                        cursors[i] = rs.next() ? rs : null;
                    }
                    while (true) {
                        int next = -1;
                        long best = Long.MAX_VALUE;
                        for (int i = 0; i < cursors.length; i++) {
                            if (cursors[i] != null && cursors[i].getLong(1) < best) {
                                best = cursors[i].getLong(1);
                                next = i;
                            }
                        }
                        if (next < 0) {
                            return null;
                        }
                        try {
                            sink.row(sensors.get(next), Instant.ofEpochMilli(best), cursors[next].getDouble(2));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        if (!cursors[next].next()) {
                            cursors[next].close();
                            cursors[next] = null;
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
        return database.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT DISTINCT sensor_id FROM readings WHERE heatpump_id = ? ORDER BY sensor_id")) {
                ps.setString(1, heatpumpId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }
}
