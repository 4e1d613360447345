package gateway.web.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import gateway.core.api.AlertStore.AlertEvent;
import gateway.core.api.Automation;
import gateway.core.api.Automation.AlertTemplate;
import gateway.core.api.Automation.RunOutcome;
import gateway.core.api.Heatpump;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.UserStore.Role;

/**
 * What the automation engine does, over HTTP: run a job now, the alert templates per device, the alert history and
 * its acknowledgement.
 */
final class AutomationResource {

    static final Duration DEFAULT_RANGE = Duration.ofDays(7);
    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 5000;

    /** One history entry; {@code kind} is fired, resolved, status or anomaly, and it may be acknowledged. */
    record EventView(long id, String alertId, String heatpumpId, String kind, Double value, String message,
                     Instant time, boolean acknowledged, Instant acknowledgedAt, String acknowledgedBy) {
        static EventView of(AlertEvent e) {
            return new EventView(e.id(), e.alertId(), e.heatpumpId(), e.kind(), e.value(), e.message(), e.time(),
                    e.acknowledgedAt() != null, e.acknowledgedAt(), e.acknowledgedBy());
        }
    }

    record EventsView(String heatpumpId, Instant from, Instant to, List<EventView> events) {
    }

    private final GatewayServices services;

    AutomationResource(GatewayServices services) {
        this.services = services;
    }

    void register(Router router) {
        router.add("POST", "/jobs/{id}/run", Role.OPERATOR,
                        "Run a job now through the write path; answers its result", this::run)
                .add("GET", "/alerts/templates", Role.VIEWER,
                        "Alert templates per device (?heatpump_id=), each with its sensor or why it does not apply",
                        this::templates)
                .add("GET", "/alerts/events", Role.VIEWER,
                        "Alert history: fired, resolved, status and anomaly events (?heatpump_id=&from=&to=&limit=)",
                        this::events)
                .add("POST", "/alerts/events/{id}/ack", Role.OPERATOR,
                        "Acknowledge an alert event (a firing alert stops repeating)", this::acknowledge);
    }

    private Object run(ApiRequest request) {
        String id = request.param("id");
        services.jobs().get(id).orElseThrow(() -> ApiException.notFound("no job '" + id + "'"));
        Automation automation = services.automation();
        try {
            RunOutcome outcome = automation.runNow(id);
            return outcome;
        } catch (Automation.NoSuchJobException e) {
            throw ApiException.notFound(e.getMessage());
        }
    }

    private Object templates(ApiRequest request) {
        String id = request.query("heatpump_id");
        Automation automation = services.automation();
        List<String> devices = id != null ? List.of(id)
                : services.manager.heatpumps().stream().map(Heatpump::id).toList();
        List<AlertTemplate> out = new ArrayList<>();
        for (String device : devices) {
            try {
                out.addAll(automation.templates(device));
            } catch (UnknownHeatpumpException e) {
                if (id != null) {
                    throw ApiException.notFound("no heat pump '" + id + "'");
                }
            }
        }
        return out;
    }

    private Object events(ApiRequest request) {
        String id = request.query("heatpump_id");
        Instant to = DataResource.instant(request.query("to"), "to");
        Instant from = DataResource.instant(request.query("from"), "from");
        if (to == null) {
            to = services.clock.instant();
        }
        if (from == null) {
            from = to.minus(DEFAULT_RANGE);
        }
        if (from.isAfter(to)) {
            throw ApiException.badRequest("'from' (" + from + ") must not be after 'to' (" + to + ")");
        }
        int limit = limit(request.query("limit"));
        if (id != null && services.manager.heatpump(id).isEmpty()) {
            throw ApiException.notFound("no heat pump '" + id + "'");
        }
        List<EventView> events = services.alerts().events(id, from, to, limit).stream().map(EventView::of).toList();
        return new EventsView(id, from, to, events);
    }

    private Object acknowledge(ApiRequest request) {
        String raw = request.param("id");
        long id;
        try {
            id = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no alert event '" + raw + "'");
        }
        return services.alerts().acknowledge(id, request.actor(), services.clock.instant()).map(EventView::of)
                .orElseThrow(() -> ApiException.notFound("no alert event '" + raw + "'"));
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("'limit' must be 1.." + MAX_LIMIT + ", got '" + text + "'");
        }
        return limit;
    }
}
