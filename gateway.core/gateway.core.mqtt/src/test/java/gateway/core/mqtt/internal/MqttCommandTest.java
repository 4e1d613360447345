package gateway.core.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.AuditLog;
import gateway.core.api.Heatpump;
import gateway.core.testing.SimulatedDevice;
import gateway.core.testing.TestDriver;

/**
 * Commands from a real MQTT client through Mosquitto into the real manager's write path and a Modbus simulator: only
 * a valid command, with commands and the write switch on, reaches the device, exactly once, audited as "mqtt".
 */
class MqttCommandTest {

    @TempDir
    Path dir;
    Fixture f;
    Heatpump hp;
    SimulatedDevice device;
    Fixture.Subscriber client;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(dir).startBroker().startManager();
        hp = f.device("Basement");
        device = f.devices.get(0);
        client = f.subscribe("heatpump/+/+/set/result");
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    String set(String sensor) {
        return "heatpump/" + hp.id() + "/" + sensor + "/set";
    }

    /** Sends a command and waits for its (n-th) result. */
    JsonNode command(String sensor, String payload) throws Exception {
        String resultTopic = set(sensor) + "/result";
        int before = client.on(resultTopic).size();
        client.publish(set(sensor), payload, false);
        Fixture.await("a result on " + resultTopic, () -> client.on(resultTopic).size() > before);
        return client.on(resultTopic).get(before).json();
    }

    List<AuditLog.Entry> mqttAudit() {
        return f.audit.entries.stream().filter(e -> e.actor().equals("mqtt")).toList();
    }

    @Test
    void withCommandsDisabledNothingIsWritten() throws Exception {
        f.manager.setWriteEnabled(true, "test");
        f.bridge(Map.of()); // commands.enabled defaults to false
        f.awaitConnected();
        JsonNode r = command("setpoint_dhw", "55");
        assertEquals("skipped", r.get("status").asText());
        assertTrue(r.get("detail").asText().contains("commands.enabled"), r.toString());
        assertEquals(0, device.writes(TestDriver.DHW_SETPOINT));
        assertEquals(48, device.value(TestDriver.DHW_SETPOINT), 1e-9);
        assertEquals(List.of(), mqttAudit());
    }

    @Test
    void onlyTheValidCommandReachesTheDeviceOnceAndIsAudited() throws Exception {
        f.bridge(Map.of("commands_enabled", true));
        f.awaitConnected();

        // write switch off (the manager's default): skipped, as a job would be
        JsonNode off = command("setpoint_dhw", "55");
        assertEquals("skipped", off.get("status").asText(), off.toString());
        f.manager.setWriteEnabled(true, "test");

        // out of range: the DHW setpoint takes 35..60
        JsonNode high = command("setpoint_dhw", "80");
        assertEquals("rejected", high.get("status").asText(), high.toString());
        JsonNode word = command("setpoint_dhw", "warm");
        assertEquals("rejected", word.get("status").asText(), word.toString());
        JsonNode readOnly = command("temp_outdoor", "20");
        assertEquals("rejected", readOnly.get("status").asText(), readOnly.toString());
        assertEquals(0, device.writes(TestDriver.DHW_SETPOINT), "nothing reached the device yet");

        JsonNode ok = command("setpoint_dhw", "55");
        assertEquals("ok", ok.get("status").asText(), ok.toString());
        Fixture.await("the device holds 55", () -> device.value(TestDriver.DHW_SETPOINT) == 55);
        assertEquals(1, device.writes(TestDriver.DHW_SETPOINT), "written exactly once");
        // the write path audits refusals too; exactly one write succeeded, audited as "mqtt"
        List<AuditLog.Entry> audit = mqttAudit().stream().filter(e -> e.result().equals("ok")).toList();
        assertEquals(1, audit.size(), "audited once: " + f.audit.entries);
        assertEquals(55, audit.get(0).newValue(), 1e-9);
        assertEquals(hp.id(), audit.get(0).heatpumpId());
        assertEquals("setpoint_dhw", audit.get(0).sensorId());
        assertEquals(1, f.bridge.status().commandsAccepted());
        assertTrue(f.bridge.status().commandsRefused() >= 4);
    }

    @Test
    void enumCommandsTakeALabelAndRetainedCommandsAreNeverReplayed() throws Exception {
        f.manager.setWriteEnabled(true, "test");
        // a retained command left on the broker before the gateway connects
        client.publish(set("setpoint_room"), "22", true);
        f.bridge(Map.of("commands_enabled", true));
        f.awaitConnected();
        Fixture.await("the retained command answered", () -> client.last(set("setpoint_room") + "/result") != null);
        JsonNode retained = client.last(set("setpoint_room") + "/result").json();
        assertEquals("skipped", retained.get("status").asText(), retained.toString());
        assertTrue(retained.get("detail").asText().contains("retained"), retained.toString());
        assertEquals(0, device.writes(TestDriver.ROOM_SETPOINT));

        JsonNode mode = command("operating_mode", "Heating");
        assertEquals("ok", mode.get("status").asText(), mode.toString());
        assertEquals(2, device.value(TestDriver.MODE), 1e-9);
        JsonNode unknown = command("operating_mode", "turbo");
        assertEquals("rejected", unknown.get("status").asText());
        assertTrue(unknown.get("detail").asText().contains("off, auto, heating"), unknown.toString());
        assertEquals(1, device.writes(TestDriver.MODE));

        // a reconnect brings the retained command again: still not written
        f.broker.restart();
        client.close();
        Fixture.await("reconnected", java.time.Duration.ofSeconds(60), () -> f.bridge.status().connects() == 2
                && f.bridge.status().state().equals("connected"));
        assertEquals(0, device.writes(TestDriver.ROOM_SETPOINT));
    }
}
