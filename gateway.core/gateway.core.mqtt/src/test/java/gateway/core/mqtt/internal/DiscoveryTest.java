package gateway.core.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DataType;
import gateway.core.api.DeviceConfig;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorFlag;
import gateway.core.testing.TestDriver;
import gateway.driver.daikin.internal.DaikinAltherma3EkrhhDriver;
import gateway.driver.daikin.internal.DaikinAltherma4Driver;
import gateway.driver.idm.internal.IdmDriver;
import gateway.driver.luxtronik.internal.LuxtronikDriver;
import gateway.driver.nibe.internal.NibeS1155Driver;
import gateway.driver.nibe.internal.NibeS1255Driver;
import gateway.driver.nibe.internal.NibeS2125Driver;

/** Home Assistant discovery: every make's sensor tables against HA's rules, and the messages through a broker. */
class DiscoveryTest {

    static final Topics TOPICS = new Topics("heatpump", "homeassistant");
    static final Discovery DISCOVERY = new Discovery(TOPICS, "0a1b2c3d");

    @TempDir
    Path dir;

    static Heatpump heatpump(String id, HeatpumpDriver d) {
        return new Heatpump(id, "Plant room", d.manufacturerId(), d.modelId(),
                new ConnectionConfig("127.0.0.1", 502, 1, 1000, Map.of()), null, 30, true, null, null);
    }

