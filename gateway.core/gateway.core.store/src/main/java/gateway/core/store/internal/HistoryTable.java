package gateway.core.store.internal;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reading history: one row per device and instant, not one per reading.
 *
 * <p>A poll yields tens to hundreds of values measured at one instant. H2 pays per row and per index entry, so a row
 * per reading (with its text keys and a time index) capped the history near 30,000 readings/s on a small machine,
 * below what a fleet's polls produce. Here a row holds all good values of one device at one instant:
 * <ul>
 * <li>{@code history_layouts(id, heatpump_id, sensor_ids)}: which sensors a row holds and in which order (sensor ids
 * sorted, newline-separated). A device has one layout as long as the same sensors answer; a sensor that turns invalid
 * gives a second one. Layouts are few, never change, and are kept in memory.</li>
 * <li>{@code history_rows(layout_id, ts, packed)}, primary key (layout_id, ts): the values as big-endian IEEE doubles
 * in layout order; ts is epoch milliseconds. Writing the same device and instant again replaces the row, so a
 * snapshot delivered twice is stored once.</li>
 * </ul>
 * Reading one sensor walks the rows of the (usually one) layout that contains it and decodes 8 bytes per row.
 */
final class HistoryTable {

    /** The sensors of a row, in order; {@code positions} maps a sensor id to its index. */
    record Layout(int id, String heatpumpId, List<String> sensorIds, Map<String, Integer> positions) {

        static Layout of(int id, String heatpumpId, List<String> sensorIds) {
            Map<String, Integer> positions = new HashMap<>();
            for (int i = 0; i < sensorIds.size(); i++) {
                positions.put(sensorIds.get(i), i);
            }
            return new Layout(id, heatpumpId, List.copyOf(sensorIds), Map.copyOf(positions));
        }

        /** Index of the sensor in this layout's rows, or -1. */
        int position(String sensorId) {
            Integer p = positions.get(sensorId);
            return p == null ? -1 : p;
        }
    }

    /** Good values of one device at one instant; {@code sensorIds} sorted, {@code values} in the same order. */
    record Row(String heatpumpId, List<String> sensorIds, long ts, double[] values) {
    }

    static final String MERGE_ROW = "MERGE INTO history_rows (layout_id, ts, packed) KEY (layout_id, ts)"
            + " VALUES (?, ?, ?)";

    private final Database database;
    /** heatpump id → sensor ids → layout; guarded by this. */
    private final Map<String, Map<List<String>, Layout>> layouts = new HashMap<>();
    private boolean loaded;

    HistoryTable(Database database) {
        this.database = database;
    }

