package gateway.core.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShortCyclingTripTest {

    /** Steps a compressor that always wants to run; returns the on/off pattern, one char per 60 s step. */
    private static String pattern(ShortCyclingTrip trip, boolean faulty, double from, int steps, boolean running) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < steps; i++) {
            running = trip.runs(true, running, faulty, from + 60 * i);
            out.append(running ? '#' : '.');
        }
        return out.toString();
    }

    @Test
    void healthyCompressorRunsAsLongAsItIsWanted() {
        assertEquals("##########", pattern(ShortCyclingTrip.timedWhileFaulty(), false, 0, 10, false));
        assertFalse(ShortCyclingTrip.timedAlways().runs(false, true, true, 0), "not wanted: off, fault or not");
    }

    @Test
    void faultyCompressorRunsFourMinutesThenStaysOffFour() {
        assertEquals("####....####....", pattern(ShortCyclingTrip.timedWhileFaulty(), true, 0, 16, false));
    }

    @Test
    void aFaultInjectedMidRunTripsAtOnceOrWhenTheRunReachesFourMinutes() {
        ShortCyclingTrip whileFaulty = ShortCyclingTrip.timedWhileFaulty();
        ShortCyclingTrip always = ShortCyclingTrip.timedAlways();
        for (int i = 0; i < 2; i++) { // a healthy run started at 600 s and lasted two minutes
            whileFaulty.runs(true, i > 0, false, 600 + 60 * i);
            always.runs(true, i > 0, false, 600 + 60 * i);
        }
        assertFalse(whileFaulty.runs(true, true, true, 720), "untimed run: trips at the first faulty step");
        assertTrue(always.runs(true, true, true, 720));
        assertTrue(always.runs(true, true, true, 780));
        assertFalse(always.runs(true, true, true, 840), "the healthy start counts: four minutes at 840 s");
    }
}
