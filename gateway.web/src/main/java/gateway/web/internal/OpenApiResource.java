package gateway.web.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import gateway.core.api.UserStore.Role;

/**
 * {@code /openapi.json}: an OpenAPI 3.1 document built from the live route table plus {@link #DETAILS}, the per-route
 * facts the table does not carry (query parameters, body, extra errors). A test fails when a route has no details
 * entry or an entry names no route, so the two cannot drift apart.
 */
final class OpenApiResource {

    /** What a route takes beyond its path: query parameters, request body kind, and statuses beyond the defaults. */
    record Detail(List<String> query, String body, List<Integer> errors) {
    }

    private static Detail d(String body, List<String> query, Integer... errors) {
        return new Detail(query, body, List.of(errors));
    }

    private static final List<String> NONE = List.of();
    static final String JSON_BODY = "json";
    static final String JAR_BODY = "jar";

    static final Map<String, Detail> DETAILS = new LinkedHashMap<>();

    static {
        DETAILS.put("GET /health", d(null, NONE));
        DETAILS.put("GET /version", d(null, NONE));
        DETAILS.put("GET /status", d(null, NONE));
        DETAILS.put("GET /settings", d(null, NONE));
        DETAILS.put("PUT /settings", d(JSON_BODY, NONE));
        DETAILS.put("GET /audit", d(null, List.of("heatpump_id", "limit")));
        DETAILS.put("GET /manufacturers", d(null, NONE));
        DETAILS.put("GET /manufacturers/{manufacturer}/models/{model}/setup", d(null, List.of("circuits", "zones")));
        DETAILS.put("GET /heatpumps", d(null, NONE));
        DETAILS.put("POST /heatpumps", d(JSON_BODY, NONE, 409));
        DETAILS.put("POST /heatpumps/test", d(JSON_BODY, NONE, 503));
        DETAILS.put("GET /heatpumps/{id}", d(null, NONE));
        DETAILS.put("PUT /heatpumps/{id}", d(JSON_BODY, NONE, 409));
        DETAILS.put("DELETE /heatpumps/{id}", d(null, NONE));
        DETAILS.put("POST /heatpumps/{id}/enable", d(JSON_BODY, NONE));
        DETAILS.put("POST /heatpumps/{id}/disable", d(JSON_BODY, NONE));
        DETAILS.put("POST /heatpumps/{id}/test", d(null, NONE, 503));
        DETAILS.put("GET /heatpumps/{id}/register-export", d(null, NONE));
        DETAILS.put("PUT /heatpumps/{id}/register-export", d(JSON_BODY, NONE, 409));
        DETAILS.put("DELETE /heatpumps/{id}/register-export", d(null, NONE));
        DETAILS.put("GET /data/all", d(null, NONE));
        DETAILS.put("GET /data/{id}", d(null, NONE));
        DETAILS.put("GET /history/{id}", d(null, List.of("sensor", "from", "to", "points"), 503));
        DETAILS.put("GET /export/{id}", d(null, List.of("sensors", "from", "to", "format")));
        DETAILS.put("GET /anomalies", d(null, List.of("heatpump_id", "from", "to", "limit")));
        DETAILS.put("GET /metrics/push", d(null, NONE));
        DETAILS.put("GET /control/{id}", d(null, NONE));
        DETAILS.put("POST /control/{id}", d(JSON_BODY, NONE, 409, 503));
        DETAILS.put("GET /setup", d(null, NONE));
        DETAILS.put("POST /setup", d(JSON_BODY, NONE, 409));
        DETAILS.put("POST /login", d(JSON_BODY, NONE, 429));
        DETAILS.put("POST /logout", d(null, NONE));
        DETAILS.put("GET /me", d(null, NONE));
        DETAILS.put("GET /users", d(null, NONE));
        DETAILS.put("POST /users", d(JSON_BODY, NONE, 409));
        DETAILS.put("PUT /users/{name}", d(JSON_BODY, NONE, 409));
        DETAILS.put("DELETE /users/{name}", d(null, NONE, 409));
        DETAILS.put("GET /tokens", d(null, NONE));
        DETAILS.put("POST /tokens", d(JSON_BODY, NONE));
        DETAILS.put("DELETE /tokens/{id}", d(null, NONE));
        for (String kind : List.of("jobs", "alerts", "dashboards")) {
            DETAILS.put("GET /" + kind, d(null, List.of("heatpump_id")));
            DETAILS.put("POST /" + kind, d(JSON_BODY, NONE));
            DETAILS.put("GET /" + kind + "/{id}", d(null, NONE));
            DETAILS.put("PUT /" + kind + "/{id}", d(JSON_BODY, NONE));
            DETAILS.put("DELETE /" + kind + "/{id}", d(null, NONE));
        }
        DETAILS.put("GET /notifications/channel-types", d(null, NONE, 503));
        DETAILS.put("GET /notifications/channels", d(null, NONE, 503));
        DETAILS.put("POST /notifications/channels", d(JSON_BODY, NONE, 409, 503));
        DETAILS.put("GET /notifications/channels/{id}", d(null, NONE, 503));
        DETAILS.put("PUT /notifications/channels/{id}", d(JSON_BODY, NONE, 503));
        DETAILS.put("DELETE /notifications/channels/{id}", d(null, NONE, 503));
        DETAILS.put("POST /notifications/channels/{id}/test", d(null, NONE, 503));
        DETAILS.put("GET /notifications/outbox", d(null, List.of("state", "limit"), 503));
        DETAILS.put("GET /bundles", d(null, NONE));
        DETAILS.put("POST /bundles", d(JAR_BODY, NONE, 409, 413));
        DETAILS.put("GET /bundles/{id}", d(null, NONE));
        DETAILS.put("PUT /bundles/{id}", d(JAR_BODY, NONE, 409, 413));
        DETAILS.put("DELETE /bundles/{id}", d(null, NONE, 409));
        DETAILS.put("POST /bundles/{id}/start", d(null, NONE, 409));
        DETAILS.put("POST /bundles/{id}/stop", d(null, NONE, 409));
        DETAILS.put("GET /events", d(null, List.of("heatpump_id"), 503));
        DETAILS.put("GET /openapi.json", d(null, NONE));
    }