    /** Writes rows in the caller's transaction (new layouts are committed on their own first). */
    void write(Connection connection, List<Row> rows) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(MERGE_ROW)) {
            for (Row r : rows) {
                ps.setInt(1, layout(r.heatpumpId(), r.sensorIds()).id());
                ps.setLong(2, r.ts());
                ps.setBytes(3, pack(r.values()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The layout for these sensors of the device, created when new. */
    synchronized Layout layout(String heatpumpId, List<String> sensorIds) {
        load();
        Map<List<String>, Layout> ofDevice = layouts.computeIfAbsent(heatpumpId, k -> new HashMap<>());
        Layout known = ofDevice.get(sensorIds);
        if (known != null) {
            return known;
        }
        // its own committed statement: a layout must exist even when the caller's transaction rolls back
        int id = database.read(c -> insertLayout(c, heatpumpId, sensorIds));
        Layout created = Layout.of(id, heatpumpId, sensorIds);
        ofDevice.put(created.sensorIds(), created);
        return created;
    }

    /** Every layout of the device, oldest first. */
    synchronized List<Layout> layouts(String heatpumpId) {
        load();
        List<Layout> out = new ArrayList<>(layouts.getOrDefault(heatpumpId, Map.of()).values());
        out.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return out;
    }

    /** The device's layouts that hold the sensor. */
    List<Layout> layoutsWith(String heatpumpId, String sensorId) {
        return layouts(heatpumpId).stream().filter(l -> l.position(sensorId) >= 0).toList();
    }

    /** Every layout of every device. */
    synchronized List<Layout> allLayouts() {
        load();
        List<Layout> out = new ArrayList<>();
        layouts.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    private void load() {
        if (loaded) {
            return;
        }
        database.read(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, heatpump_id, sensor_ids FROM history_layouts")) {
                while (rs.next()) {
                    Layout l = Layout.of(rs.getInt(1), rs.getString(2), splitIds(rs.getString(3)));
                    layouts.computeIfAbsent(l.heatpumpId(), k -> new HashMap<>()).put(l.sensorIds(), l);
                }
            }
            return null;
        });
        loaded = true;
    }

    static int insertLayout(Connection c, String heatpumpId, List<String> sensorIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO history_layouts (heatpump_id, sensor_ids) VALUES (?, ?)", new String[] { "ID" })) {
            ps.setString(1, heatpumpId);
            ps.setString(2, String.join("\n", sensorIds));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getInt(1);
            }
        }
    }

    static List<String> splitIds(String joined) {
        return joined.isEmpty() ? List.of() : List.of(joined.split("\n"));
    }

    static byte[] pack(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Double.BYTES);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    /** The value at {@code position} of a packed row (NaN when the row is shorter, which a layout rules out). */
    static double unpack(byte[] packed, int position) {
        int offset = position * Double.BYTES;
        return offset + Double.BYTES <= packed.length ? ByteBuffer.wrap(packed).getDouble(offset) : Double.NaN;
    }

    /**
     * Migration from the row-per-reading table {@code readings} (schema 4): groups its rows by device and instant
     * into layouts and rows, then drops it. Runs inside the migration's transaction; H2 commits at the DROP.
     */
    static void importReadings(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'READINGS'"
                        + " AND TABLE_SCHEMA = SCHEMA()")) {
            rs.next();
            if (rs.getInt(1) == 0) {
                return;
            }
        }
        Map<String, Map<List<String>, Integer>> known = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, heatpump_id, sensor_ids FROM history_layouts")) {
            while (rs.next()) {
                known.computeIfAbsent(rs.getString(2), k -> new HashMap<>()).put(splitIds(rs.getString(3)),
                        rs.getInt(1));
            }
        }
        try (Statement st = c.createStatement();
             PreparedStatement merge = c.prepareStatement(MERGE_ROW)) {
            st.setFetchSize(1000);
            try (ResultSet rs = st.executeQuery("SELECT heatpump_id, ts, sensor_id, \"VALUE\" FROM readings"
                    + " ORDER BY heatpump_id, ts, sensor_id")) {
                String device = null;
                long ts = 0;
                Map<String, Double> values = new LinkedHashMap<>();
                int batched = 0;
                while (true) {
                    boolean more = rs.next();
                    if (!values.isEmpty() && (!more || !rs.getString(1).equals(device) || rs.getLong(2) != ts)) {
                        List<String> ids = new ArrayList<>(values.keySet());
                        Collections.sort(ids);
                        String d = device;
                        Map<List<String>, Integer> ofDevice = known.computeIfAbsent(d, k -> new HashMap<>());
                        Integer layout = ofDevice.get(ids);
                        if (layout == null) {
                            layout = insertLayout(c, d, ids);
                            ofDevice.put(ids, layout);
                        }
                        double[] packed = new double[ids.size()];
                        for (int i = 0; i < ids.size(); i++) {
                            packed[i] = values.get(ids.get(i));
                        }
                        merge.setInt(1, layout);
                        merge.setLong(2, ts);
                        merge.setBytes(3, pack(packed));
                        merge.addBatch();
                        if (++batched % 1000 == 0) {
                            merge.executeBatch();
                        }
                        values.clear();
                    }
                    if (!more) {
                        break;
                    }
                    device = rs.getString(1);
                    ts = rs.getLong(2);
                    values.put(rs.getString(3), rs.getDouble(4));
                }
                merge.executeBatch();
            }
            st.execute("DROP TABLE readings");
        }
    }
}
