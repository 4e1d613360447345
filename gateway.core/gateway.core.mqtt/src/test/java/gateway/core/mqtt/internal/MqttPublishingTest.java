package gateway.core.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.Heatpump;
import gateway.core.api.MqttStatus;
import gateway.core.testing.TestDriver;

/** Values, state and availability through a real Mosquitto, from the real manager polling a simulator. */
class MqttPublishingTest {

    @TempDir
    Path dir;
    Fixture f;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(dir).startBroker().startManager();
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void valuesStateAndAvailabilityArriveWithTheContractedTopicsAndPayloads() throws Exception {
        Fixture.Subscriber sub = f.subscribe("heatpump/#");
        Heatpump hp = f.device("Basement");
        f.bridge(Map.of());
        f.awaitConnected();

        // the simulator's initial values (TestDriver.initialValues): outdoor 7.5 °C, DHW setpoint 48, mode 1 "auto"
        JsonNode outdoor = sub.awaitLast("heatpump/" + hp.id() + "/temp_outdoor").json();
        assertEquals(7.5, outdoor.get("value").asDouble(), 1e-9);
        assertEquals("°C", outdoor.get("unit").asText());
        assertEquals("good", outdoor.get("quality").asText());
        Instant.parse(outdoor.get("timestamp").asText()); // ISO-8601
        assertFalse(outdoor.has("text"), "text only for enums: " + outdoor);
        JsonNode mode = sub.awaitLast("heatpump/" + hp.id() + "/operating_mode").json();
        assertEquals(1, mode.get("value").asInt());
        assertEquals("auto", mode.get("text").asText());
        assertTrue(mode.get("value").isIntegralNumber(), "enum values as whole numbers: " + mode);

        // (published retained: a subscriber that was already there gets it without the flag; the late one below
        // sees the flag)
        Fixture.Received state = sub.awaitLast("heatpump/" + hp.id() + "/state");
        assertEquals(7.5, state.json().get("temp_outdoor").asDouble(), 1e-9);
        assertEquals(48, state.json().get("setpoint_dhw").asInt());
        assertEquals(1.25, state.json().get("power_electric").asDouble(), 1e-9);
        assertFalse(state.json().has("acknowledge_faults"), "a write-only sensor has no value: " + state.payload());

        assertEquals("online", sub.awaitLast("heatpump/" + hp.id() + "/availability").payload());
        assertEquals("online", sub.awaitLast("heatpump/gateway/availability").payload());

        // a new subscriber gets the retained topics at once: state, availability, gateway availability
        try (Fixture.Subscriber late = new Fixture.Subscriber(f.broker.url(), "heatpump/#", null, null)) {
            Fixture.await("retained state", () -> late.last("heatpump/" + hp.id() + "/state") != null
                    && late.last("heatpump/" + hp.id() + "/availability") != null
                    && late.last("heatpump/gateway/availability") != null);
            // the broker hands the retained copies over first; the next poll's state may follow, live (not retained)
            assertTrue(late.on("heatpump/" + hp.id() + "/state").get(0).retained());
            assertTrue(late.on("heatpump/" + hp.id() + "/availability").get(0).retained());
        }
        MqttStatus.Connection s = f.bridge.status();
        assertEquals("connected", s.state());
        assertTrue(s.published() > 0);
        assertEquals(1, s.connects());
    }

    @Test
    void availabilityFollowsTheDeviceNotTheGateway() throws Exception {
        Fixture.Subscriber sub = f.subscribe("heatpump/#");
        Heatpump hp = f.device("Basement");
        f.bridge(Map.of());
        f.awaitConnected();
        String topic = "heatpump/" + hp.id() + "/availability";
        Fixture.await("online", () -> sub.last(topic) != null && sub.last(topic).payload().equals("online"));
        f.devices.get(0).stop();
        Fixture.await("offline when the device stops answering",
                () -> sub.last(topic).payload().equals("offline"));
        assertEquals("online", sub.last("heatpump/gateway/availability").payload(), "the gateway is still there");
        f.devices.get(0).restart();
        Fixture.await("online again", Duration.ofSeconds(30), () -> sub.last(topic).payload().equals("online"));
    }

    @Test
    void gatewayGoesOfflineOnStopAndItsLastWillSaysOfflineToo() throws Exception {
        Fixture.Subscriber sub = f.subscribe("heatpump/gateway/availability");
        f.bridge(Map.of());
        f.awaitConnected();
        Fixture.await("online", () -> sub.last("heatpump/gateway/availability") != null
                && sub.last("heatpump/gateway/availability").payload().equals("online"));
        var will = new BrokerConnection(MqttSettings.of(Fixture.config(Map.of("broker_url", f.broker.url())), "x"),
                null).options();
        assertEquals("offline", new String(will.getWillMessage().getPayload()));
        assertEquals("heatpump/gateway/availability", will.getWillDestination());
        assertTrue(will.getWillMessage().isRetained());
        f.bridge.deactivate();
        Fixture.await("offline", () -> sub.last("heatpump/gateway/availability").payload().equals("offline"));
        f.manager.removeListener(f.bridge);
        f.bridge = null;
    }

