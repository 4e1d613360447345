package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.WriteRejectedException;

/**
 * Issue 16: a German request gets the catalog's model names, setup instructions and dashboard titles, and its problem
 * documents in German (title by slug, detail and errors by message key); slugs, field names and English stay as they
 * were.
 */
class GermanApiTest extends ApiTestBase {

    private Response sendIn(String method, String path, String user, String body, String language) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (user != null) {
            b.header("Authorization", basic(user, "pw-" + user));
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (language != null) {
            b.header("Accept-Language", language);
        }
        return execute(b.build());
    }

    private static List<String> errors(Response r) {
        List<String> out = new ArrayList<>();
        r.json().get("errors").forEach(e -> out.add(e.asText()));
        return out;
    }

    @Test
    void modelListingAndSetupReadInGerman() throws Exception {
        JsonNode de = sendIn("GET", "/api/manufacturers", "alice", null, "de-DE,de;q=0.9").json();
        assertEquals("AW 10 (Luft/Wasser)", de.get(0).get("models").get(0).get("name").asText());
        assertEquals("aw10", de.get(0).get("models").get(0).get("id").asText(), "ids never change");
        assertEquals("AW 10", get("/api/manufacturers", "alice").json().get(0).get("models").get(0).get("name")
                .asText());

        JsonNode setup = get("/api/manufacturers/acme/models/aw10/setup?lang=de", "alice").json();
        assertEquals("AW 10 (Luft/Wasser)", setup.get("name").asText());
        assertEquals("# Modbus TCP an der AW 10 (Luft/Wasser) einschalten\n1. Das Servicemenü öffnen.",
                setup.get("instructions").asText());
        assertEquals("Temperaturen", setup.get("dashboard_template").get("charts").get(0).get("title").asText());
        assertEquals("AW 10 (Luft/Wasser)", setup.get("dashboard_template").get("name").asText());

        JsonNode english = get("/api/manufacturers/acme/models/aw10/setup?lang=en", "alice").json();
        assertEquals("# Enable Modbus TCP\n1. Open the service menu.", english.get("instructions").asText());
        assertEquals("Temperatures", english.get("dashboard_template").get("charts").get(0).get("title").asText());
    }

    @Test
    void incompleteDeviceIsRefusedInGermanWithItsFieldsUnchanged() throws Exception {
        String body = "{\"manufacturer\": \"acme\", \"model\": \"aw10\", \"connection_config\": {\"port\": 502}}";
        Response de = sendIn("POST", "/api/heatpumps", "ada", body, "de");
        assertEquals(422, de.status(), de.body());
        assertEquals("urn:heatpump-gateway:problem:invalid-value", de.json().get("type").asText());
        assertEquals("Ungültiger Wert", de.json().get("title").asText());
        assertEquals("Die Wärmepumpen-Definition ist unvollständig", de.json().get("detail").asText());
        assertEquals(List.of("connection_config.host: erforderlich"), errors(de));

        Response en = sendIn("POST", "/api/heatpumps", "ada", body, null);
        assertEquals("Invalid value", en.json().get("title").asText());
        assertEquals("the heat pump definition is incomplete", en.json().get("detail").asText());
        assertEquals(List.of("connection_config.host: required"), errors(en));
    }

    @Test
    void inputLimitsSpeakGermanAndKeepTheFieldName() throws Exception {
        String host = "h".repeat(300);
        String body = "{\"manufacturer\": \"acme\", \"model\": \"aw10\", \"connection_config\": {\"host\": \"" + host
                + "\"}}";
        Response de = sendIn("POST", "/api/heatpumps?lang=de", "ada", body, "en");
        assertEquals(422, de.status(), de.body());
        assertEquals("Die Anfrage enthält Werte außerhalb der Grenzen der API", de.json().get("detail").asText());
        assertEquals(List.of("connection_config.host: höchstens 253 Zeichen (erhalten: 300)"), errors(de));
        assertEquals("connection_config.host", de.json().get("field").asText());
    }

    @Test
    void managerValidationIsJoinedInGermanAsTheDetail() throws Exception {
        manager.nextCreateFailure = new gateway.core.api.InvalidConfigurationException(
                List.of("poll interval must be at least 5 s for this model", "port must be 1-65535"));
        Response de = sendIn("POST", "/api/heatpumps", "ada", MINIMAL_BODY, "de");
        assertEquals(422, de.status(), de.body());
        assertEquals("Ungültige Konfiguration", de.json().get("title").asText());
        assertEquals(List.of("Das Abfrageintervall muss für dieses Modell mindestens 5 s betragen",
                "Der Port muss zwischen 1 und 65535 liegen"), errors(de));
        assertEquals(String.join("; ", errors(de)), de.json().get("detail").asText());
    }

    @Test
    void failedLoginAndMissingAuthenticationReadInGerman() throws Exception {
        Response login = sendIn("POST", "/api/login", null, "{\"username\":\"alice\",\"password\":\"wrong\"}", "de");
        assertEquals(401, login.status(), login.body());
        assertEquals("Nicht angemeldet", login.json().get("title").asText());
        assertEquals("Benutzername oder Passwort nicht akzeptiert", login.json().get("detail").asText());

        Response anonymous = sendIn("GET", "/api/heatpumps", null, null, "de");
        assertEquals(401, anonymous.status());
        assertEquals("Anmeldung erforderlich", anonymous.json().get("detail").asText(), "refused by the filter");
        assertEquals("authentication required", sendIn("GET", "/api/heatpumps", null, null, null).json()
                .get("detail").asText());
    }

