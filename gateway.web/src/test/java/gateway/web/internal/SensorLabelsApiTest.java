package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.DerivedSensors;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

/** Sensor names and enum labels follow ?lang= or Accept-Language; ids and enum keys never change. */
class SensorLabelsApiTest extends ApiTestBase {

    private String id;

    @BeforeEach
    void device() throws Exception {
        id = createDevice("""
                {"manufacturer": "acme", "model": "aw10", "connection_config": {"host": "10.0.0.7"},
                 "device_config": {"circuits": ["A"]}}
                """);
        Instant at = Instant.parse("2026-11-27T11:59:00Z");
        manager.snapshots.put(id, new DeviceSnapshot(id, "acme", "aw10", at, Map.of(
                "temp_outdoor", SensorReading.good("temp_outdoor", 4.5, null, at),
                "setpoint_hot_water", SensorReading.good("setpoint_hot_water", 48, null, at),
                "operating_mode", SensorReading.good("operating_mode", 1, "Automatic", at))));
    }

    private Response getIn(String path, String acceptLanguage) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).GET()
                .header("Authorization", basic("alice", "pw-alice"));
        if (acceptLanguage != null) {
            b.header("Accept-Language", acceptLanguage);
        }
        return execute(b.build());
    }

    private static JsonNode sensor(Response details, String sensorId) {
        for (JsonNode s : details.json().get("sensors")) {
            if (s.get("id").asText().equals(sensorId)) {
                return s;
            }
        }
        throw new AssertionError("no sensor " + sensorId + " in " + details.body());
    }

    @Test
    void detailsNameSensorsAndEnumValuesInGermanForLangDe() throws Exception {
        Response r = getIn("/api/heatpumps/" + id + "?lang=de", null);
        assertEquals(200, r.status(), r.body());
        JsonNode mode = sensor(r, "operating_mode");
        assertEquals("Betriebsart", mode.get("name").asText());
        assertEquals("Automatik", mode.get("enum_labels").get("1").asText());
        assertEquals("Bereitschaft", mode.get("enum_labels").get("0").asText(), "driver-wide enum.<key> label");
        assertEquals("Automatic", mode.get("enum_values").get("1").asText(), "the key stays");
        assertEquals("Außentemperatur", sensor(r, "temp_outdoor").get("name").asText());
        assertEquals("Vorlauf HK A", sensor(r, "temp_flow_circuit_a").get("name").asText(), "pattern key");
    }

    @Test
    void acceptLanguageGermanGivesGermanNames() throws Exception {
        Response r = getIn("/api/heatpumps/" + id, "de-AT,de;q=0.9,en;q=0.5");
        assertEquals("Außentemperatur", sensor(r, "temp_outdoor").get("name").asText());
        Response data = getIn("/api/data/" + id, "de");
        JsonNode mode = data.json().get("values").get("operating_mode");
        assertEquals("Betriebsart", mode.get("name").asText());
        assertEquals("Automatik", mode.get("label").asText());
        assertEquals("Automatic", mode.get("text").asText(), "the key stays");
        assertEquals("Außentemperatur", getIn("/api/data/all", "de").json().get(id).get("values")
                .get("temp_outdoor").get("name").asText());
    }

    @Test
    void englishByDefaultAndForOtherLanguages() throws Exception {
        for (String header : new String[] {null, "en-GB", "fr-FR, ja;q=0.8", "not a ;;; header"}) {
            Response r = getIn("/api/heatpumps/" + id, header);
            assertEquals(200, r.status(), r.body());
            assertEquals("Outdoor temperature", sensor(r, "temp_outdoor").get("name").asText(), "header " + header);
            assertEquals("Automatic", sensor(r, "operating_mode").get("enum_labels").get("1").asText());
            assertEquals("Away", sensor(r, "operating_mode").get("enum_labels").get("2").asText());
        }
        JsonNode mode = getIn("/api/data/" + id, null).json().get("values").get("operating_mode");
        assertEquals("Operating mode", mode.get("name").asText());
        assertEquals("Automatic", mode.get("label").asText());
    }

    @Test
    void aSensorWithoutGermanLabelFallsBackToEnglish() throws Exception {
        Response r = getIn("/api/heatpumps/" + id + "?lang=de", null);
        assertEquals("Hot water setpoint", sensor(r, "setpoint_hot_water").get("name").asText());
        assertEquals("Away", sensor(r, "operating_mode").get("enum_labels").get("2").asText(),
                "an enum value without a German label keeps the driver's");
        assertEquals("Hot water setpoint", getIn("/api/data/" + id + "?lang=de", null).json().get("values")
                .get("setpoint_hot_water").get("name").asText());
    }

    @Test
    void langQueryBeatsTheHeader() throws Exception {
        assertEquals("Outdoor temperature", sensor(getIn("/api/heatpumps/" + id + "?lang=en", "de"), "temp_outdoor")
                .get("name").asText());
        assertEquals("Außentemperatur", sensor(getIn("/api/heatpumps/" + id + "?lang=de", "en-US"), "temp_outdoor")
                .get("name").asText());
    }

    @Test
    void controlListsAndConnectionTestsAreLocalizedToo() throws Exception {
        JsonNode control = getIn("/api/control/" + id + "?lang=de", null).json();
        JsonNode mode = null;
        for (JsonNode s : control.get("sensors")) {
            if (s.get("id").asText().equals("operating_mode")) {
                mode = s;
            }
        }
        assertTrue(mode != null, control.toString());
        assertEquals("Betriebsart", mode.get("name").asText());
        assertEquals("Automatik", mode.get("enum_labels").get("1").asText());
        assertEquals("Standby", mode.get("enum_values").get("0").asText());
    }

    @Test
    void theGatewaysDerivedCopIsNamedInGermanBesideTheDriversLabels() {
        Languages languages = new Languages();
        SensorDefinition copDay = DerivedSensors.COP_SENSORS.stream()
                .filter(s -> s.id().equals(DerivedSensors.COP_DAY)).findFirst().orElseThrow();
        assertEquals("COP heute", languages.labels(registry, "acme", "aw10", Locale.GERMAN).name(copDay));
        assertEquals("COP heute", languages.labels(registry, "gone", "missing", Locale.GERMAN).name(copDay),
                "also while the driver is missing");
        assertEquals("COP today", languages.labels(registry, "acme", "aw10", Locale.ENGLISH).name(copDay));
        assertEquals("Außentemperatur", languages.labels(registry, "acme", "aw10", Locale.GERMAN)
                .name(new FakeCore.Driver().sensor(gateway.core.api.DeviceConfig.empty(), "temp_outdoor").orElseThrow()),
                "the driver's own labels still apply");
    }
}
