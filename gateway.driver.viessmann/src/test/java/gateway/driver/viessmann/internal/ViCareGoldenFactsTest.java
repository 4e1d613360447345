package gateway.driver.viessmann.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import gateway.core.api.AccessMode;
import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.Quality;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;
import gateway.driver.viessmann.internal.ViCareFeatures.Point;

/**
 * Facts from the ViCare fact sheet (§1 endpoints, §4 feature names, §5 commands, §7 quota) against the driver's
 * tables, and the decoding of features in the real response format (fixtures written here, shaped like the dumps).
 */
class ViCareGoldenFactsTest {

    private static Point point(String id) {
        return ViCareFeatures.point(DeviceConfig.empty(), id).orElseThrow();
    }

    @Test
    void defaultEndpointsAreViessmannsClimatesolutionsHosts() {
        ViCareConnection c = ViCareConnection.of(new ConnectionConfig("unused", 0, 0, 0,
                Map.of("client_id", "a", "refresh_token", "b", "installation_id", "1", "gateway_serial", "2")));
        assertEquals("https://api.viessmann-climatesolutions.com/iot/v2", c.apiBaseUrl());
        assertEquals("https://iam.viessmann-climatesolutions.com/idp/v3/token", c.tokenUrl());
        assertEquals("0", c.deviceId(), "the heat pump is device 0");
        assertTrue(c.problems().isEmpty(), c.problems().toString());
        assertFalse(c.toString().contains("b,"), "the refresh token never shows in toString");
    }

    @Test
    void missingOptionsAreNamed() {
        List<String> problems = ViCareConnection.of(new ConnectionConfig("x", 0, 0, 0,
                Map.of("api_base_url", "ftp://nowhere"))).problems();
        for (String key : List.of("client_id", "refresh_token", "installation_id", "gateway_serial", "api_base_url")) {
            assertTrue(problems.stream().anyMatch(p -> p.contains(key)), key + " in " + problems);
        }
    }

    @Test
    void featurePathsAreTheFactSheets() {
        assertEquals(List.of("heating.sensors.temperature.outside"), point("outdoor_temperature").features());
        assertEquals("heating.secondaryCircuit.sensors.temperature.supply", point("supply_temperature").features().get(0));
        assertEquals("heating.sensors.temperature.return", point("return_temperature").features().get(0));
        assertEquals(List.of("heating.dhw.sensors.temperature.dhwCylinder",
                "heating.dhw.sensors.temperature.hotWaterStorage"), point("dhw_temperature").features());
        assertEquals(List.of("heating.circuits.0.sensors.temperature.supply"),
                point("circuit0_supply_temperature").features());
        assertEquals("heating.compressors.0", point("compressor_active").features().get(0));
        assertEquals("active", point("compressor_active").property());
        assertEquals("heating.compressors.0.speed.current", point("compressor_speed").features().get(0));
        assertEquals("heating.inverters.0.sensors.power.current", point("electrical_power").features().get(0));
        assertEquals("heating.power.consumption.summary.heating", point("electrical_energy_heating_day").features().get(0));
        assertEquals("currentDay", point("electrical_energy_heating_day").property());
        assertEquals("currentMonth", point("heat_energy_dhw_month").property());
        assertEquals("heating.heat.production.summary.dhw", point("heat_energy_dhw_month").features().get(0));
        assertEquals("device.messages.errors.raw", point("active_errors").features().get(0));
    }

    @Test
    void writesGoThroughTheFeaturesOwnCommands() {
        Point dhw = point("dhw_target_temperature");
        assertEquals("heating.dhw.temperature.main", dhw.features().get(0));
        assertEquals("setTargetTemperature", dhw.command());
        assertEquals("temperature", dhw.param());
        assertEquals(10.0, dhw.sensor().min());
        assertEquals(60.0, dhw.sensor().max());
        Point mode = point("circuit0_operating_mode");
        assertEquals("heating.circuits.0.operating.modes.active", mode.features().get(0));
        assertEquals("setMode", mode.command());
        assertEquals("mode", mode.param());
        Point dhwMode = point("dhw_mode");
        assertEquals("heating.dhw.operating.modes.active", dhwMode.features().get(0));
        assertTrue(dhwMode.labels().containsAll(List.of("efficientWithMinComfort", "efficient", "off")));
        Point normal = point("circuit0_room_setpoint_normal");
        assertEquals(List.of("heating.circuits.0.operating.programs.normalHeating",
                "heating.circuits.0.operating.programs.normal"), normal.features(), "E3 name first, then older");
        assertEquals("setTemperature", normal.command());
        assertEquals("targetTemperature", normal.param());
        assertEquals(3.0, normal.sensor().min());
        assertEquals(37.0, normal.sensor().max());
        assertEquals(AccessMode.READ_ONLY, point("outdoor_temperature").sensor().access());
    }

    @Test
    void circuitsExpandAndIdsAreUnique() {
        DeviceConfig two = DeviceConfig.of(List.of("0", "1"), List.of());
        List<SensorDefinition> sensors = ViCareFeatures.sensors(two);
        Set<String> ids = new HashSet<>();
        sensors.forEach(s -> assertTrue(ids.add(s.id()), "duplicate " + s.id()));
        assertTrue(ids.contains("circuit1_operating_mode"));
        assertEquals(List.of("heating.circuits.1.operating.modes.active"),
                ViCareFeatures.point(two, "circuit1_operating_mode").orElseThrow().features());
        assertEquals(List.of("circuit '4' is not a ViCare heating circuit (0, 1, 2 or 3)"),
                new ViCareDriver().validate(DeviceConfig.of(List.of("4"), List.of())));
    }

