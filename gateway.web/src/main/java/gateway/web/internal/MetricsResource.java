package gateway.web.internal;

import gateway.core.api.MetricsPush;
import gateway.core.api.UserStore.Role;

/** {@code GET /metrics/push}: the state of the push to the time-series database, for operators and the console. */
final class MetricsResource {

    volatile MetricsPush push;

    void register(Router router) {
        router.add("GET", "/metrics/push", Role.VIEWER,
                "State of the metrics push: target, last error, spool size and lag", r -> status());
    }

    private Object status() {
        MetricsPush p = push;
        if (p == null) {
            throw ApiException.unavailable("metrics-push-unavailable", "Metrics push unavailable",
                    "the metrics push component is not running");
        }
        return p.status();
    }
}
