package gateway.core.store.internal;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
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

/**
 * Jobs in table {@code jobs}; days are a JSON array of weekday abbreviations, as the original stored them. The run
 * record (last_run, last_result, last_reason) is written only by the scheduler's claim and result calls, so saving an
 * edited definition never undoes a run.
 */
@Component(service = JobStore.class)
public final class H2JobStore implements JobStore {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFINITION = "id, heatpump_id, sensor, \"VALUE\", time, days, enabled, catch_up_minutes";
    private static final String COLUMNS = DEFINITION + ", last_run, last_result, last_reason";

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
        database.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO jobs (" + DEFINITION + ") KEY (id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, job.heatpumpId());
                ps.setString(3, job.sensor());
                ps.setString(4, job.value());
                ps.setString(5, job.time());
                ps.setString(6, toJson(job.days()));
                ps.setBoolean(7, job.enabled());
                ps.setInt(8, job.catchUpMinutes());
                ps.executeUpdate();
            }
            return null;
        });
        return get(id).orElseThrow(() -> new StoreException("job " + id + " vanished while it was saved", null));
    }

    @Override
    public boolean claimRun(String id, Instant due) {
        Objects.requireNonNull(due, "due");
        return database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET last_run = ?, last_result = ?,"
                    + " last_reason = NULL WHERE id = ? AND (last_run IS NULL OR last_run < ?)")) {
                ps.setObject(1, Database.toDb(due), Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setString(2, RESULT_RUNNING);
                ps.setString(3, id);
                ps.setObject(4, Database.toDb(due), Types.TIMESTAMP_WITH_TIMEZONE);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void startManualRun(String id, Instant at) {
        database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE jobs SET last_run = ?, last_result = ?, last_reason = NULL WHERE id = ?")) {
                ps.setObject(1, Database.toDb(at), Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setString(2, RESULT_RUNNING);
                ps.setString(3, id);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void recordResult(String id, String result, String reason) {
        database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE jobs SET last_result = ?, last_reason = ? WHERE id = ?")) {
                ps.setString(1, result);
                ps.setString(2, reason);
                ps.setString(3, id);
                return ps.executeUpdate();
            }
        });
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
                Database.instant(rs, "last_run"), rs.getInt("catch_up_minutes"), rs.getString("last_result"),
                rs.getString("last_reason"));
    }
}
