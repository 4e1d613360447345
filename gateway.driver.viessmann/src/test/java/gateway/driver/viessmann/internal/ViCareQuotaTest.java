package gateway.driver.viessmann.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import gateway.core.api.DeviceConfig;
import gateway.core.api.DeviceRateLimitedException;
import gateway.core.api.DeviceSession;
import gateway.core.api.SensorDefinition;
import gateway.core.testing.ManualClock;

/**
 * The quota of one account under simulated time: many devices on one client id, polled as often as the gateway
 * allows, against the fake API that enforces Viessmann's windows itself (1,450 a day, 120 in 10 minutes).
 */
class ViCareQuotaTest {

    private static final Instant START = Instant.parse("2026-12-06T00:00:00Z");

    @Test
    void sixDevicesOnOneAccountStayWithinBothWindowsForAWholeDayAndTakeTurns() throws Exception {
        ManualClock clock = new ManualClock(START);
        ViCareDriver driver = new ViCareDriver(clock);
        int devices = 6;
        try (ViCareSimulator sim = ViCareSimulator.start(0, clock)) {
            List<SensorDefinition> sensors = driver.sensors(DeviceConfig.empty()).stream()
                    .filter(SensorDefinition::readable).toList();
            List<DeviceSession> sessions = new ArrayList<>();
            Instant[] due = new Instant[devices];
            int[] polls = new int[devices];
            for (int i = 0; i < devices; i++) {
                // one account, several devices: same client id and refresh token
                sessions.add(driver.open(ViCareTestSupport.connection(sim), DeviceConfig.empty()));
                due[i] = START;
            }
            List<Instant> callTimes = new ArrayList<>();
            int interval = driver.minPollIntervalSeconds();
            Instant end = START.plus(Duration.ofHours(26));
            int rateLimitedFromServer = 0;
            while (true) {
                int next = 0;
                for (int i = 1; i < devices; i++) {
                    if (due[i].isBefore(due[next])) {
                        next = i;
                    }
                }
                if (due[next].isAfter(end)) {
                    break;
                }
                clock.set(due[next]);
                long before = sim.requestCount();
                try {
                    sessions.get(next).read(sensors);
                    polls[next]++;
                    due[next] = clock.instant().plusSeconds(interval);
                } catch (DeviceRateLimitedException e) {
                    if (!(e instanceof ViCareClient.QuotaDenied)) {
                        rateLimitedFromServer++;
                    }
                    // as the manager does: try again at the reset time, at least 1 s later
                    Instant retry = e.retryAt();
                    due[next] = retry.isAfter(clock.instant()) ? retry : clock.instant().plusSeconds(1);
                }
                for (long c = before; c < sim.requestCount(); c++) {
                    callTimes.add(clock.instant());
                }
            }
            assertEquals(0, rateLimitedFromServer, "the API never had to answer 429");
            int maxDay = maxInWindow(callTimes, Duration.ofHours(24));
            int maxTenMinutes = maxInWindow(callTimes, Duration.ofMinutes(10));
            assertTrue(maxDay <= ViCareQuota.DAILY_LIMIT - ViCareQuota.DAILY_RESERVE,
                    "at most 1,400 polls in any 24 h, was " + maxDay);
            assertTrue(maxDay >= 1350, "the allowance is used, not wasted: " + maxDay);
            assertTrue(maxTenMinutes <= ViCareQuota.TEN_MINUTE_LIMIT, "10-minute window: " + maxTenMinutes);
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int p : polls) {
                min = Math.min(min, p);
                max = Math.max(max, p);
            }
            assertTrue(max - min <= 2, "devices take turns: polls per device " + java.util.Arrays.toString(polls));
            sessions.forEach(DeviceSession::close);
        }
    }

    @Test
    void oneDeviceAtTheMinimumIntervalIsNeverRefused() {
        ManualClock clock = new ManualClock(START);
        ViCareQuota quota = new ViCareQuota(clock);
        Object device = new Object();
        for (int i = 0; i < 3 * 1400; i++) {
            assertNull(quota.acquire(device, false), "poll " + i + " at " + clock.instant());
            clock.advance(Duration.ofSeconds(ViCareQuota.minPollIntervalSeconds()));
        }
    }

    @Test
    void writesUseTheReserveAndAre429sBlockEverything() {
        ManualClock clock = new ManualClock(START);
        ViCareQuota quota = new ViCareQuota(clock);
        Object a = new Object();
        Object b = new Object();
        assertNull(quota.acquire(a, false));
        assertNull(quota.acquire(a, true), "a write right after a poll is not paced");
        assertNull(quota.acquire(a, true), "nor its read-back");
        Instant reset = START.plus(Duration.ofHours(3));
        quota.blockUntil(reset, "ViCare day limit");
        ViCareQuota.Denial d = quota.acquire(b, true);
        assertNotNull(d);
        assertEquals(reset, d.retryAt());
        clock.set(reset);
        assertNull(quota.acquire(b, true), "allowed again at the reset time");
    }

    @Test
    void tenMinuteWindowHoldsEvenForWrites() {
        ManualClock clock = new ManualClock(START);
        ViCareQuota quota = new ViCareQuota(clock);
        Object a = new Object();
        for (int i = 0; i < ViCareQuota.TEN_MINUTE_LIMIT; i++) {
            assertNull(quota.acquire(a, true));
            clock.advance(Duration.ofSeconds(1));
        }
        ViCareQuota.Denial d = quota.acquire(a, true);
        assertNotNull(d);
        assertEquals(START.plus(Duration.ofMinutes(10)), d.retryAt());
        assertFalse(d.reason().isEmpty());
    }

    private static int maxInWindow(List<Instant> times, Duration window) {
        int best = 0;
        int lo = 0;
        for (int hi = 0; hi < times.size(); hi++) {
            while (!times.get(lo).isAfter(times.get(hi).minus(window))) {
                lo++;
            }
            best = Math.max(best, hi - lo + 1);
        }
        return best;
    }
}
