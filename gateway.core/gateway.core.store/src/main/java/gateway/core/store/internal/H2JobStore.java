package gateway.core.store.internal;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.api.JobStore;

/** Jobs in table {@code jobs}; days are a JSON array of weekday abbreviations, as the original stored them. */
@Component(service = JobStore.class)
public final class H2JobStore implements JobStore {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, heatpump_id, sensor, \"VALUE\", time, days, enabled, last_run";

    private final Database database;

    @Activate
    public H2JobStore(@Reference Database database) {
        this.database = database;
    }

    @Override
    public List<Job> list(String heatpumpId) {
        String select = "SELECT " + COLUMNS + " FROM jobs";
        String order = " ORDER BY heatpump_id, time, id";
        return heatpumpId == null
                ? database.query(select + order, H2JobStore::map)
                : database.query(select + " WHERE heatpump_id = ?" + order, H2JobStore::map, heatpumpId);
    }

    @Override
    public Optional<Job> get(String id) {
        return database.queryOne("SELECT " + COLUMNS + " FROM jobs WHERE id = ?", H2JobStore::map, id);
    }

    @Override
    public Job save(Job job) {
        Objects.requireNonNull(job, "job");
        String id = job.id() == null || job.id().isBlank() ? newId("job-") : job.id();
        Job saved = new Job(id, job.heatpumpId(), job.sensor(), job.value(), job.time(), job.days(), job.enabled(),
                Database.millis(job.lastRun()));
        database.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO jobs (" + COLUMNS + ") KEY (id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, saved.heatpumpId());
                ps.setString(3, saved.sensor());
                ps.setString(4, saved.value());
                ps.setString(5, saved.time());
                ps.setString(6, toJson(saved.days()));
                ps.setBoolean(7, saved.enabled());
                ps.setObject(8, Database.toDb(saved.lastRun()), Types.TIMESTAMP_WITH_TIMEZONE);
                ps.executeUpdate();
            }
            return null;
        });
        return saved;
    }

    @Override
    public boolean delete(String id) {
        return database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM jobs WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    static String newId(String prefix) {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }

    private static String toJson(List<String> days) {
        try {
            return JSON.writeValueAsString(days);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows imported from the original may hold anything in days; unreadable means every day. */
    private static List<String> days(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    private static Job map(ResultSet rs) throws SQLException {
        return new Job(rs.getString("id"), rs.getString("heatpump_id"), rs.getString("sensor"),
                rs.getString("VALUE"), rs.getString("time"), days(rs.getString("days")), rs.getBoolean("enabled"),
                Database.instant(rs, "last_run"));
    }
}