    private final Router router;

    OpenApiResource(Router router) {
        this.router = router;
    }

    void register(Router router) {
        router.add("GET", "/openapi.json", Role.VIEWER, "This API as an OpenAPI 3.1 document", r -> document());
    }

    Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "Heatpump Gateway API", "version", SystemResource.API_VERSION,
                "description", "Errors are application/problem+json (RFC 9457). Authenticate with the session"
                        + " cookie gw_session (state-changing requests then need header X-CSRF-Token), a bearer"
                        + " token, or HTTP Basic."));
        doc.put("servers", List.of(Map.of("url", "/")));
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("securitySchemes", Map.of(
                "session", Map.of("type", "apiKey", "in", "cookie", "name", SessionStore.COOKIE),
                "bearer", Map.of("type", "http", "scheme", "bearer"),
                "basic", Map.of("type", "http", "scheme", "basic")));
        components.put("schemas", Map.of("Problem", Map.of("type", "object", "properties", Map.of(
                "type", Map.of("type", "string"), "title", Map.of("type", "string"),
                "status", Map.of("type", "integer"), "detail", Map.of("type", "string"),
                "instance", Map.of("type", "string"),
                "errors", Map.of("type", "array", "items", Map.of("type", "string"))))));
        doc.put("components", components);
        Map<String, Map<String, Object>> paths = new TreeMap<>();
        for (Route route : router.routes()) {
            // a route without details is still documented (path, auth, errors); OpenApiTest insists on details
            Detail detail = DETAILS.getOrDefault(route.method() + " " + route.template(), d(null, NONE));
            paths.computeIfAbsent(route.path(), p -> new LinkedHashMap<>())
                    .put(route.method().toLowerCase(), operation(route, detail));
        }
        doc.put("paths", paths);
        return doc;
    }

    private static Map<String, Object> operation(Route route, Detail detail) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("summary", route.summary());
        op.put("operationId", (route.method() + route.template()).replaceAll("[^A-Za-z0-9]+", "_"));
        if (route.role() != null) {
            op.put("description", "Needs role " + ApiModel.lower(route.role()) + " or higher.");
        }
        List<Map<String, Object>> parameters = new ArrayList<>();
        for (String segment : Route.segments(route.template())) {
            if (segment.startsWith("{")) {
                parameters.add(Map.of("name", segment.substring(1, segment.length() - 1), "in", "path",
                        "required", true, "schema", Map.of("type", "string")));
            }
        }
        for (String q : detail.query()) {
            parameters.add(Map.of("name", q, "in", "query", "required", false, "schema", Map.of("type", "string")));
        }
        if (!parameters.isEmpty()) {
            op.put("parameters", parameters);
        }
        if (JSON_BODY.equals(detail.body())) {
            op.put("requestBody", Map.of("required", true, "content",
                    Map.of("application/json", Map.of("schema", Map.of("type", "object")))));
        } else if (JAR_BODY.equals(detail.body())) {
            Map<String, Object> binary = Map.of("schema", Map.of("type", "string", "format", "binary"));
            op.put("requestBody", Map.of("required", true, "content", Map.of(
                    "application/java-archive", binary, "application/octet-stream", binary,
                    "multipart/form-data", Map.of("schema", Map.of("type", "object", "properties",
                            Map.of("bundle", Map.of("type", "string", "format", "binary")))))));
        }
        if (route.role() == null) {
            op.put("security", List.of());
        } else {
            op.put("security", List.of(Map.of("session", List.of()), Map.of("bearer", List.of()),
                    Map.of("basic", List.of())));
        }
        Map<String, Object> responses = new TreeMap<>();
        String ok = route.method().equals("POST") && !route.template().contains("/test")
                && !route.template().endsWith("/start") && !route.template().endsWith("/stop")
                && !route.template().endsWith("/enable") && !route.template().endsWith("/disable")
                && !route.template().equals("/login") && !route.template().equals("/logout")
                && !route.template().startsWith("/control") ? "201"
                : route.method().equals("DELETE") || route.template().equals("/logout") ? "204" : "200";
        responses.put(ok, Map.of("description", "success", "content", Map.of(
                route.template().equals("/events") ? "text/event-stream" : "application/json",
                Map.of("schema", Map.of()))));
        List<Integer> errors = new ArrayList<>(detail.errors());
        if (route.role() != null) {
            errors.add(401);
            errors.add(403);
        }
        if (detail.body() != null || !detail.query().isEmpty()) {
            errors.add(400);
        }
        if (detail.body() != null) {
            errors.add(422);
        }
        if (JSON_BODY.equals(detail.body())) {
            errors.add(413);
            errors.add(415);
        }
        if (JAR_BODY.equals(detail.body())) {
            errors.add(415);
        }
        if (route.template().contains("{")) {
            errors.add(404);
        }
        for (int status : errors) {
            responses.put(Integer.toString(status), Map.of("description", "problem", "content",
                    Map.of("application/problem+json", Map.of("schema", Map.of("$ref", "#/components/schemas/Problem")))));
        }
        op.put("responses", responses);
        return op;
    }
}
