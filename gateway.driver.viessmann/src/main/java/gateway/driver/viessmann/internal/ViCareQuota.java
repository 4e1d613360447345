package gateway.driver.viessmann.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The API quota of one ViCare account (one client id): every call of every device on it, polls and writes alike,
 * passes here first. Viessmann counts in sliding windows (community statement 2020): the basic tier allows
 * {@value #DAILY_LIMIT} calls in 24 h and {@value #TEN_MINUTE_LIMIT} in 10 min, and a 429 blocks until its
 * {@code limitReset}. Error responses count too (HA#129893), so a refused call is counted like any other.
 *
 * <p>Calls are paced, not just capped: the account may make one call every {@link #pace()} on average (the daily
 * allowance minus a reserve for writes, spread over the day), with a small burst for writes and their read-back. A
 * poll that would exceed that is refused here with the time the next call is allowed, so any number of devices on
 * one account stays inside both windows without relying on their poll intervals.
 */
final class ViCareQuota {

    /** Basic tier, fact sheet §7 (1,450/24 h; 3,000 seen for portal clients in 2026: we assume the lower). */
    static final int DAILY_LIMIT = 1450;
    static final int TEN_MINUTE_LIMIT = 120;
    /** Calls per day kept back for writes (a command and its read-back) and the token-free listing calls. */
    static final int DAILY_RESERVE = 50;
    /** Calls that may go out back to back before pacing applies (a write and its read-back right after a poll). */
    static final int BURST = 4;
    static final Duration DAY = Duration.ofHours(24);
    static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    /** API calls one poll of one device costs: the device's whole feature list in one GET. */
    static final int CALLS_PER_POLL = 1;

    private final Clock clock;
    private final int dailyLimit;
    private final int tenMinuteLimit;
    /** Times of the calls inside the last 24 h, oldest first. Guarded by this. */
    private final Deque<Instant> calls = new ArrayDeque<>();
    private Instant blockedUntil;
    private String blockReason;
    /** Theoretical arrival time of the next paced poll. Guarded by this. */
    private Instant arrival;
    /** Slots booked by refused polls. Guarded by this. */
    private final Map<Object, Instant> reservations = new HashMap<>();

    ViCareQuota(Clock clock) {
        this(clock, DAILY_LIMIT, TEN_MINUTE_LIMIT);
    }

    ViCareQuota(Clock clock, int dailyLimit, int tenMinuteLimit) {
        this.clock = clock;
        this.dailyLimit = dailyLimit;
        this.tenMinuteLimit = tenMinuteLimit;
        this.arrival = clock.instant();
    }

    /** Average spacing of polls on one account: 24 h over the daily allowance less the reserve and the burst. */
    Duration pace() {
        // less the burst too, so that pacing alone keeps any 24 h window within the allowance
        return DAY.dividedBy(dailyLimit - DAILY_RESERVE - BURST);
    }

    /**
     * The smallest poll interval one device may have so that its polls alone stay within both windows: 24 h /
     * (1,450 − 50) = 61.7 s → 62 s; the 10-minute window allows one every 5 s, so the day decides.
     */
    static int minPollIntervalSeconds() {
        long byDay = (long) Math.ceil(DAY.toSeconds() * (double) CALLS_PER_POLL / (DAILY_LIMIT - DAILY_RESERVE));
        long byTenMinutes = (long) Math.ceil(TEN_MINUTES.toSeconds() * (double) CALLS_PER_POLL
                / (TEN_MINUTE_LIMIT - BURST));
        return (int) Math.max(byDay, byTenMinutes);
    }

    /**
     * Takes one call from the quota.
     *
     * @param caller the session asking (a refused poll books it the next free slot, so devices take turns)
     * @param write  writes and their read-back may use the reserve and are not paced; polls are
     * @return null when the call may go out now, else when it may (the caller reports rate limited until then)
     */
    synchronized Denial acquire(Object caller, boolean write) {
        Instant now = clock.instant();
        if (blockedUntil != null) {
            if (now.isBefore(blockedUntil)) {
                return new Denial(blockedUntil, blockReason);
            }
            blockedUntil = null;
            blockReason = null;
        }
        while (!calls.isEmpty() && !calls.peekFirst().isAfter(now.minus(DAY))) {
            calls.removeFirst();
        }
        int dailyAllowance = write ? dailyLimit : dailyLimit - DAILY_RESERVE;
        if (calls.size() >= dailyAllowance) {
            Instant at = nthOldestPlus(calls.size() - dailyAllowance, DAY);
            return new Denial(at, "daily quota of " + dailyLimit + " calls used (" + calls.size() + " in 24 h)");
        }
        long inTenMinutes = calls.stream().filter(t -> t.isAfter(now.minus(TEN_MINUTES))).count();
        if (inTenMinutes >= tenMinuteLimit) {
            Instant oldest = calls.stream().filter(t -> t.isAfter(now.minus(TEN_MINUTES))).findFirst().orElse(now);
            return new Denial(oldest.plus(TEN_MINUTES), "10-minute quota of " + tenMinuteLimit + " calls used");
        }
        if (!write && !pacedPollAllowed(caller, now)) {
            return new Denial(reservations.get(caller), "calls on this account are paced to one every "
                    + pace().toSeconds() + " s to stay within " + dailyLimit + " a day; polls take turns");
        }
        calls.addLast(now);
        return null;
    }

    /**
     * Pacing as a generic cell rate algorithm: a poll may go out when the theoretical arrival time, less the burst
     * tolerance, has come. A refused caller books the next slot (and moves the arrival time on), so with more
     * devices than the pace allows each gets its turn instead of the first in line taking every slot.
     */
    private boolean pacedPollAllowed(Object caller, Instant now) {
        Instant booked = reservations.get(caller);
        if (booked != null) {
            if (now.isBefore(booked)) {
                return false;
            }
            reservations.remove(caller);
            return true;
        }
        // a slot nobody came back for (a device removed meanwhile) must not hold the others up
        reservations.values().removeIf(t -> t.isBefore(now.minus(TEN_MINUTES)));
        Duration tolerance = pace().multipliedBy(BURST - 1);
        Instant earliest = arrival.minus(tolerance);
        if (!now.isBefore(earliest) && reservations.isEmpty()) {
            arrival = (arrival.isAfter(now) ? arrival : now).plus(pace());
            return true;
        }
        // queue behind whoever booked before: no earlier than the arrival time allows, one pace after the last slot
        Instant slot = now.isBefore(earliest) ? earliest : now;
        for (Instant t : reservations.values()) {
            if (t.plus(pace()).isAfter(slot)) {
                slot = t.plus(pace());
            }
        }
        reservations.put(caller, slot);
        arrival = (arrival.isAfter(slot) ? arrival : slot).plus(pace());
        return false;
    }

    /** A session that ends gives its booked slot back (the slot itself stays used: simpler, and safe). */
    synchronized void release(Object caller) {
        reservations.remove(caller);
    }

    private Instant nthOldestPlus(int n, Duration d) {
        int i = 0;
        for (Instant t : calls) {
            if (i++ == n) {
                return t.plus(d);
            }
        }
        return clock.instant().plus(d);
    }

    /** A 429: nothing goes out on this account before {@code reset}. */
    synchronized void blockUntil(Instant reset, String reason) {
        if (blockedUntil == null || reset.isAfter(blockedUntil)) {
            blockedUntil = reset;
            blockReason = reason;
        }
    }

    synchronized int callsInLastDay() {
        Instant now = clock.instant();
        return (int) calls.stream().filter(t -> t.isAfter(now.minus(DAY))).count();
    }

    /** Why and until when a call was not allowed. */
    record Denial(Instant retryAt, String reason) {
    }
}
