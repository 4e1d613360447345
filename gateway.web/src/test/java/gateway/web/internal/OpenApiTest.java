package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The served OpenAPI document and the route table describe the same API, in both directions. */
class OpenApiTest extends ApiTestBase {

    @Test
    void documentDescribesExactlyTheRegisteredRoutes() throws Exception {
        Response r = get("/api/openapi.json", "alice");
        assertEquals(200, r.status(), r.body());
        JsonNode doc = r.json();
        assertEquals("3.1.0", doc.get("openapi").asText());
        Set<String> documented = new TreeSet<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                .forEachRemaining(m -> documented.add(m.toUpperCase() + " " + p.getKey())));
        Set<String> registered = new TreeSet<>();
        servlet.routes().forEach(route -> registered.add(route.method() + " " + route.path()));
        assertEquals(registered, documented);
        Set<String> details = new TreeSet<>();
        OpenApiResource.DETAILS.keySet().forEach(k -> details.add(k.replaceFirst(" ", " /api")));
        assertEquals(registered, details, "every route has its details, and no detail outlives its route");
    }

    @Test
    void everyOperationNamesItsPathParametersAndErrors() throws Exception {
        JsonNode paths = get("/api/openapi.json", "alice").json().get("paths");
        for (Route route : servlet.routes()) {
            JsonNode op = paths.get(route.path()).get(route.method().toLowerCase());
            for (String segment : Route.segments(route.template())) {
                if (segment.startsWith("{")) {
                    String name = segment.substring(1, segment.length() - 1);
                    boolean found = false;
                    for (JsonNode p : op.get("parameters")) {
                        found |= p.get("name").asText().equals(name) && p.get("in").asText().equals("path");
                    }
                    assertTrue(found, route + " documents {" + name + "}");
                    assertTrue(op.get("responses").has("404"), route.path());
                }
            }
            if (!route.isPublic()) {
                assertTrue(op.get("responses").has("401") && op.get("responses").has("403"), route.path());
            }
        }
    }
}