    @Test
    void brokerRestartReconnectsAndRepublishesTheLatestState() throws Exception {
        Heatpump hp = f.device("Basement");
        f.bridge(Map.of());
        f.awaitConnected();
        Fixture.await("first poll", () -> f.latest(hp.id()).isPresent());
        f.broker.restart(); // persistence off: every retained message is gone
        Fixture.await("reconnected", Duration.ofSeconds(60), () -> f.bridge.status().connects() == 2
                && f.bridge.status().state().equals("connected"));
        try (Fixture.Subscriber late = new Fixture.Subscriber(f.broker.url(), "#", null, null)) {
            Fixture.await("state, availability and discovery republished", () ->
                    late.last("heatpump/" + hp.id() + "/state") != null
                            && late.last("heatpump/" + hp.id() + "/availability") != null
                            && late.last("heatpump/gateway/availability") != null
                            && late.last("homeassistant/sensor/hpgw_" + Fixture.GATEWAY_ID + "_"
                            + hp.id().replace('-', '-') + "/temp_outdoor/config") != null);
            assertEquals(7.5, late.last("heatpump/" + hp.id() + "/state").json().get("temp_outdoor").asDouble(),
                    1e-9);
        }
    }

    @Test
    void whileTheBrokerIsAwayValueMessagesAreDroppedAndCountedAndPollingGoesOn() throws Exception {
        Heatpump hp = f.device("Basement");
        f.bridge(Map.of());
        f.awaitConnected();
        f.broker.stop();
        Fixture.await("connection lost", () -> !f.bridge.status().state().equals("connected"));
        long dropped = f.bridge.status().dropped();
        Instant before = f.latest(hp.id()).orElseThrow().time();
        Fixture.await("polls go on and their messages are counted as dropped", Duration.ofSeconds(30),
                () -> f.bridge.status().dropped() >= dropped + TestDriver.SENSORS.size()
                        && f.latest(hp.id()).orElseThrow().time().isAfter(before));
        MqttStatus.Connection s = f.bridge.status();
        assertTrue(s.state().equals("connecting") || s.state().equals("unreachable"), s.state());
        assertNotNull(s.lastError());
        assertEquals(0, s.queued(), "nothing queued for later");
    }

    @Test
    void publishIntervalKeepsOneValueMessagePerSensorPerIntervalButEnumChangesGoOutAtOnce() {
        PublishThrottle t = new PublishThrottle(60);
        var outdoor = TestDriver.OUTDOOR;
        var mode = TestDriver.MODE;
        Instant t0 = Instant.parse("2026-01-15T06:00:00Z");
        assertTrue(t.due("hp", "temp_outdoor", gateway.core.api.SensorReading.good("temp_outdoor", 7, null, t0),
                outdoor, t0));
        assertFalse(t.due("hp", "temp_outdoor", gateway.core.api.SensorReading.good("temp_outdoor", 8, null, t0),
                outdoor, t0.plusSeconds(30)), "a number within the interval waits");
        assertTrue(t.due("hp", "temp_outdoor", gateway.core.api.SensorReading.good("temp_outdoor", 8, null, t0),
                outdoor, t0.plusSeconds(60)));
        assertTrue(t.due("hp", "operating_mode", gateway.core.api.SensorReading.good("operating_mode", 1, "auto", t0),
                mode, t0));
        assertFalse(t.due("hp", "operating_mode", gateway.core.api.SensorReading.good("operating_mode", 1, "auto",
                t0), mode, t0.plusSeconds(10)), "an unchanged enum waits");
        assertTrue(t.due("hp", "operating_mode", gateway.core.api.SensorReading.good("operating_mode", 2, "heating",
                t0), mode, t0.plusSeconds(11)), "a changed enum goes out at once");
        assertTrue(new PublishThrottle(0).due("hp", "temp_outdoor",
                gateway.core.api.SensorReading.good("temp_outdoor", 7, null, t0), outdoor, t0));
    }

    @Test
    void publishIntervalHoldsBackValueMessagesFromTheRealPolls() throws Exception {
        Fixture.Subscriber sub = f.subscribe("heatpump/+/temp_outdoor");
        Heatpump hp = f.device("Basement");
        f.bridge(Map.of("publish_interval_seconds", 3600));
        f.awaitConnected();
        String topic = "heatpump/" + hp.id() + "/temp_outdoor";
        sub.awaitLast(topic);
        long polls = f.manager.listenerStats().stream().mapToLong(l -> l.delivered()).sum();
        Fixture.await("three more polls", Duration.ofSeconds(30), () -> f.manager.listenerStats().stream()
                .mapToLong(l -> l.delivered()).sum() >= polls + 3);
        // one from the first poll, plus at most the republish right after connecting
        assertTrue(sub.on(topic).size() <= 2, "messages: " + sub.on(topic).size());
    }
}
