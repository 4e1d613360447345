package gateway.ml.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunningScalerTest {

    /** 19, 21, 19, 21 ...: mean 20, (population) standard deviation exactly 1. */
    static RunningScaler normal(int n) {
        RunningScaler s = new RunningScaler(1);
        for (int i = 0; i < n; i++) {
            s.learn(new double[] {i % 2 == 0 ? 19 : 21});
        }
        return s;
    }

    static double scaled(RunningScaler s, double v) {
        double[] out = new double[1];
        s.scale(new double[] {v}, out);
        return out[0];
    }

    @Test
    void foldsDeviationsOnEitherSideTowardsOneAndTheUsualToZero() {
        RunningScaler s = normal(200);
        assertEquals(20, s.mean(0), 1e-9);
        assertEquals(1, s.std(0), 1e-9);
        assertEquals(0, scaled(s, 20), 1e-9);
        assertEquals(0.375, scaled(s, 23), 1e-9, "3 sigma of 8");
        assertEquals(0.375, scaled(s, 17), 1e-9, "the other side maps to the same place");
        assertEquals(1, scaled(s, 30), 1e-9, "10 sigma: clamped");
        assertEquals(1, scaled(s, -100), 1e-9);
        assertEquals(0, scaled(s, Double.NaN), 1e-9, "missing is as usual");
    }

    @Test
    void hoursOfAFaultBarelyWidenTheSpreadLaterFaultsAreMeasuredAgainst() {
        RunningScaler s = normal(500);
        for (int i = 0; i < 100; i++) {
            s.learn(new double[] {60}); // without clipping: std ≈ 15
        }
        assertTrue(s.std(0) < 5, "std " + s.std(0));
        assertTrue(scaled(s, 60) > 0.7, "the fault still stands out");
    }
}
