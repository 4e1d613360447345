package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.testing.TestDriver;

class ExportApiTest extends ApiTestBase {

    private String id;

    @BeforeEach
    void device() throws Exception {
        id = createDevice(MINIMAL_BODY);
    }

    private HttpResponse<String> raw(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", basic("alice", "pw-alice")).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The fake history answers one point per sensor, at 'from', value 4.0. */
    @Test
    void csvHasAHeaderAndOneLinePerStoredReading() throws Exception {
        HttpResponse<String> r = raw("/api/export/" + id
                + "?sensors=temp_outdoor,power_current&from=2026-11-27T10:00:00Z&to=2026-11-27T11:00:00Z");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        // temp_outdoor is the test driver's, in °C; power_current no sensor of it, so without a unit
        assertEquals("time,sensor,value,unit\n2026-11-27T10:00:00Z,temp_outdoor,4,°C\n"
                + "2026-11-27T10:00:00Z,power_current,4,\n", r.body());
    }

    @Test
    void jsonNamesTheRangeAndListsTheRows() throws Exception {
        HttpResponse<String> r = raw("/api/export/" + id
                + "?sensors=temp_outdoor&from=2026-11-27T10:00:00Z&to=2026-11-27T11:00:00Z&format=json");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = new ObjectMapper().readTree(r.body());
        assertEquals(id, j.get("heatpump_id").asText());
        assertEquals("2026-11-27T10:00:00Z", j.get("from").asText());
        assertEquals(1, j.get("rows").size());
        assertEquals("temp_outdoor", j.get("rows").get(0).get("sensor").asText());
        assertEquals(4.0, j.get("rows").get(0).get("value").asDouble());
        assertEquals("°C", j.get("rows").get(0).get("unit").asText());
    }

    @Test
    void badRequestsAreProblems() throws Exception {
        assertEquals(400, get("/api/export/" + id, "alice").status());
        assertEquals(400, get("/api/export/" + id + "?sensors=a&format=xlsx", "alice").status());
        assertEquals(400, get("/api/export/" + id + "?sensors=a&from=2026-11-27T11:00:00Z&to=2026-11-27T10:00:00Z",
                "alice").status());
        assertEquals(404, get("/api/export/hp-nothere?sensors=a", "alice").status());
        assertEquals(401, get("/api/export/" + id + "?sensors=a", null).status());
    }

    /** Issue 16: a scaled register (23 × 0.1) or a float32 one must not export binary noise nobody measured. */
    @Test
    void valuesAreExportedWithoutFloatNoise() {
        assertEquals("2.3", ExportResource.plain(23 * 0.1, TestDriver.OUTDOOR));
        assertEquals("0.3", ExportResource.plain(0.1 + 0.2, null));
        assertEquals("0.1", ExportResource.plain((double) 0.1f, TestDriver.PV_SURPLUS));
        assertEquals("0", ExportResource.plain(0.0, TestDriver.OUTDOOR));
        assertEquals("-12.5", ExportResource.plain(-12.5, TestDriver.OUTDOOR));
        assertEquals("1200", ExportResource.plain(1200.0, null));
        assertEquals("1234567.891", ExportResource.plain(1234567.891, null));
    }
}
