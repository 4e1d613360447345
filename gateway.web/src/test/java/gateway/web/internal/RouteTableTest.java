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
            new FakeCore.Registry(), new FakeCore.Users(), "test", Clock.systemUTC());

    @Test
    void routeTableListsTheFoundationEndpoints() {
        Set<String> actual = new TreeSet<>();
        servlet.routes().forEach(r -> actual.add(r.method() + " " + r.path()));
        Set<String> expected = new TreeSet<>(List.of(
                "GET /api/health", "GET /api/version", "GET /api/status", "GET /api/manufacturers",
                "GET /api/manufacturers/{manufacturer}/models/{model}/setup",
                "GET /api/heatpumps", "POST /api/heatpumps", "POST /api/heatpumps/test",
                "GET /api/heatpumps/{id}", "PUT /api/heatpumps/{id}", "DELETE /api/heatpumps/{id}",
                "POST /api/heatpumps/{id}/enable", "POST /api/heatpumps/{id}/disable",
                "POST /api/heatpumps/{id}/test", "GET /api/data/all", "GET /api/data/{id}",
                "GET /api/history/{id}", "GET /api/control/{id}", "POST /api/control/{id}",
                "GET /api/settings", "PUT /api/settings", "GET /api/audit"));
        assertEquals(expected, actual);
    }

    @Test
    void rolesFollowTheRule() {
        // public: health and version; reads: viewer; writing a value: operator; every other change: admin
        for (Route r : servlet.routes()) {
            Role expected;
            if (r.path().equals("/api/health") || r.path().equals("/api/version")) {
                expected = null;
            } else if (r.method().equals("GET")) {
                expected = Role.VIEWER;
            } else if (r.method().equals("POST") && r.template().equals("/control/{id}")) {
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