    @Test
    void unknownDeviceReadsInGerman() throws Exception {
        Response r = get("/api/heatpumps/ghost?lang=de", "alice");
        assertEquals(404, r.status());
        assertEquals("Unbekannte Wärmepumpe", r.json().get("title").asText());
        assertEquals("Keine Wärmepumpe mit der Id „ghost“", r.json().get("detail").asText());
    }

    @Test
    void writeRefusalsReadInGermanAndKeepTheirReason() throws Exception {
        String id = createDevice(MINIMAL_BODY);
        manager.writeEnabled = true;
        manager.nextWriteFailure = new WriteRejectedException(WriteRejectedException.Reason.OUT_OF_RANGE,
                "70.0 is above the maximum 60.0 of setpoint_hot_water");
        Response r = sendIn("POST", "/api/control/" + id, "oscar", "{\"sensor\":\"setpoint_hot_water\",\"value\":70}",
                "de");
        assertEquals(422, r.status(), r.body());
        assertEquals("Wert außerhalb des Bereichs", r.json().get("title").asText());
        assertEquals("70.0 liegt über dem Maximum 60.0 von setpoint_hot_water", r.json().get("detail").asText());
        assertEquals("out_of_range", r.json().get("reason").asText());

        Problem off = ApiServlet.writeRejected(new WriteRejectedException(WriteRejectedException.Reason.WRITES_DISABLED,
                "writes are disabled; switch on write_enabled in the settings first")).toProblem("/x", Locale.GERMAN);
        assertEquals("Schreiben ausgeschaltet", off.title());
        assertEquals("Schreiben ist ausgeschaltet; zuerst write_enabled in den Einstellungen einschalten",
                off.detail());
        Problem readOnly = ApiServlet.writeRejected(new WriteRejectedException(
                WriteRejectedException.Reason.NOT_WRITABLE, "sensor temp_outdoor is read-only"))
                .toProblem("/x", Locale.GERMAN);
        assertEquals("Sensor temp_outdoor ist nur lesbar", readOnly.detail());
    }

    @Test
    void aTextTheCatalogDoesNotKnowStaysEnglish() {
        Problem p = ApiException.badRequest("something only a driver says").toProblem("/x", Locale.GERMAN);
        assertEquals("Ungültige Anfrage", p.title());
        assertEquals("something only a driver says", p.detail());
        assertNull(p.errors());
    }

    @Test
    void everyGermanTextHasAnEnglishOneWithTheSamePlaceholders() {
        MessageCatalog catalog = MessageCatalog.BUNDLE;
        Map<String, String> english = catalog.englishErrors();
        Map<String, String> german = catalog.errors(Locale.GERMAN);
        assertTrue(english.size() > 40, "the English catalog loaded: " + english.size());
        for (Map.Entry<String, String> e : german.entrySet()) {
            if (e.getKey().startsWith("title.")) {
                continue;
            }
            String en = english.get(e.getKey());
            assertTrue(en != null, "no English text for " + e.getKey());
            for (int i = 0; i < 5; i++) {
                assertEquals(en.contains("{" + i + "}"), e.getValue().contains("{" + i + "}"),
                        e.getKey() + " placeholder {" + i + "}");
            }
        }
        for (String key : english.keySet()) {
            assertTrue(german.containsKey(key), "no German text for " + key);
        }
    }

    @Test
    void storedDashboardsReadInGermanAndAreSavedInEnglish() throws Exception {
        DefinitionApiTest.Dashboards store = new DefinitionApiTest.Dashboards();
        servlet.setDashboards(store);
        String id = createDevice(MINIMAL_BODY);
        Response created = send("POST", "/api/dashboards", "oscar", "{\"name\":\"AW 10\",\"heatpump_id\":\"" + id
                + "\",\"config\":{\"charts\":[{\"title\":\"Temperatures\",\"type\":\"line\","
                + "\"sensors\":[\"temp_outdoor\"],\"hours\":24},{\"title\":\"My own\",\"type\":\"line\","
                + "\"sensors\":[\"temp_outdoor\"],\"hours\":24}]}}");
        assertEquals(201, created.status(), created.body());
        String dashboard = created.json().get("id").asText();

        JsonNode de = get("/api/dashboards/" + dashboard + "?lang=de", "alice").json();
        assertEquals("AW 10 (Luft/Wasser)", de.get("name").asText());
        assertEquals("Temperaturen", de.get("config").get("charts").get(0).get("title").asText());
        assertEquals("My own", de.get("config").get("charts").get(1).get("title").asText(), "typed titles stay");

        // the console in German sends back what it showed: stored in English again
        Response put = sendIn("PUT", "/api/dashboards/" + dashboard, "oscar", "{\"config\":" + de.get("config")
                + "}", "de");
        assertEquals(200, put.status(), put.body());
        assertEquals("Temperaturen", put.json().get("config").get("charts").get(0).get("title").asText());
        assertTrue(store.rows.get(dashboard).config().contains("\"Temperatures\""), store.rows.get(dashboard).config());
        assertEquals("Temperatures", get("/api/dashboards/" + dashboard, "alice").json().get("config").get("charts")
                .get(0).get("title").asText());
    }
}
