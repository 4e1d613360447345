package gateway.web.internal;

import java.time.Clock;
import java.time.Instant;

import gateway.core.api.GatewayIdentity;
import gateway.core.api.GatewayReadiness;
import gateway.core.api.AlertStore;
import gateway.core.api.AnomalyStore;
import gateway.core.api.AuditLog;
import gateway.core.api.CopStore;
import gateway.core.api.Automation;
import gateway.core.api.DashboardStore;
import gateway.core.api.JobStore;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.SensorLabels;
import gateway.core.api.HistoryStore;
import gateway.core.api.ManufacturerRegistry;

/**
 * The core services the API answers from. History and audit may come and go (their store can be restarted
 * separately); while one is missing its endpoints answer 503 instead of the whole API disappearing.
 */
final class GatewayServices {

    final HeatpumpManager manager;
    final ManufacturerRegistry registry;
    final String version;
    final Clock clock;
    final Instant startedAt;
    volatile HistoryStore history;
    volatile AuditLog audit;
    volatile JobStore jobs;
    volatile AlertStore alerts;
    volatile DashboardStore dashboards;
    volatile AnomalyStore anomalies;
    volatile Automation automation;
    volatile GatewayReadiness readiness;
    volatile org.osgi.service.cm.ConfigurationAdmin configAdmin;
    volatile GatewayIdentity identity;
    volatile CopStore cop;
    /** Drivers' sensor names and enum labels per language. */
    final Languages languages = new Languages();
    /** The ViCare sign-in's handles, which device creation swaps for refresh tokens. */
    final ViCareSignInResource vicareSignIn;

    GatewayServices(HeatpumpManager manager, ManufacturerRegistry registry, String version, Clock clock) {
        this.manager = manager;
        this.registry = registry;
        this.version = version;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.vicareSignIn = new ViCareSignInResource(clock);
    }

    /** The labels of a device's driver in the request's language. */
    SensorLabels labels(Heatpump h, ApiRequest request) {
        return labels(h, Languages.of(request));
    }

    SensorLabels labels(Heatpump h, java.util.Locale language) {
        return languages.labels(registry, h.manufacturer(), h.model(), language);
    }

    HistoryStore history() {
        HistoryStore h = history;
        if (h == null) {
            throw ApiException.unavailable("history-unavailable", "History unavailable",
                    "the history store is not running");
        }
        return h;
    }

    AuditLog audit() {
        AuditLog a = audit;
        if (a == null) {
            throw ApiException.unavailable("audit-unavailable", "Audit log unavailable",
                    "the audit log is not running");
        }
        return a;
    }

    JobStore jobs() {
        return required(jobs, "jobs");
    }

    AlertStore alerts() {
        return required(alerts, "alerts");
    }

    DashboardStore dashboards() {
        return required(dashboards, "dashboards");
    }

    CopStore cop() {
        CopStore c = cop;
        if (c == null) {
            throw ApiException.unavailable("energy-unavailable", "Energy sums unavailable",
                    "the COP store (gateway.core.store) is not running");
        }
        return c;
    }

    AnomalyStore anomalies() {
        return required(anomalies, "anomalies");
    }

    Automation automation() {
        Automation a = automation;
        if (a == null) {
            throw ApiException.unavailable("automation-unavailable", "Automation unavailable",
                    "the job scheduler and alert engine (gateway.core.automation) are not running");
        }
        return a;
    }

    private static <T> T required(T store, String what) {
        if (store == null) {
            throw ApiException.unavailable(what + "-unavailable", "Store unavailable",
                    "the " + what + " store is not running");
        }
        return store;
    }
}
