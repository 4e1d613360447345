package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The delay schedule of {@link LoginThrottle}, in simulated time. */
class LoginThrottleTest {

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    final MovableClock clock = new MovableClock();
    final LoginThrottle throttle = new LoginThrottle(clock, 5);

    @Test
    void fiveFreeFailuresThenADelayThatDoublesUpToFifteenMinutes() {
        for (int i = 0; i < 5; i++) {
            assertEquals(0, throttle.retryAfterSeconds("admin", "10.0.0.9", "guess"));
            throttle.failed("admin", "10.0.0.9");
        }
        long[] expected = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900};
        for (long seconds : expected) {
            assertEquals(seconds, throttle.retryAfterSeconds("admin", "10.0.0.9", "guess"));
            clock.advance(Duration.ofSeconds(seconds));
            assertEquals(0, throttle.retryAfterSeconds("admin", "10.0.0.9", "guess"));
            throttle.failed("admin", "10.0.0.9");
        }
        // a guesser gets about four tries an hour once the delay has grown
        assertEquals(900, throttle.retryAfterSeconds("Admin", "10.0.0.9", "guess"), "names compare without case");
    }

    @Test
    void anotherAddressOrAnotherUserIsNotHeld() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("admin", "10.0.0.9");
        }
        assertTrue(throttle.retryAfterSeconds("admin", "10.0.0.9", "d") > 0);
        assertEquals(0, throttle.retryAfterSeconds("admin", "192.168.1.5", "d"));
        assertEquals(0, throttle.retryAfterSeconds("viewer", "10.0.0.9", "d"));
    }

    @Test
    void aCredentialThatSucceededBeforePassesWhileThePairIsHeld() {
        throttle.succeeded("admin", "10.0.0.9", "right");
        for (int i = 0; i < 10; i++) {
            throttle.failed("admin", "10.0.0.9");
        }
        assertEquals(0, throttle.retryAfterSeconds("admin", "10.0.0.9", "right"));
        assertTrue(throttle.retryAfterSeconds("admin", "10.0.0.9", "wrong") > 0);
        throttle.succeeded("admin", "10.0.0.9", "right");
        assertTrue(throttle.retryAfterSeconds("admin", "10.0.0.9", "wrong") > 0, "held pairs stay held");
    }

    @Test
    void aScriptsSuccessesDoNotGiveTheGuesserFreshTries() {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 2; i++) {
                throttle.failed("admin", "10.0.0.9");
            }
            throttle.succeeded("admin", "10.0.0.9", "script");
        }
        assertTrue(throttle.retryAfterSeconds("admin", "10.0.0.9", "guess") > 0, "six failures, held");
        assertEquals(0, throttle.retryAfterSeconds("admin", "10.0.0.9", "script"));
    }

    @Test
    void failuresAreForgottenADayAfterTheLast() {
        for (int i = 0; i < 8; i++) {
            throttle.failed("admin", "10.0.0.9");
        }
        clock.advance(LoginThrottle.FORGET_AFTER);
        assertEquals(0, throttle.retryAfterSeconds("admin", "10.0.0.9", "guess"));
        throttle.failed("admin", "10.0.0.9");
        assertEquals(0, throttle.retryAfterSeconds("admin", "10.0.0.9", "guess"), "counting starts again");
    }

    @Test
    void aFloodOfMadeUpNamesStaysBounded() {
        for (int i = 0; i < LoginThrottle.MAX_PAIRS + 500; i++) {
            throttle.failed("user" + i, "10.0.0." + (i % 250));
        }
        assertTrue(throttle.size() <= LoginThrottle.MAX_PAIRS, "pairs: " + throttle.size());
    }
}