    /** 24 h / (1,450 − 50 reserved) = 61.7 s; 10 min / (120 − 4 burst) = 5.2 s: the day decides, 62 s. */
    @Test
    void smallestPollIntervalFollowsFromTheDailyQuota() {
        assertEquals(1450, ViCareQuota.DAILY_LIMIT);
        assertEquals(120, ViCareQuota.TEN_MINUTE_LIMIT);
        assertEquals(62, ViCareQuota.minPollIntervalSeconds());
        assertEquals(62, new ViCareDriver().minPollIntervalSeconds());
    }

    @Test
    void refreshTokenIsDeclaredSecret() {
        assertEquals(Set.of("refresh_token"), new ViCareDriver().secretOptions());
    }

    // ---- decoding features in the real format (own fixture, shaped like the Vitocal 222-S dump)

    private static final String FIXTURE = """
            {"data": [
             {"apiVersion": 1, "commands": {}, "deviceId": "0", "feature": "heating.sensors.temperature.outside",
              "gatewayId": "1234", "isEnabled": true, "isReady": true,
              "properties": {"status": {"type": "string", "value": "connected"},
                             "value": {"type": "number", "unit": "celsius", "value": 12.1}},
              "timestamp": "2025-10-05T16:08:49.975Z", "uri": "https://x/features/heating.sensors.temperature.outside"},
             {"apiVersion": 1, "commands": {}, "feature": "heating.primaryCircuit.sensors.temperature.return",
              "isEnabled": true, "isReady": true, "properties": {"status": {"type": "string", "value": "notConnected"}}},
             {"apiVersion": 1, "commands": {}, "feature": "heating.dhw.sensors.temperature.dhwCylinder",
              "isEnabled": true, "isReady": true, "properties": {}},
             {"apiVersion": 1, "commands": {}, "feature": "heating.dhw.sensors.temperature.hotWaterStorage",
              "isEnabled": true, "isReady": true,
              "properties": {"status": {"type": "string", "value": "connected"},
                             "value": {"type": "number", "unit": "celsius", "value": 50.9}}},
             {"apiVersion": 1, "commands": {}, "feature": "heating.compressors.0", "isEnabled": true, "isReady": true,
              "properties": {"active": {"type": "boolean", "value": true}, "phase": {"type": "string", "value": "ready"}}},
             {"apiVersion": 1, "commands": {}, "feature": "heating.circuits.0.operating.modes.active",
              "isEnabled": true, "isReady": true, "properties": {"value": {"type": "string", "value": "dhwAndHeating"}}},
             {"apiVersion": 1, "commands": {}, "feature": "heating.circuits.0.operating.programs.active",
              "isEnabled": true, "isReady": true, "properties": {"value": {"type": "string", "value": "somethingNew"}}},
             {"apiVersion": 1, "commands": {}, "feature": "heating.power.consumption.summary.dhw",
              "isEnabled": true, "isReady": true,
              "properties": {"currentDay": {"type": "number", "unit": "kilowattHour", "value": 0},
                             "currentMonth": {"type": "number", "unit": "kilowattHour", "value": 7}}},
             {"apiVersion": 1, "commands": {}, "feature": "device.messages.errors.raw", "isEnabled": true,
              "isReady": true, "properties": {"entries": {"type": "array", "value": [
                {"accessLevel": "customer", "errorCode": "F.454", "priority": "criticalError",
                 "timestamp": "2025-10-03T12:45:26.000Z"}]}}}
            ]}""";

    @Test
    void decodesFeaturesInTheRealFormat() throws Exception {
        ViCareSession session = ViCareTestSupport.sessionOver(FIXTURE);
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(12.1, session.decode(point("outdoor_temperature"), at).value());
        SensorReading notConnected = session.decode(point("source_return_temperature"), at);
        assertEquals(Quality.INVALID, notConnected.quality());
        assertTrue(notConnected.error().contains("not connected"));
        assertEquals(50.9, session.decode(point("dhw_temperature"), at).value(),
                "an empty dhwCylinder falls back to hotWaterStorage (older names)");
        assertEquals(1.0, session.decode(point("compressor_active"), at).value());
        SensorReading phase = session.decode(point("compressor_phase"), at);
        assertEquals("ready", phase.text());
        assertEquals(3.0, phase.value(), "ready is code 3 (off, preparing, not-ready, ready)");
        SensorReading mode = session.decode(point("circuit0_operating_mode"), at);
        assertEquals("dhwAndHeating", mode.text());
        assertEquals(3.0, mode.value());
        SensorReading unknown = session.decode(point("circuit0_active_program"), at);
        assertEquals(Quality.INVALID, unknown.quality());
        assertEquals("somethingNew", unknown.text());
        assertEquals(0.0, session.decode(point("electrical_energy_dhw_day"), at).value());
        assertEquals(7.0, session.decode(point("electrical_energy_dhw_month"), at).value());
        SensorReading errors = session.decode(point("active_errors"), at);
        assertEquals(1.0, errors.value());
        assertEquals("F.454", errors.text());
        SensorReading absent = session.decode(point("circuit0_room_temperature"), at);
        assertEquals(Quality.INVALID, absent.quality());
        assertNull(absent.value());
        assertTrue(absent.error().contains("not offered"));
    }
}
