package gateway.web.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import gateway.core.api.AnomalyStore;
import gateway.core.api.UserStore.Role;

/** {@code GET /anomalies}: anomaly events raised by gateway.ml, newest first. */
final class AnomalyResource {

    static final Duration DEFAULT_RANGE = Duration.ofDays(7);
    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 5000;

    /** The answer: the range asked for and the events in it. */
    record AnomaliesView(String heatpumpId, Instant from, Instant to, List<AnomalyStore.Event> events) {
    }

    private final GatewayServices services;

    AnomalyResource(GatewayServices services) {
        this.services = services;
    }

    void register(Router router) {
        router.add("GET", "/anomalies", Role.VIEWER,
                "Anomaly events with score, mode and top features (?heatpump_id=&from=&to=&limit=)", this::list);
    }

    private Object list(ApiRequest request) {
        String id = request.query("heatpump_id");
        Instant to = DataResource.instant(request.query("to"), "to");
        Instant from = DataResource.instant(request.query("from"), "from");
        String limitText = request.query("limit");
        if (to == null) {
            to = services.clock.instant();
        }
        if (from == null) {
            from = to.minus(DEFAULT_RANGE);
        }
        if (from.isAfter(to)) {
            throw ApiException.badRequest("'from' (" + from + ") must not be after 'to' (" + to + ")");
        }
        int limit = DEFAULT_LIMIT;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiException.badRequest("'limit' must be 1.." + MAX_LIMIT + ", got '" + limitText + "'");
            }
        }
        if (id != null && !id.isBlank() && services.manager.heatpump(id).isEmpty()) {
            throw ApiException.notFound("no heat pump '" + id + "'");
        }
        String device = id == null || id.isBlank() ? null : id;
        return new AnomaliesView(device, from, to, services.anomalies().events(device, from, to, limit));
    }
}
