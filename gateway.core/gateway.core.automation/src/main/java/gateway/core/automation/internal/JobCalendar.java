package gateway.core.automation.internal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When a job is due: a local time of day on some weekdays in one zone, turned into instants.
 *
 * <p>Weekdays are parsed from fixed names, never from the JVM's locale (the original compared {@code %a}, which
 * changes with the locale). A local time that does not exist (the spring-forward gap) is due at the end of the gap,
 * so a 02:30 job runs at 03:00; a local time that exists twice (fall-back) is due at its first occurrence only.
 */
record JobCalendar(LocalTime time, Set<DayOfWeek> days, ZoneId zone) {

    private static final Map<String, DayOfWeek> DAY_NAMES = Map.ofEntries(
            Map.entry("mon", DayOfWeek.MONDAY), Map.entry("tue", DayOfWeek.TUESDAY),
            Map.entry("wed", DayOfWeek.WEDNESDAY), Map.entry("thu", DayOfWeek.THURSDAY),
            Map.entry("fri", DayOfWeek.FRIDAY), Map.entry("sat", DayOfWeek.SATURDAY),
            Map.entry("sun", DayOfWeek.SUNDAY),
            Map.entry("monday", DayOfWeek.MONDAY), Map.entry("tuesday", DayOfWeek.TUESDAY),
            Map.entry("wednesday", DayOfWeek.WEDNESDAY), Map.entry("thursday", DayOfWeek.THURSDAY),
            Map.entry("friday", DayOfWeek.FRIDAY), Map.entry("saturday", DayOfWeek.SATURDAY),
            Map.entry("sunday", DayOfWeek.SUNDAY),
            // rows imported from an original running with a German locale (%a gave "Mo", "Di", ...)
            Map.entry("mo", DayOfWeek.MONDAY), Map.entry("di", DayOfWeek.TUESDAY),
            Map.entry("mi", DayOfWeek.WEDNESDAY), Map.entry("do", DayOfWeek.THURSDAY),
            Map.entry("fr", DayOfWeek.FRIDAY), Map.entry("sa", DayOfWeek.SATURDAY),
            Map.entry("so", DayOfWeek.SUNDAY));

    /** A week and a day: the furthest an occurrence can be from any instant. */
    private static final int SEARCH_DAYS = 8;

    JobCalendar {
        days = days.isEmpty() ? EnumSet.allOf(DayOfWeek.class) : EnumSet.copyOf(days);
    }

    /** The calendar of a stored job; empty when its time or a day cannot be read. */
    static Optional<JobCalendar> of(String time, List<String> days, ZoneId zone) {
        LocalTime t = parseTime(time);
        if (t == null) {
            return Optional.empty();
        }
        Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
        for (String d : days) {
            DayOfWeek day = d == null ? null : DAY_NAMES.get(d.trim().toLowerCase(Locale.ROOT).replace(".", ""));
            if (day == null) {
                return Optional.empty();
            }
            set.add(day);
        }
        return Optional.of(new JobCalendar(t, set, zone));
    }

    static LocalTime parseTime(String text) {
        if (text == null || !text.trim().matches("([01]?[0-9]|2[0-3]):[0-5][0-9]")) {
            return null;
        }
        String[] parts = text.trim().split(":");
        return LocalTime.of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    /** The instant the job is due on that local date (whether or not the date is one of its days). */
    Instant occurrence(LocalDate date) {
        LocalDateTime local = date.atTime(time);
        ZoneRules rules = zone.getRules();
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            return rules.getTransition(local).getInstant();
        }
        // in an overlap the first offset is the one before the transition: the earlier of the two instants
        return local.atOffset(offsets.get(0)).toInstant();
    }

    /** The latest due instant at or before {@code now}, or null (never within the last week: cannot happen). */
    Instant latestDue(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        for (int i = 0; i <= SEARCH_DAYS; i++) {
            LocalDate d = today.minusDays(i);
            if (days.contains(d.getDayOfWeek())) {
                Instant at = occurrence(d);
                if (!at.isAfter(now)) {
                    return at;
                }
            }
        }
        return null;
    }

    /** The first due instant strictly after {@code now}. */
    Instant nextAfter(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        for (int i = -1; i <= SEARCH_DAYS; i++) {
            LocalDate d = today.plusDays(i);
            if (days.contains(d.getDayOfWeek())) {
                Instant at = occurrence(d);
                if (at.isAfter(now)) {
                    return at;
                }
            }
        }
        return null;
    }
}