    static Map<String, JsonNode> configs(HeatpumpDriver d, DeviceConfig config) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        for (Discovery.Config c : DISCOVERY.device(heatpump("hp-1", d), d.sensors(config), d.manufacturerName(),
                d.modelName(), null, "0.2.0")) {
            out.put(c.topic(), Payloads.JSON.readTree(c.payload()));
        }
        return out;
    }

    @Test
    void everyMakesEntitiesFollowHomeAssistantsDiscoveryRules() throws Exception {
        List<HeatpumpDriver> drivers = List.of(new IdmDriver(), new NibeS1155Driver(), new NibeS1255Driver(),
                new NibeS2125Driver(), new DaikinAltherma3EkrhhDriver(), new DaikinAltherma4Driver(),
                new LuxtronikDriver(), new TestDriver());
        List<String> broken = new ArrayList<>();
        for (HeatpumpDriver d : drivers) {
            List<SensorDefinition> sensors = d.sensors(DeviceConfig.empty());
            Map<String, JsonNode> configs = configs(d, DeviceConfig.empty());
            assertEquals(sensors.size(), configs.size(), d.modelId() + ": one entity per sensor");
            Set<String> uniqueIds = new HashSet<>();
            long commandEntities = 0;
            for (Map.Entry<String, JsonNode> e : configs.entrySet()) {
                HomeAssistantRules.check(e.getKey(), e.getValue())
                        .forEach(b -> broken.add(d.modelId() + " " + e.getKey() + ": " + b));
                assertTrue(uniqueIds.add(e.getValue().get("unique_id").asText()), "unique_id twice: " + e.getKey());
                if (e.getValue().has("command_topic")) {
                    commandEntities++;
                }
            }
            // the original's bug: writable numbers and switches were never discovered
            assertEquals(sensors.stream().filter(SensorDefinition::writable).count(), commandEntities,
                    d.modelId() + ": every writable sensor has a command entity");
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theTestDevicesEntitiesAreWhatHomeAssistantShows() throws Exception {
        Map<String, JsonNode> c = configs(new TestDriver(), DeviceConfig.empty());
        String node = "hpgw_0a1b2c3d_hp-1";
        JsonNode dhw = c.get("homeassistant/number/" + node + "/setpoint_dhw/config");
        assertEquals(35, dhw.get("min").asDouble());
        assertEquals(60, dhw.get("max").asDouble());
        assertEquals(1, dhw.get("step").asDouble(), "a whole-degree register");
        assertEquals("box", dhw.get("mode").asText());
        assertEquals("°C", dhw.get("unit_of_measurement").asText());
        assertEquals("temperature", dhw.get("device_class").asText());
        assertEquals("heatpump/hp-1/setpoint_dhw/set", dhw.get("command_topic").asText());
        assertEquals("heatpump/hp-1/setpoint_dhw", dhw.get("state_topic").asText());
        assertEquals(0.5, c.get("homeassistant/number/" + node + "/setpoint_room/config").get("step").asDouble());
        JsonNode mode = c.get("homeassistant/select/" + node + "/operating_mode/config");
        assertEquals(List.of("off", "auto", "heating"),
                Payloads.JSON.convertValue(mode.get("options"), List.class));
        assertEquals("{{ value_json.text }}", mode.get("value_template").asText());
        JsonNode ack = c.get("homeassistant/button/" + node + "/acknowledge_faults/config");
        assertEquals("1", ack.get("payload_press").asText());
        assertFalse(ack.has("state_topic"), "a write-only action has no state");
        JsonNode outdoor = c.get("homeassistant/sensor/" + node + "/temp_outdoor/config");
        assertEquals("temperature", outdoor.get("device_class").asText());
        assertEquals("measurement", outdoor.get("state_class").asText());
        assertEquals("hpgw_0a1b2c3d_hp-1_temp_outdoor", outdoor.get("unique_id").asText());
        assertEquals("all", outdoor.get("availability_mode").asText());
        assertEquals(List.of("heatpump/gateway/availability", "heatpump/hp-1/availability"),
                outdoor.get("availability").findValuesAsText("topic"));
        JsonNode device = outdoor.get("device");
        assertEquals("Test Maker", device.get("manufacturer").asText());
        assertEquals("Model A", device.get("model").asText());
        assertEquals("hpgw_0a1b2c3d", device.get("via_device").asText());
        assertEquals("Plant room", device.get("name").asText());
        assertEquals("power", c.get("homeassistant/sensor/" + node + "/power_electric/config")
                .get("device_class").asText());
    }

    @Test
    void countersStatusAndAdvancedSensorsGetTheirHomeAssistantTreatment() throws Exception {
        SensorDefinition energy = SensorDefinition.builder("energy_heat").name("Heat energy")
                .category(SensorCategory.ENERGY).unit("kWh").type(DataType.UINT32).build();
        SensorDefinition status = SensorDefinition.builder("status_pump").name("Pump status")
                .category(SensorCategory.STATUS).type(DataType.ENUM).enumValue(0, "off").enumValue(1, "on").build();
        SensorDefinition advanced = SensorDefinition.builder("temp_hot_gas").name("Hot gas")
                .category(SensorCategory.TEMPERATURE).unit("°C").type(DataType.INT16).scale(0.1)
                .flag(SensorFlag.ADVANCED).build();
        SensorDefinition spread = SensorDefinition.builder("spread").name("Spread")
                .category(SensorCategory.TEMPERATURE).unit("K").type(DataType.INT16).scale(0.1).build();
        SensorDefinition flow = SensorDefinition.builder("flow").name("Flow").category(SensorCategory.FLOW)
                .unit("l/min").type(DataType.UINT16).scale(0.1).build();
        SensorDefinition fault = SensorDefinition.builder("fault").name("Fault").category(SensorCategory.ALARM)
                .type(DataType.BOOL).build();
        Heatpump hp = heatpump("hp-1", new TestDriver());
        Map<String, JsonNode> c = new HashMap<>();
        for (SensorDefinition s : List.of(energy, status, advanced, spread, flow, fault)) {
            Discovery.Config cfg = DISCOVERY.entity(hp, s, "M", "X", "1.2", "0.2.0");
            c.put(s.id(), Payloads.JSON.readTree(cfg.payload()));
            assertEquals(List.of(), HomeAssistantRules.check(cfg.topic(), c.get(s.id())), s.id());
        }
        assertEquals("total_increasing", c.get("energy_heat").get("state_class").asText());
        assertEquals("energy", c.get("energy_heat").get("device_class").asText());
        assertEquals("diagnostic", c.get("status_pump").get("entity_category").asText());
        assertEquals("enum", c.get("status_pump").get("device_class").asText());
        assertFalse(c.get("temp_hot_gas").get("enabled_by_default").asBoolean(true));
        assertFalse(c.get("temp_outdoor") != null);
        assertNull(c.get("spread").get("device_class"), "a temperature difference is not a temperature in HA");
        assertEquals("L/min", c.get("flow").get("unit_of_measurement").asText());
        assertEquals("volume_flow_rate", c.get("flow").get("device_class").asText());
        assertEquals("{{ 'ON' if value_json.value == 1 else 'OFF' }}", c.get("fault").get("value_template").asText());
        assertEquals("1.2", c.get("fault").get("device").get("sw_version").asText());
    }

    @Test
    void announcedOnConnectAgainWhenHomeAssistantComesBackAndClearedForADeletedDevice() throws Exception {
        try (Fixture f = new Fixture(dir).startBroker().startManager()) {
            Fixture.Subscriber sub = f.subscribe("homeassistant/#");
            Heatpump hp = f.device("Basement");
            f.bridge(Map.of());
            f.awaitConnected();
            String node = "hpgw_" + Fixture.GATEWAY_ID + "_" + hp.id();
            String outdoor = "homeassistant/sensor/" + node + "/temp_outdoor/config";
            String gateway = "homeassistant/binary_sensor/hpgw_" + Fixture.GATEWAY_ID + "/connectivity/config";
            Fixture.await("announced", () -> sub.last(outdoor) != null && sub.last(gateway) != null
                    && sub.on("homeassistant/button/" + node + "/acknowledge_faults/config").size() == 1);
            assertEquals(1, sub.on(outdoor).size());

            sub.publish("homeassistant/status", "online", false);
            Fixture.await("announced again", () -> sub.on(outdoor).size() == 2);

            f.manager.delete(hp.id());
            Fixture.await("removed from HA", Duration.ofSeconds(30), () -> sub.last(outdoor).payload().isEmpty()
                    && sub.last("homeassistant/number/" + node + "/setpoint_dhw/config").payload().isEmpty());
            try (Fixture.Subscriber late = new Fixture.Subscriber(f.broker.url(), "homeassistant/#", null, null)) {
                Fixture.await("the gateway's own entity stays", () -> late.last(gateway) != null);
                assertNull(late.last(outdoor), "no retained config left for the deleted device");
            }
        }
    }
}
