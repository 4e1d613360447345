package gateway.ml.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class HalfSpaceTreesTest {

    static double[] near(Random rnd, double centre, int d) {
        double[] x = new double[d];
        for (int i = 0; i < d; i++) {
            x[i] = Math.max(0, Math.min(1, centre + 0.03 * rnd.nextGaussian()));
        }
        return x;
    }

    @Test
    void everyNodesReferenceMassIsTheSumOfItsChildrenAndTheRootHoldsTheWindow() {
        HalfSpaceTrees hst = new HalfSpaceTrees(3, 5, 6, 50, 1);
        Random rnd = new Random(3);
        for (int i = 0; i < 50; i++) {
            double[] x = {rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble()};
            hst.scoreAndLearn(x);
        }
        for (int t = 0; t < 5; t++) {
            assertEquals(50, hst.referenceMass(t, 1), "root of tree " + t);
            for (int node = 1; node < (1 << 6); node++) {
                assertEquals(hst.referenceMass(t, node),
                        hst.referenceMass(t, 2 * node) + hst.referenceMass(t, 2 * node + 1), "node " + node);
            }
            int leaves = 0;
            for (int node = 1 << 6; node < 1 << 7; node++) {
                leaves += hst.referenceMass(t, node);
            }
            assertEquals(50, leaves, "every sample ends in exactly one leaf");
        }
    }

    @Test
    void latestWindowBecomesTheReferenceAtTheSwap() {
        HalfSpaceTrees hst = new HalfSpaceTrees(2, 3, 5, 10, 9);
        for (int i = 0; i < 9; i++) {
            assertEquals(0.0, hst.scoreAndLearn(new double[] {0.2, 0.2}), "no reference yet");
        }
        assertFalse(hst.ready());
        assertEquals(0, hst.referenceMass(0, 1));
        assertEquals(9, hst.latestMass(0, 1));
        hst.scoreAndLearn(new double[] {0.2, 0.2});
        assertTrue(hst.ready());
        assertEquals(10, hst.referenceMass(0, 1));
        assertEquals(0, hst.latestMass(0, 1), "the latest window starts empty");
        // the next window holds other data: after its swap the old reference is gone
        for (int i = 0; i < 10; i++) {
            hst.scoreAndLearn(new double[] {0.9, 0.9});
        }
        assertEquals(2, hst.windowsCompleted());
        assertEquals(10, hst.referenceMass(0, 1));
        assertEquals(hst.score(new double[] {0.9, 0.9}) < hst.score(new double[] {0.2, 0.2}), true,
                "the reference now describes the second window");
    }

    @Test
    void scoresStayWithinZeroAndOne() {
        HalfSpaceTrees hst = new HalfSpaceTrees(4, 25, 15, 250, 42);
        Random rnd = new Random(5);
        for (int i = 0; i < 2000; i++) {
            double[] x = i % 97 == 0 ? new double[] {rnd.nextDouble(), 1, 0, rnd.nextDouble()} : near(rnd, 0.5, 4);
            double s = hst.scoreAndLearn(x);
            assertTrue(s >= 0 && s <= 1, "score " + s + " at " + i);
        }
    }

    @Test
    void pointFarFromTheReferenceScoresHighAndATypicalOneLow() {
        HalfSpaceTrees hst = new HalfSpaceTrees(4, 25, 15, 250, 42);
        Random rnd = new Random(11);
        for (int i = 0; i < 500; i++) {
            hst.scoreAndLearn(near(rnd, 0.5, 4));
        }
        double typical = hst.score(near(rnd, 0.5, 4));
        double far = hst.score(new double[] {0.95, 0.05, 0.95, 0.05});
        assertTrue(typical < 0.3, "typical " + typical);
        assertTrue(far > 0.7, "far " + far);
    }

    @Test
    void sameSeedGivesSameScoresAndAnotherSeedOtherTrees() {
        double[] a = run(42);
        assertArrayEquals(a, run(42));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(run(43)));
    }

    private static double[] run(long seed) {
        HalfSpaceTrees hst = new HalfSpaceTrees(3, 10, 8, 50, seed);
        Random rnd = new Random(1);
        double[] scores = new double[300];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = hst.scoreAndLearn(near(rnd, i % 50 == 0 ? 0.9 : 0.4, 3));
        }
        return scores;
    }

    @Test
    void storesOnlyNodesWithMassNotTheCompleteTrees() {
        HalfSpaceTrees hst = new HalfSpaceTrees(5, 25, 15, 250, 42);
        Random rnd = new Random(2);
        for (int i = 0; i < 1000; i++) {
            hst.scoreAndLearn(near(rnd, 0.5, 5));
        }
        int bound = 2 * 250 * 16 * 25;
        assertTrue(hst.storedNodes() <= bound, "nodes " + hst.storedNodes());
        assertTrue(hst.storedNodes() < 25 * ((1 << 16) - 1) / 10, "far below the complete trees");
    }
}
