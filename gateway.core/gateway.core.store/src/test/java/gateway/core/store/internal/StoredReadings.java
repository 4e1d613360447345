package gateway.core.store.internal;

import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The stored history expanded to one reading each, decoded straight from the tables in the format the schema
 * documents (history_layouts.sensor_ids newline-separated; history_rows.packed = big-endian doubles in that order),
 * without the store's own code, so tests can check what the store wrote and read.
 */
final class StoredReadings {

    record Reading(String heatpumpId, String sensorId, long ts, double value) {
    }

    private StoredReadings() {
    }

    /** Every stored reading, ordered by device, time and sensor. */
    static List<Reading> all(Database db) {
        List<Reading> out = db.read(c -> {
            List<Reading> rows = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT l.heatpump_id, l.sensor_ids, r.ts, r.packed FROM history_rows r"
                            + " JOIN history_layouts l ON l.id = r.layout_id")) {
                while (rs.next()) {
                    String[] sensors = rs.getString(2).split("\n");
                    ByteBuffer values = ByteBuffer.wrap(rs.getBytes(4));
                    for (String sensor : sensors) {
                        rows.add(new Reading(rs.getString(1), sensor, rs.getLong(3), values.getDouble()));
                    }
                }
            }
            return rows;
        });
        out.sort(Comparator.comparing(Reading::heatpumpId).thenComparingLong(Reading::ts)
                .thenComparing(Reading::sensorId));
        return out;
    }

    static long count(Database db, String sensorId) {
        return all(db).stream().filter(r -> sensorId == null || r.sensorId().equals(sensorId)).count();
    }
}
