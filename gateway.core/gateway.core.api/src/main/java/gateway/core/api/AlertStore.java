package gateway.core.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Stored alert definitions, the alert engine's per-device state and the alert history. */
@ProviderType
public interface AlertStore {

    /**
     * @param heatpumpId      the device, or null for every device
     * @param type            {@code threshold}, {@code status}, {@code device_state}, {@code stale} or {@code anomaly}
     * @param condition       one of {@code > >= < <= = !=} (threshold alerts)
     * @param threshold       compared value, as text (a number, an enum key or an enum label)
     * @param intervalSeconds repeat interval while firing (0 = notify once), or the period of a status report
     * @param forSeconds      how long the condition must hold before the alert fires
     * @param hysteresis      a threshold alert resolves only when the value is back past threshold ∓ hysteresis
     * @param channels        notification channel ids; empty = every enabled channel
     * @param notifyResolved  send a notification when the alert resolves
     */
    record Alert(String id, String heatpumpId, String name, String type, String sensor, String condition,
                 String threshold, String message, boolean enabled, int intervalSeconds, Instant lastTriggered,
                 int forSeconds, double hysteresis, List<String> channels, boolean notifyResolved) {
        public Alert {
            channels = channels == null ? List.of() : List.copyOf(channels);
            forSeconds = Math.max(0, forSeconds);
            hysteresis = Double.isFinite(hysteresis) ? Math.abs(hysteresis) : 0;
        }

        /** An alert with the original's fields: fires at once, no hysteresis, every channel, resolved notified. */
        public Alert(String id, String heatpumpId, String name, String type, String sensor, String condition,
                     String threshold, String message, boolean enabled, int intervalSeconds, Instant lastTriggered) {
            this(id, heatpumpId, name, type, sensor, condition, threshold, message, enabled, intervalSeconds,
                    lastTriggered, 0, 0, List.of(), true);
        }
    }

    /**
     * The engine's memory of one alert on one device, kept across restarts.
     *
     * @param pendingSince  since when the condition holds without having fired yet (for_seconds), or null
     * @param firingSince   since when the alert fires, or null while it does not
     * @param lastNotified  when it last sent a notification (fired, repeated or status report), or null
     * @param firedEventId  the history event of the current firing (0 = none)
     * @param repeats       notifications repeated during the current firing
     */
    record AlertState(String alertId, String heatpumpId, Instant pendingSince, Instant firingSince,
                      Instant lastNotified, long firedEventId, int repeats) {
    }

    /**
     * One entry of the alert history.
     *
     * @param id             store id (0 before it is stored)
     * @param alertId        the alert, or null for an anomaly event no alert asked for
     * @param kind           {@code fired}, {@code resolved}, {@code status} or {@code anomaly}
     * @param value          the sensor's value at the time, or null
     * @param acknowledgedAt when a person acknowledged it, or null
     */
    record AlertEvent(long id, String alertId, String heatpumpId, String kind, Double value, String message,
                      Instant time, Instant acknowledgedAt, String acknowledgedBy) {
    }

    /** @param heatpumpId a device, or null for every alert */
    List<Alert> list(String heatpumpId);

    Optional<Alert> get(String id);

    /** Inserts (a new id when id is null or blank) or replaces the alert with that id. */
    Alert save(Alert alert);

    /** Notes when the alert last sent a notification ({@code lastTriggered}) without touching its definition. */
    void markTriggered(String id, Instant at);

    /** Removes the alert and its engine state (its history stays). */
    boolean delete(String id);

    /** Every stored engine state. */
    List<AlertState> states();

    /** Stores (replaces) the state of one alert on one device. */
    void saveState(AlertState state);

    /** Appends a history event; returns it with its id. */
    AlertEvent recordEvent(AlertEvent event);

    Optional<AlertEvent> event(long id);

    /** Events in [from, to] (null = open), newest first; {@code heatpumpId} null = every device. */
    List<AlertEvent> events(String heatpumpId, Instant from, Instant to, int limit);

    /** Marks an event acknowledged (the first acknowledgement stays); empty when there is no such event. */
    Optional<AlertEvent> acknowledge(long id, String by, Instant at);
}
