package gateway.core.automation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.Automation.RunOutcome;
import gateway.core.api.JobStore.Job;
import gateway.core.store.internal.Database;
import gateway.core.store.internal.H2JobStore;

/**
 * The scheduler on simulated time against a real H2 job store: ticks are driven by the test (every 20 s of simulated
 * time, as a 1 s real tick would see each minute many times), nothing sleeps.
 */
class JobRunnerTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final String HP = "hp-1";

    @TempDir
    Path dir;
    Database db;
    H2JobStore store;
    RecordingManager manager;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        store = new H2JobStore(db);
        manager = new RecordingManager().device(HP, "Basement");
    }

    @AfterEach
    void close() {
        db.close();
    }

    static Instant berlin(String local) {
        return LocalDateTime.parse(local).atZone(BERLIN).toInstant();
    }

    Job job(String time, List<String> days, int catchUp) {
        return store.save(new Job(null, HP, "setpoint_dhw", "48", time, days, true, null, catchUp, null, null));
    }

    /** Ticks from..to every step; returns every outcome. */
    static List<RunOutcome> run(JobRunner runner, Instant from, Instant to, Duration step) {
        List<RunOutcome> out = new ArrayList<>();
        for (Instant t = from; !t.isAfter(to); t = t.plus(step)) {
            out.addAll(runner.tick(t));
        }
        return out;
    }

    @Test
    void jobInTheSpringForwardGapRunsOnceWhenTheGapEnds() {
        Job j = job("02:30", List.of(), 0);
        JobRunner runner = new JobRunner(store, manager, BERLIN);
        // 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 never happens
        List<RunOutcome> outcomes = run(runner, berlin("2026-03-29T01:00"), berlin("2026-03-29T05:00"),
                Duration.ofSeconds(20));
        assertEquals(1, manager.accepted().size(), "runs once: " + outcomes);
        Instant threeAm = ZonedDateTime.of(LocalDateTime.parse("2026-03-29T03:00"), BERLIN).toInstant();
        assertEquals(Instant.parse("2026-03-29T01:00:00Z"), threeAm);
        assertTrue(!outcomes.get(0).time().isBefore(threeAm)
                && outcomes.get(0).time().isBefore(threeAm.plusSeconds(60)), "at 03:00: " + outcomes);
        assertEquals(threeAm, store.get(j.id()).orElseThrow().lastRun());
        assertEquals("ok", store.get(j.id()).orElseThrow().lastResult());
    }

    @Test
    void jobInTheFallBackOverlapRunsOnceAtTheFirstOccurrence() {
        job("02:30", List.of(), 0);
        JobRunner runner = new JobRunner(store, manager, BERLIN);
        // 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice (00:30Z and 01:30Z)
        List<RunOutcome> outcomes = run(runner, berlin("2026-10-25T01:00"), Instant.parse("2026-10-25T04:00:00Z"),
                Duration.ofSeconds(20));
        assertEquals(1, manager.accepted().size(), "runs once: " + outcomes);
        Instant first = Instant.parse("2026-10-25T00:30:00Z");
        assertTrue(!outcomes.get(0).time().isBefore(first) && outcomes.get(0).time().isBefore(first.plusSeconds(60)));
    }

    @Test
    void runsOnItsWeekdaysOnlyWhateverTheLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY); // the original's %a gave "Mo", "Mi" here and never matched "mon"
        try {
            job("06:00", List.of("mon", "WED", "sun"), 0);
            JobRunner runner = new JobRunner(store, manager, BERLIN);
            // Monday 2026-11-30 to Monday 2026-12-07 00:00, a tick every 30 s
            List<RunOutcome> outcomes = run(runner, berlin("2026-11-30T00:00"), berlin("2026-12-07T00:00"),
                    Duration.ofSeconds(30));
            List<String> days = outcomes.stream()
                    .map(o -> o.time().atZone(BERLIN).getDayOfWeek().toString() + " "
                            + o.time().atZone(BERLIN).toLocalTime().withSecond(0))
                    .toList();
            assertEquals(List.of("MONDAY 06:00", "WEDNESDAY 06:00", "SUNDAY 06:00"), days);
            assertEquals(3, manager.accepted().size());
            assertTrue(manager.accepted().stream().allMatch(w -> w.value() == 48.0));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void everyRunWritesThroughTheManagerAsTheJob() {
        Job j = job("07:15", List.of(), 0);
        JobRunner runner = new JobRunner(store, manager, BERLIN);
        run(runner, berlin("2026-12-01T07:14"), berlin("2026-12-01T07:17"), Duration.ofSeconds(10));
        assertEquals(List.of(new RecordingManager.Write(HP, "setpoint_dhw", 48.0, "job:" + j.id(), true)),
                manager.writes);
    }

    @Test
    void enumValuesAreWrittenByLabel() {
        Job j = store.save(new Job(null, HP, "operating_mode", "hot water", "08:00", List.of(), true, null));
        JobRunner runner = new JobRunner(store, manager, BERLIN);
        runner.tick(berlin("2026-12-01T08:00:05"));
        assertEquals(List.of(new RecordingManager.Write(HP, "operating_mode", 2.0, "job:" + j.id(), true)),
                manager.writes);
    }

    @Test
    void aMissedRunIsSkippedAndRecordedByDefault() {
        Job j = job("04:00", List.of(), 0);
        // the gateway was last alive at 03:50 and comes back at 04:10: a fresh runner, nothing ticked at 04:00
        JobRunner runner = new JobRunner(store, manager, BERLIN, berlin("2026-12-01T03:50"));
        run(runner, berlin("2026-12-01T04:10"), berlin("2026-12-01T04:30"), Duration.ofSeconds(20));
        assertEquals(0, manager.writes.size());
        Job after = store.get(j.id()).orElseThrow();
        assertEquals("skipped", after.lastResult());
        assertTrue(after.lastReason().startsWith("missed at 2026-12-01 04:00"), after.lastReason());
        assertEquals(berlin("2026-12-01T04:00"), after.lastRun());
    }

    @Test
    void aMissedRunIsMadeUpOnceWithinItsCatchUpWindow() {
        Job j = job("04:00", List.of(), 15);
        JobRunner runner = new JobRunner(store, manager, BERLIN, berlin("2026-12-01T03:50"));
        run(runner, berlin("2026-12-01T04:10"), berlin("2026-12-01T04:40"), Duration.ofSeconds(20));
        assertEquals(1, manager.accepted().size());
        assertEquals("ok", store.get(j.id()).orElseThrow().lastResult());

        // down from 04:40 until the next day 04:16, beyond the window: skipped
        JobRunner late = new JobRunner(store, manager, BERLIN, runner.lastTick());
        run(late, berlin("2026-12-02T04:16"), berlin("2026-12-02T04:20"), Duration.ofSeconds(20));
        assertEquals(1, manager.accepted().size());
        assertEquals("skipped", store.get(j.id()).orElseThrow().lastResult());
    }

    @Test
    void aFirstStartJudgesNothingMissed() {
        // a job saved before the gateway ever ticked (e.g. by a restore): its earlier occurrences were never due
        Job j = job("04:00", List.of(), 0);
        JobRunner runner = new JobRunner(store, manager, BERLIN);
        run(runner, berlin("2026-12-01T09:00"), berlin("2026-12-01T09:10"), Duration.ofSeconds(20));
        Job after = store.get(j.id()).orElseThrow();
        assertEquals(null, after.lastRun(), "no run and no 'missed' record: " + after.lastReason());
        assertEquals(null, after.lastResult());
        run(runner, berlin("2026-12-02T03:59:40"), berlin("2026-12-02T04:00:20"), Duration.ofSeconds(20));
        assertEquals(1, manager.accepted().size(), "the next occurrence runs");
    }

    @Test
    void aJobCreatedAfterItsMinuteWaitsForTheNextDayEvenWithCatchUp() {
        JobRunner runner = new JobRunner(store, manager, BERLIN);
        run(runner, berlin("2026-12-01T09:00"), berlin("2026-12-01T09:10"), Duration.ofSeconds(20));
        Job j = job("09:05", List.of(), 30);
        run(runner, berlin("2026-12-01T09:10:20"), berlin("2026-12-01T09:30"), Duration.ofSeconds(20));
        assertEquals(0, manager.writes.size());
        assertEquals(berlin("2026-12-02T09:05"), runner.nextRun(store.get(j.id()).orElseThrow(),
                berlin("2026-12-01T09:30")).orElseThrow());
    }

    @Test
    void noDoubleRunAcrossARestartWithinTheDueMinute() {
        Job j = job("05:00", List.of(), 10);
        JobRunner first = new JobRunner(store, manager, BERLIN);
        first.tick(berlin("2026-12-01T05:00:01"));
        assertEquals(1, manager.accepted().size());
        // restart 20 s later: a new runner on the same database
        JobRunner second = new JobRunner(store, manager, BERLIN);
        second.recoverInterruptedRuns();
        run(second, berlin("2026-12-01T05:00:21"), berlin("2026-12-01T05:20"), Duration.ofSeconds(20));
        assertEquals(1, manager.accepted().size());
        assertEquals("ok", store.get(j.id()).orElseThrow().lastResult());
    }

    @Test
    void aRunInterruptedByAStopIsNotRepeatedAndShowsAsFailed() {
        Job j = job("05:00", List.of(), 10);
        // the claim is on disk, the process died before the write finished
        assertTrue(store.claimRun(j.id(), berlin("2026-12-01T05:00")));
        JobRunner restarted = new JobRunner(store, manager, BERLIN);
        restarted.recoverInterruptedRuns();
        run(restarted, berlin("2026-12-01T05:01"), berlin("2026-12-01T05:09"), Duration.ofSeconds(20));
        assertEquals(0, manager.writes.size());
        Job after = store.get(j.id()).orElseThrow();
        assertEquals("failed", after.lastResult());
        assertTrue(after.lastReason().startsWith("interrupted"));
    }

    @Test
    void writeSwitchOffRecordsSkippedAndABadValueRecordsRejected() {
        Job off = job("06:00", List.of(), 0);
        Job bad = store.save(new Job(null, HP, "setpoint_dhw", "99", "06:00", List.of(), true, null));
        manager.writeEnabled = false;
        JobRunner runner = new JobRunner(store, manager, BERLIN);
        runner.tick(berlin("2026-12-01T06:00:02"));
        assertEquals("skipped", store.get(off.id()).orElseThrow().lastResult());
        assertEquals("writes are disabled", store.get(off.id()).orElseThrow().lastReason());
        manager.writeEnabled = true;
        runner.tick(berlin("2026-12-02T06:00:02"));
        assertEquals("ok", store.get(off.id()).orElseThrow().lastResult());
        assertEquals("rejected", store.get(bad.id()).orElseThrow().lastResult());
        assertTrue(store.get(bad.id()).orElseThrow().lastReason().contains("outside"));
    }

    @Test
    void runNowWritesAtOnceAndTheScheduledRunOfThatMinuteDoesNotRepeatIt() {
        Job j = job("10:00", List.of(), 0);
        JobRunner runner = new JobRunner(store, manager, BERLIN);
        RunOutcome now = runner.runNow(j, berlin("2026-12-01T10:00:10"));
        assertEquals("ok", now.result());
        run(runner, berlin("2026-12-01T10:00:20"), berlin("2026-12-01T10:02"), Duration.ofSeconds(20));
        assertEquals(1, manager.accepted().size());
    }

    @Test
    void editingAJobKeepsItsRunRecord() {
        Job j = job("05:00", List.of(), 0);
        new JobRunner(store, manager, BERLIN).tick(berlin("2026-12-01T05:00:01"));
        Job edited = store.save(new Job(j.id(), HP, "setpoint_dhw", "50", "05:00", List.of(), true, null, 0,
                null, null));
        assertEquals(berlin("2026-12-01T05:00"), edited.lastRun());
        assertEquals("ok", edited.lastResult());
    }

    @Test
    void nextRunFollowsTheCalendar() {
        Job j = job("02:30", List.of("sun"), 0);
        JobRunner runner = new JobRunner(store, manager, BERLIN);
        assertEquals(Instant.parse("2026-03-29T01:00:00Z"), runner.nextRun(j, berlin("2026-03-27T12:00")).orElseThrow());
        Job disabled = store.save(new Job(j.id(), HP, "setpoint_dhw", "48", "02:30", List.of("sun"), false, null));
        assertTrue(runner.nextRun(disabled, berlin("2026-03-27T12:00")).isEmpty());
    }
}
