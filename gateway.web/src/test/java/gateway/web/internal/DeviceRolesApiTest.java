package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Issue 16: a heat pump's details name the sensors behind its key values, so the console needs no table per make. */
class DeviceRolesApiTest extends ApiTestBase {

    @Test
    void detailsNameTheSensorOfEachRoleTheConfigurationHasAndTheListDoesNot() throws Exception {
        String id = createDevice(CONTRACT_BODY);
        JsonNode roles = get("/api/heatpumps/" + id, "alice").json().get("roles");
        assertEquals("temp_outdoor", roles.get("outdoor_temperature").asText(), roles.toString());
        assertFalse(roles.has("hot_water_temperature"), "the driver's hot-water sensor is not in this model: " + roles);
        assertFalse(get("/api/heatpumps", "alice").json().get(0).has("roles"), "the list stays lean");
    }
}
