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
}
