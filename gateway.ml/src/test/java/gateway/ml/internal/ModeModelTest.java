package gateway.ml.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class ModeModelTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** Window 10, warm-up 30 samples, 3 hits, 1 h cooldown, threshold 0.7. */
    static ModeModel model() {
        return new ModeModel(List.of("a", "b"),
                new DetectorSettings(5, 6, 10, 1, 0.7, 1.0, 30, 3, Duration.ofHours(1)));
    }

    static void feed(ModeModel m, int n) {
        for (int i = 0; i < n; i++) {
            m.process(new double[] {20 + (i % 5) * 0.1, 40}, T0);
        }
    }

    @Test
    void highScoresDuringWarmUpAreNoHits() {
        ModeModel m = model();
        feed(m, 29);
        for (int i = 0; i < 5; i++) {
            ModeModel.Result r = m.gate(0.99, T0.plusSeconds(i));
            assertFalse(r.warm());
            assertFalse(r.hit());
            assertFalse(r.alarm());
        }
        feed(m, 1);
        assertTrue(m.gate(0.99, T0).hit(), "warm after 30 samples");
    }

    @Test
    void threeHitsInARowRaiseOneAlarmAndAMissStartsCountingAgain() {
        ModeModel m = model();
        feed(m, 30);
        assertFalse(m.gate(0.9, T0).alarm());
        assertFalse(m.gate(0.9, T0.plusSeconds(30)).alarm());
        assertFalse(m.gate(0.5, T0.plusSeconds(60)).hit(), "below the threshold");
        assertFalse(m.gate(0.9, T0.plusSeconds(90)).alarm());
        assertFalse(m.gate(0.9, T0.plusSeconds(120)).alarm());
        ModeModel.Result third = m.gate(0.7, T0.plusSeconds(150));
        assertTrue(third.alarm(), "the threshold itself is a hit");
        assertEquals(T0.plusSeconds(150), m.lastAlarm());
    }

    @Test
    void cooldownSuppressesAlarmsOfTheSameModeForAnHour() {
        ModeModel m = model();
        feed(m, 30);
        Instant t = T0;
        int alarms = 0;
        // hits every 30 s for 2 h 10 min: alarms at 1 min, then not before 1 h later, then again 1 h after that
        for (int i = 0; i < 260; i++) {
            if (m.gate(0.95, t).alarm()) {
                alarms++;
            }
            t = t.plusSeconds(30);
        }
        assertEquals(3, alarms);
        assertEquals(T0.plusSeconds(60).plus(Duration.ofHours(2)), m.lastAlarm());
    }

    @Test
    void sensitivityMovesTheThreshold() {
        DetectorSettings d = DetectorSettings.DEFAULTS;
        assertEquals(0.7, d.effectiveThreshold(), 1e-12);
        DetectorSettings more = new DetectorSettings(25, 15, 250, 42, 0.7, 2.0, 120, 3, Duration.ofHours(1));
        DetectorSettings less = new DetectorSettings(25, 15, 250, 42, 0.7, 0.5, 120, 3, Duration.ofHours(1));
        assertEquals(0.4, more.effectiveThreshold(), 1e-12);
        assertEquals(0.85, less.effectiveThreshold(), 1e-12);
    }

    @Test
    void contributionsNameTheFeatureFurthestFromItsMeanFirst() {
        ModeModel m = model();
        feed(m, 40);
        var top = m.contributions(new double[] {20.2, 80}, 1);
        assertEquals("b", top.get(0).feature());
        assertEquals(40, top.get(0).mean(), 1e-9);
        assertTrue(top.get(0).z() > 3);
    }

    @Test
    void learnsAtMostOneSamplePerLearningIntervalButScoresEverySample() {
        ModeModel m = new ModeModel(List.of("a", "b"),
                new DetectorSettings(5, 6, 10, 1, 0.7, 1.0, 30, 3, Duration.ofHours(1), 0, Duration.ofMinutes(5)));
        Instant t = T0;
        for (int i = 0; i < 60; i++) { // 30 min of 30 s polls: learned at 0, 5, 10 ... 25 min
            m.process(new double[] {20 + (i % 5) * 0.1, 40}, t);
            t = t.plusSeconds(30);
        }
        assertEquals(60, m.samples());
        assertEquals(6, m.trees().latestMass(0, 1), "root mass of the window being filled");
        assertFalse(m.trees().ready(), "the first window needs 10 learned samples");
    }

    /** Window 100, learning interval 5 min, reference span 48 h (trees 5, height 6, warm-up 30, 3 hits, 1 h). */
    static final DetectorSettings SPAN = new DetectorSettings(5, 6, 100, 1, 0.7, 1.0, 30, 3, Duration.ofHours(1), 0,
            Duration.ofMinutes(5), Duration.ofHours(48));

    static double[] normal(int i) {
        return new double[] {20 + (i % 5) * 0.1, 40 + (i % 3) * 0.2};
    }

    /** Feeds one 30 s poll per sample: {@code minutes} of each day from midnight, for {@code days} days. */
    static Instant feedDays(ModeModel m, int days, int minutes) {
        for (int d = 0; d < days; d++) {
            for (int i = 0; i < minutes * 2; i++) {
                m.process(normal(i), T0.plus(Duration.ofDays(d)).plusSeconds(30L * i));
            }
        }
        return T0.plus(Duration.ofDays(days));
    }

    /** Samples the trees have learned so far (first window 30, then windows of 100). */
    static long treeSamples(ModeModel m) {
        long w = m.trees().windowsCompleted();
        return (w == 0 ? 0 : 30 + (w - 1) * 100) + m.trees().latestMass(0, 1);
    }

    @Test
    void aModeUsedAnHourADayLearnsSoItsWindowSpansTheReferenceSpan() {
        ModeModel rare = new ModeModel(List.of("a", "b"), SPAN);
        ModeModel always = new ModeModel(List.of("a", "b"), SPAN);
        feedDays(rare, 8, 60);
        feedDays(always, 8, 24 * 60);
        // an hour a day is a share of 1/24: 1/24 × 48 h / 100 samples = 72 s between learned samples
        assertEquals(1 / 24.0, rare.share(), 0.003);
        assertEquals(72_000, rare.learnIntervalMillis(), 6_000);
        assertEquals(1.0, always.share(), 1e-9);
        assertEquals(300_000, always.learnIntervalMillis(), "a frequent mode keeps the configured interval");
        ModeModel plain = new ModeModel(List.of("a", "b"), SPAN.withReferenceSpan(Duration.ZERO));
        feedDays(plain, 8, 60);
        assertEquals(300_000, plain.learnIntervalMillis(), "no reference span: the configured interval");
        ModeModel minutes = new ModeModel(List.of("a", "b"), SPAN);
        feedDays(minutes, 8, 10);
        assertEquals(60_000, minutes.learnIntervalMillis(), "10 min a day would give 12 s: floored at 60 s");
    }

    @Test
    void aRareModesTreesLearnNothingDuringAnAlarmEpisodeButAFrequentModesDo() {
        ModeModel rare = new ModeModel(List.of("a", "b"), SPAN);
        ModeModel always = new ModeModel(List.of("a", "b"), SPAN);
        Instant day7 = feedDays(rare, 6, 60);
        feedDays(always, 6, 24 * 60);
        assertTrue(rare.warm() && always.warm());
        long rareAtAlarm = -1;
        long alwaysAtAlarm = -1;
        for (int i = 0; i < 120; i++) { // an hour far off the reference: a faulty run
            Instant t = day7.plusSeconds(30L * i);
            if (rare.process(new double[] {30, 50}, t).alarm()) {
                rareAtAlarm = treeSamples(rare);
            }
            if (always.process(new double[] {30, 50}, t).alarm()) {
                alwaysAtAlarm = treeSamples(always);
            }
        }
        assertTrue(rareAtAlarm >= 0 && alwaysAtAlarm >= 0, "both raise an alarm");
        assertTrue(rare.learnIntervalMillis() < 300_000, "still a rare mode");
        assertTrue(rare.inEpisode());
        assertEquals(rareAtAlarm, treeSamples(rare), "the rare mode's trees skip the episode");
        assertTrue(treeSamples(always) > alwaysAtAlarm + 5, "the frequent mode learns through it (as before)");
        // the episode ends once the cooldown has passed and a sample is no hit; then the trees learn again
        Instant later = day7.plus(Duration.ofDays(1));
        for (int i = 0; i < 60; i++) {
            rare.process(normal(i), later.plusSeconds(30L * i));
        }
        assertFalse(rare.inEpisode());
        assertTrue(treeSamples(rare) > rareAtAlarm);
    }
}
