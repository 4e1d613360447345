package gateway.core.automation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.HeatpumpDriver;
import gateway.core.api.JobStore.Job;
import gateway.core.api.ManufacturerRegistry;
import gateway.core.store.internal.Database;
import gateway.core.store.internal.H2AlertStore;
import gateway.core.store.internal.H2JobStore;
import gateway.core.store.internal.H2SettingsStore;
import gateway.core.testing.ManualClock;

/**
 * The service's threads: due jobs are claimed on the timer and written elsewhere, so a device that hangs in a write
 * holds up neither the other devices' jobs nor the timer. Real H2 stores; time from a manual clock.
 */
class AutomationServiceTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @TempDir
    Path dir;
    Database db;
    H2JobStore jobs;
    RecordingManager manager;
    AutomationService service;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        jobs = new H2JobStore(db);
        manager = new RecordingManager().device("hp-a", "Hangs").device("hp-b", "Answers");
    }

    @AfterEach
    void close() {
        manager.release.countDown();
        if (service != null) {
            service.deactivate();
        }
        db.close();
    }

    @Test
    void aHungDeviceDoesNotHoldUpAnotherDevicesJobAtTheSameMinute() throws Exception {
        Job hanging = jobs.save(new Job(null, "hp-a", "setpoint_dhw", "45", "06:00", List.of(), true, null, 0, null,
                null));
        Job other = jobs.save(new Job(null, "hp-b", "setpoint_dhw", "50", "06:00", List.of(), true, null, 0, null,
                null));
        manager.hung.add("hp-a");
        service = new AutomationService(manager, jobs, new H2AlertStore(db), noDrivers(), new H2SettingsStore(db),
                config(), new ManualClock(LocalDateTime.parse("2026-12-07T06:00:10").atZone(BERLIN).toInstant()));

        await(() -> "ok".equals(jobs.get(other.id()).orElseThrow().lastResult()),
                "the answering device's job ran while the other device hangs");
        assertTrue(manager.accepted().stream().anyMatch(w -> w.heatpumpId().equals("hp-b")));
        assertEquals("running", jobs.get(hanging.id()).orElseThrow().lastResult(),
                "the hung device's job is claimed and waits for its device");

        manager.release.countDown();
        await(() -> "ok".equals(jobs.get(hanging.id()).orElseThrow().lastResult()), "the hung job finished");
        assertEquals(2, manager.accepted().size(), "each job wrote once");
        assertTrue(manager.accepted().stream().allMatch(w -> w.actor().startsWith("job:")));
    }

    @Test
    void theLastTickIsRecordedAtStopAndTellsTheNextStartWhatWasMissed() throws Exception {
        Job job = jobs.save(new Job(null, "hp-b", "setpoint_dhw", "50", "06:00", List.of(), true, null, 0, null,
                null));
        H2SettingsStore settings = new H2SettingsStore(db);
        ManualClock clock = new ManualClock(LocalDateTime.parse("2026-12-07T05:50:00").atZone(BERLIN).toInstant());
        service = new AutomationService(manager, jobs, new H2AlertStore(db), noDrivers(), settings, config(), clock);
        await(() -> settings.get(AutomationService.LAST_TICK_SETTING).isPresent(), "a tick was recorded");
        service.deactivate();
        service = null;
        assertEquals(clock.instant().toString(), settings.get(AutomationService.LAST_TICK_SETTING).orElseThrow());

        // down over 06:00, back at 06:20: the 06:00 run was missed, and says so
        clock.set(LocalDateTime.parse("2026-12-07T06:20:00").atZone(BERLIN).toInstant());
        service = new AutomationService(manager, jobs, new H2AlertStore(db), noDrivers(), settings, config(), clock);
        await(() -> jobs.get(job.id()).orElseThrow().lastResult() != null, "the missed run was recorded");
        assertEquals("skipped", jobs.get(job.id()).orElseThrow().lastResult());
        assertTrue(jobs.get(job.id()).orElseThrow().lastReason().startsWith("missed at 2026-12-07 06:00"));
        assertTrue(manager.accepted().isEmpty());
    }

    @Test
    void theTickThatSeesANewJobIsRecordedAtOnceSoARestartMakesNothingUp() throws Exception {
        H2SettingsStore settings = new H2SettingsStore(db);
        ManualClock clock = new ManualClock(LocalDateTime.parse("2026-12-07T06:00:30").atZone(BERLIN).toInstant());
        service = new AutomationService(manager, jobs, new H2AlertStore(db), noDrivers(), settings, config(), clock);
        await(() -> settings.get(AutomationService.LAST_TICK_SETTING).isPresent(), "a tick was recorded");

        // at 06:01:10 someone creates a job for 06:00 that makes up missed runs: its first run is tomorrow
        clock.set(LocalDateTime.parse("2026-12-07T06:01:10").atZone(BERLIN).toInstant());
        Job job = jobs.save(new Job(null, "hp-b", "setpoint_dhw", "50", "06:00", List.of(), true, null, 30, null,
                null));
        // recorded at the next tick, not within the minute: a kill -9 now (no stop to record anything) ...
        await(() -> clock.instant().toString().equals(settings.get(AutomationService.LAST_TICK_SETTING)
                .orElse("")), "the tick that saw the new job recorded");

        // ... and a start at 06:02 with what was on disk: 06:00 is before the recorded tick, nothing was missed
        JobRunner afterRestart = new JobRunner(jobs, manager, BERLIN, AutomationService.lastAlive(settings));
        assertEquals(List.of(), afterRestart.tick(
                LocalDateTime.parse("2026-12-07T06:02:00").atZone(BERLIN).toInstant()));
        Job after = jobs.get(job.id()).orElseThrow();
        assertEquals(null, after.lastRun(), "no catch-up run: " + after.lastReason());
        assertTrue(manager.accepted().isEmpty());
    }

    /** Polls a condition the service's threads bring about; the bound is generous and only a failure waits it. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    static ManufacturerRegistry noDrivers() {
        return new ManufacturerRegistry() {
            @Override
            public List<Manufacturer> manufacturers() {
                return List.of();
            }

            @Override
            public Optional<HeatpumpDriver> driver(String manufacturerId, String modelId) {
                return Optional.empty();
            }
        };
    }

    static AutomationConfig config() {
        return new AutomationConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AutomationConfig.class;
            }

            @Override
            public String time_zone() {
                return BERLIN.getId();
            }

            @Override
            public boolean jobs_enabled() {
                return true;
            }

            @Override
            public boolean alerts_enabled() {
                return true;
            }

            @Override
            public long tick_millis() {
                return 100;
            }

            @Override
            public int reload_seconds() {
                return 2;
            }
        };
    }
}
