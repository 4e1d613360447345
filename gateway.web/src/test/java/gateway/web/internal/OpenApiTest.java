package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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

    /** Every record-made schema lists exactly the record's components, in the API's snake_case. */
    @Test
    void everyBodySchemaHasExactlyTheFieldsOfItsRecord() throws Exception {
        JsonNode schemas = get("/api/openapi.json", "alice").json().get("components").get("schemas");
        var snakeCase = new com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy();
        assertTrue(OpenApiResource.SCHEMAS.records().size() > 30, "the bodies are described by their records");
        OpenApiResource.SCHEMAS.records().forEach((name, record) -> {
            Set<String> fields = new TreeSet<>();
            for (var component : record.getRecordComponents()) {
                fields.add(snakeCase.translate(component.getName()));
            }
            Set<String> documented = new TreeSet<>();
            schemas.get(name).get("properties").fieldNames().forEachRemaining(documented::add);
            assertEquals(fields, documented, name + " (" + record.getName() + ")");
        });
    }

    /** No request or response body is left as an untyped object: each names its fields or its item type. */
    @Test
    void noBodyIsAnUntypedObject() throws Exception {
        JsonNode paths = get("/api/openapi.json", "alice").json().get("paths");
        List<String> untyped = new ArrayList<>();
        paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String where = op.getKey().toUpperCase() + " " + path.getKey();
            JsonNode body = op.getValue().path("requestBody").path("content").path("application/json");
            if (!body.isMissingNode() && !body.get("schema").has("$ref")) {
                untyped.add(where + " request");
            }
            op.getValue().get("responses").fields().forEachRemaining(r -> {
                JsonNode schema = r.getValue().path("content").path("application/json").path("schema");
                if (!schema.isMissingNode() && !schema.has("$ref") && !schema.has("items")
                        && !schema.has("additionalProperties")) {
                    untyped.add(where + " " + r.getKey());
                }
            });
            op.getValue().path("parameters").forEach(p -> {
                if (p.get("in").asText().equals("query") && p.get("schema").isEmpty()) {
                    untyped.add(where + " ?" + p.get("name").asText());
                }
            });
        }));
        assertEquals(List.of(), untyped);
        assertEquals("integer", paths.get("/api/audit").get("get").get("parameters").get(1).get("schema").get("type")
                .asText(), "limit is typed");
    }

    /** What the API actually serves fits the schema the document gives for it. */
    @Test
    void servedBodiesFitTheirSchemas() throws Exception {
        JsonNode doc = get("/api/openapi.json", "alice").json();
        String id = createDevice(CONTRACT_BODY);
        assertEquals(201, send("POST", "/api/tokens", "oscar", "{\"name\":\"script\"}").status());
        assertFits(doc, "post", "/api/heatpumps", "201", send("POST", "/api/heatpumps", "ada", MINIMAL_BODY));
        assertFits(doc, "post", "/api/heatpumps/{id}/test", "200",
                send("POST", "/api/heatpumps/" + id + "/test", "ada", null));
        assertFits(doc, "post", "/api/login", "200", send("POST", "/api/login", null,
                "{\"username\":\"ada\",\"password\":\"pw-ada\"}"));
        for (String path : List.of("/api/health", "/api/version", "/api/status", "/api/settings", "/api/me",
                "/api/users", "/api/tokens", "/api/heatpumps", "/api/heatpumps/{id}", "/api/data/all",
                "/api/data/{id}", "/api/control/{id}", "/api/manufacturers", "/api/audit", "/api/setup",
                "/api/manufacturers/{manufacturer}/models/{model}/setup")) {
            String concrete = path.replace("{id}", id).replace("{manufacturer}", "acme").replace("{model}", "aw10");
            assertFits(doc, "get", path, "200", get(concrete, "ada"));
        }
    }

    private static void assertFits(JsonNode doc, String method, String path, String status, Response r) {
        assertEquals(Integer.parseInt(status), r.status(), method + " " + path + ": " + r.body());
        JsonNode schema = doc.get("paths").get(path).get(method).get("responses").get(status).get("content")
                .get("application/json").get("schema");
        List<String> problems = new ArrayList<>();
        fits(doc, schema, r.json(), "$", problems);
        assertEquals(List.of(), problems, method + " " + path + " " + r.body());
    }

    /** Just enough JSON Schema for the API's documents: $ref, anyOf, type, enum, properties, items. */
    private static void fits(JsonNode doc, JsonNode schema, JsonNode value, String at, List<String> problems) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().substring("#/components/schemas/".length());
            fits(doc, doc.get("components").get("schemas").get(name), value, at, problems);
            return;
        }
        if (schema.has("anyOf")) {
            for (JsonNode alternative : schema.get("anyOf")) {
                List<String> inner = new ArrayList<>();
                fits(doc, alternative, value, at, inner);
                if (inner.isEmpty()) {
                    return;
                }
            }
            problems.add(at + ": fits no alternative of " + schema);
            return;
        }
        if (!schema.has("type")) {
            return; // any value
        }
        String type = schema.get("type").asText();
        boolean ok = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> false;
        };
        if (!ok) {
            problems.add(at + ": " + value + " is not " + type);
            return;
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode e : schema.get("enum")) {
                listed |= e.equals(value);
            }
            if (!listed) {
                problems.add(at + ": " + value + " not in " + schema.get("enum"));
            }
        }
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                fits(doc, schema.get("items"), value.get(i), at + "[" + i + "]", problems);
            }
        }
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.get("additionalProperties");
            schema.path("required").forEach(req -> {
                if (!value.has(req.asText())) {
                    problems.add(at + ": required '" + req.asText() + "' missing");
                }
            });
            value.fields().forEachRemaining(field -> {
                String where = at + "." + field.getKey();
                if (properties.has(field.getKey())) {
                    fits(doc, properties.get(field.getKey()), field.getValue(), where, problems);
                } else if (additional != null && additional.isObject()) {
                    fits(doc, additional, field.getValue(), where, problems);
                } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                    problems.add(where + ": not in the schema");
                }
            });
        }
    }
}
