package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.AlertStore.Alert;
import gateway.core.api.JobStore.Job;

/** Job and alert definitions: stored, listed per device or all, found by id. */
class H2DefinitionStoresTest {

    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = Database.open(dir);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void jobsAreListedPerDeviceOrAllAndFoundById() {
        H2JobStore jobs = new H2JobStore(db);
        Job a = jobs.save(new Job(null, "hp-a", "temp_water_target", "50", "06:30", List.of("mon", "tue"), true, null));
        jobs.save(new Job(null, "hp-b", "status_system", "1", "22:00", List.of("sun"), false, null));
        jobs.save(new Job(null, "hp-a", "temp_water_target", "45", "05:00", List.of(), true, null));

        assertEquals(3, jobs.list(null).size());
        List<Job> forA = jobs.list("hp-a");
        assertEquals(List.of("05:00", "06:30"), forA.stream().map(Job::time).toList(), "per device, by time");
        assertEquals(List.of("mon", "tue"), jobs.get(a.id()).orElseThrow().days());
        assertTrue(jobs.get("job-none").isEmpty());
    }

    @Test
    void alertsAreListedPerDeviceOrAllAndFoundById() {
        H2AlertStore alerts = new H2AlertStore(db);
        Alert hot = alerts.save(new Alert(null, "hp-a", "hot", "threshold", "temp_outside", ">", "30", "too hot",
                true, 600, null));
        alerts.save(new Alert(null, "hp-b", "cold", "threshold", "temp_outside", "<", "-15", "too cold", true, 600,
                null));

        assertEquals(2, alerts.list(null).size());
        assertEquals(List.of("hot"), alerts.list("hp-a").stream().map(Alert::name).toList());
        assertEquals("too hot", alerts.get(hot.id()).orElseThrow().message());
        assertTrue(alerts.list("hp-none").isEmpty());
    }
}
