package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.Heatpump;
import gateway.core.api.RegisterImport;

/** Upload of a device's own register list: stored in the device options, summarised, never dumped. */
class RegisterExportApiTest extends ApiTestBase {

    /** 3 good rows, 2 malformed (lines 2 and 4), a blank line. */
    static final String EXPORT = "100\nabc\n101\n\nx7\n102\n";

    private String path(String id) {
        return "/api/heatpumps/" + id + "/register-export";
    }

    @Test
    void uploadStoresTheListAndReportsMalformedRowsByLine() throws Exception {
        String id = createDevice(MINIMAL_BODY);
        int before = manager.sensors(id).size();

        Response r = send("PUT", path(id), "ada", EXPORT, "text/csv");

        assertEquals(200, r.status(), r.body());
        assertEquals(3, r.json().get("rows_accepted").asInt());
        assertEquals(2, r.json().get("errors").size());
        assertEquals(2, r.json().get("errors").get(0).get("line").asInt());
        assertTrue(r.json().get("errors").get(0).get("message").asText().contains("abc"));
        assertEquals(5, r.json().get("errors").get(1).get("line").asInt());
        assertEquals(before + 3, r.json().get("sensor_count").asInt());
        assertEquals(EXPORT, manager.heatpump(id).orElseThrow().deviceConfig().options()
                .get(RegisterImport.DEVICE_OPTION), "stored through the manager, byte for byte");
    }

    @Test
    void detailsShowARowCountInsteadOfTheText() throws Exception {
        String id = createDevice(MINIMAL_BODY);
        send("PUT", path(id), "ada", EXPORT, "text/tab-separated-values");

        Response details = get("/api/heatpumps/" + id, "alice");
        assertEquals("<5 rows>", details.json().get("device_config").get("options").get("register_export").asText());
        assertTrue(details.json().get("sensors").toString().contains("reg_102"));
        Response list = get("/api/heatpumps", "alice");
        // not list.body().contains("abc"): a random device id contains "abc" now and then
        assertEquals("<5 rows>", list.json().get(0).get("device_config").get("options").get("register_export")
                .asText(), list.body());
    }

    @Test
    void updateThatSendsTheSummaryBackKeepsTheStoredList() throws Exception {
        String id = createDevice(MINIMAL_BODY);
        send("PUT", path(id), "ada", EXPORT, "text/plain");

        Response r = send("PUT", "/api/heatpumps/" + id, "ada",
                "{\"device_config\": {\"options\": {\"register_export\": \"<5 rows>\", \"x\": \"1\"}}}");

        assertEquals(200, r.status(), r.body());
        Map<String, String> options = manager.heatpump(id).orElseThrow().deviceConfig().options();
        assertEquals(EXPORT, options.get(RegisterImport.DEVICE_OPTION));
        assertEquals("1", options.get("x"));
    }

    @Test
    void getSummarisesAndDeleteRemovesTheList() throws Exception {
        String id = createDevice(MINIMAL_BODY);
        assertEquals(404, get(path(id), "alice").status());
        send("PUT", path(id), "ada", EXPORT, "text/csv; charset=utf-8");

        Response summary = get(path(id), "alice");
        assertEquals(200, summary.status());
        assertEquals(3, summary.json().get("rows_accepted").asInt());
        assertEquals(EXPORT.length(), summary.json().get("bytes").asInt());
        assertFalse(summary.body().contains("abc\\n"), "the text is not returned");

        assertEquals(204, send("DELETE", path(id), "ada", null).status());
        assertNull(manager.heatpump(id).orElseThrow().deviceConfig().options().get(RegisterImport.DEVICE_OPTION));
        assertEquals(404, get(path(id), "alice").status());
        assertEquals(204, send("DELETE", path(id), "ada", null).status(), "deleting nothing is not an error");
    }

    @Test
    void refusesOtherMediaTypesOversizedBodiesAndViewers() throws Exception {
        String id = createDevice(MINIMAL_BODY);

        Response json = send("PUT", path(id), "ada", "{\"a\": 1}", "application/json");
        assertEquals(415, json.status());
        assertEquals("application/problem+json", json.contentType());
        assertEquals(415, send("PUT", path(id), "ada", EXPORT, null).status());
        assertEquals(413, send("PUT", path(id), "ada", "1\n".repeat(600_000), "text/csv").status());
        assertEquals(403, send("PUT", path(id), "alice", EXPORT, "text/csv").status());
        assertNull(manager.heatpump(id).orElseThrow().deviceConfig().options().get(RegisterImport.DEVICE_OPTION));
    }

    @Test
    void listWithoutUsableRowsIsRefusedAndNothingStored() throws Exception {
        String id = createDevice(MINIMAL_BODY);

        Response r = send("PUT", path(id), "ada", "abc\nxyz\n", "text/csv");

        assertEquals(422, r.status(), r.body());
        assertEquals("line 1: 'abc' is not an address", r.json().get("errors").get(0).asText());
        assertNull(manager.heatpump(id).orElseThrow().deviceConfig().options().get(RegisterImport.DEVICE_OPTION));
    }

    @Test
    void deviceWhoseDriverIsMissingCannotTakeAnUpload() throws Exception {
        manager.devices.put("hp-gone", new Heatpump("hp-gone", "Gone", "gone", "x1",
                new ConnectionConfig("10.0.0.9", 502, 1), DeviceConfig.empty(), 30, true, NOW, NOW));

        Response r = send("PUT", path("hp-gone"), "ada", EXPORT, "text/csv");

        assertEquals(409, r.status(), r.body());
        assertEquals(404, send("PUT", path("hp-nope"), "ada", EXPORT, "text/csv").status());
    }
}
