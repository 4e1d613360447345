package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import gateway.core.api.UserStore.Role;

class RouteTableTest {

    private final ApiServlet servlet = new ApiServlet(new FakeCore.Manager(new FakeCore.Registry()),
            new FakeCore.Registry(), new FakeCore.Users(), new SecurityFilter(new FakeCore.Users(), Clock.systemUTC()), "test",
            Clock.systemUTC());

    @Test
    void routeTableListsTheFoundationEndpoints() {
        Set<String> actual = new TreeSet<>();
        servlet.routes().forEach(r -> actual.add(r.method() + " " + r.path()));
        Set<String> expected = new TreeSet<>(List.of(
                "GET /api/health", "GET /api/health/ready", "GET /api/health/live", "GET /api/version", "GET /api/status", "GET /api/manufacturers",
                "GET /api/manufacturers/{manufacturer}/models/{model}/setup",
                "GET /api/heatpumps", "POST /api/heatpumps", "POST /api/heatpumps/test",
                "GET /api/heatpumps/{id}", "PUT /api/heatpumps/{id}", "DELETE /api/heatpumps/{id}",
                "POST /api/heatpumps/{id}/enable", "POST /api/heatpumps/{id}/disable",
                "POST /api/heatpumps/{id}/test", "GET /api/data/all", "GET /api/data/{id}",
                "GET /api/history/{id}", "GET /api/control/{id}", "POST /api/control/{id}",
                "GET /api/settings", "PUT /api/settings", "GET /api/audit",
                "GET /api/export/{id}", "GET /api/energy", "GET /api/metrics/push",
                "GET /api/heatpumps/{id}/register-export", "PUT /api/heatpumps/{id}/register-export",
                "DELETE /api/heatpumps/{id}/register-export",
                // accounts and security
                "GET /api/setup", "POST /api/setup", "POST /api/login", "POST /api/logout", "GET /api/me",
                "GET /api/users", "POST /api/users", "PUT /api/users/{name}", "DELETE /api/users/{name}",
                "GET /api/tokens", "POST /api/tokens", "DELETE /api/tokens/{id}", "PUT /api/users/me/password",
                // stored definitions
                "GET /api/jobs", "POST /api/jobs", "GET /api/jobs/{id}", "PUT /api/jobs/{id}", "DELETE /api/jobs/{id}",
                "GET /api/alerts", "POST /api/alerts", "GET /api/alerts/{id}", "PUT /api/alerts/{id}",
                "DELETE /api/alerts/{id}", "GET /api/dashboards", "POST /api/dashboards", "GET /api/dashboards/{id}",
                "PUT /api/dashboards/{id}", "DELETE /api/dashboards/{id}",
                // automation
                "POST /api/jobs/{id}/run", "GET /api/alerts/templates", "GET /api/alerts/events",
                "POST /api/alerts/events/{id}/ack",
                // runtime
                "GET /api/bundles", "POST /api/bundles", "GET /api/bundles/{id}", "PUT /api/bundles/{id}",
                "DELETE /api/bundles/{id}", "POST /api/bundles/{id}/start", "POST /api/bundles/{id}/stop",
                "GET /api/events", "GET /api/openapi.json",
                // anomaly detection (gateway.ml)
                "GET /api/anomalies",
                // notification channels and outbox (gateway.core.notification)
                "GET /api/notifications/channel-types", "GET /api/notifications/channels",
                "POST /api/notifications/channels", "GET /api/notifications/channels/{id}",
                "PUT /api/notifications/channels/{id}", "DELETE /api/notifications/channels/{id}",
                "POST /api/notifications/channels/{id}/test", "GET /api/notifications/outbox",
                // MQTT (gateway.core.mqtt)
                "GET /api/mqtt", "GET /api/mqtt/settings", "PUT /api/mqtt/settings",
                // backup and restore (gateway.core.store)
                "POST /api/backup/create", "GET /api/backup/list", "GET /api/backup/download/{name}",
                "DELETE /api/backup/delete/{name}", "POST /api/backup/restore",

                // ViCare sign-in for the console's wizard (gateway.driver.viessmann)
                "POST /api/vicare/authorize", "POST /api/vicare/token", "GET /api/vicare/installations"));
        assertEquals(expected, actual);
    }

    @Test
    void rolesFollowTheRule() {
        // public: health, version, setup and login; reads and one's own session, password and tokens: viewer; writing a
        // value, jobs, dashboards and acknowledging an alert: operator; every other change: admin
        Set<String> selfService = Set.of("POST /logout", "POST /tokens", "DELETE /tokens/{id}",
                "PUT /users/me/password");
        for (Route r : servlet.routes()) {
            Role expected;
            String key = r.method() + " " + r.template();
            if (r.path().startsWith("/api/health") || r.path().equals("/api/version") || r.template().equals("/setup")
                    || r.template().equals("/login")) {
                expected = null;
            } else if (selfService.contains(key)) {
                expected = Role.VIEWER;
            } else if (r.template().startsWith("/users") || r.template().startsWith("/bundles")
                    || r.template().startsWith("/backup") || r.template().equals("/mqtt/settings")
                    || r.template().startsWith("/vicare")) {
                // accounts, the runtime, the broker's credentials and signing in to a vendor's cloud are admin
                // business, reading included
                expected = Role.ADMIN;
            } else if (r.method().equals("GET") || selfService.contains(key)) {
                expected = Role.VIEWER;
            } else if (key.equals("POST /control/{id}") || r.template().startsWith("/jobs")
                    || r.template().startsWith("/dashboards") || key.equals("POST /alerts/events/{id}/ack")) {
                expected = Role.OPERATOR;
            } else {
                expected = Role.ADMIN;
            }
            assertEquals(expected, r.role(), r.method() + " " + r.path());
            assertFalse(r.summary().isBlank());
        }
    }

    @Test
    void literalSegmentWinsOverParameter() {
        Router router = new Router();
        router.add("GET", "/data/{id}", Role.VIEWER, "one", r -> "one")
                .add("GET", "/data/all", Role.VIEWER, "all", r -> "all");
        assertEquals("/data/all", router.match("GET", "/data/all").route().template());
        assertEquals("hp-1", router.match("GET", "/data/hp-1").params().get("id"));
        assertEquals(Set.of("GET"), router.match("POST", "/data/all").allowed());
        assertFalse(router.match("GET", "/data").pathKnown());
    }
}
