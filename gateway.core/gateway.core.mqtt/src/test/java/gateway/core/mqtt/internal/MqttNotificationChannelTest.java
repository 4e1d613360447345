package gateway.core.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.Notification;
import gateway.core.api.NotificationDeliveryException;
import gateway.core.testing.MosquittoProcess;

/** The {@code mqtt} notification channel kind against a real Mosquitto with a password file. */
class MqttNotificationChannelTest {

    @TempDir
    Path dir;
    final MqttNotificationChannel channel = new MqttNotificationChannel();
    final Notification alert = new Notification("alert-event-7", "Hot water", "Hot water below 40 °C: 38.5 °C",
            "warning", List.of(), "hp-1", "alert:al-1", Instant.parse("2026-12-06T07:00:00Z"));

    @Test
    void settingsAreCheckedWithoutEchoingThePassword() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> channel.validate(
                Map.of("broker_url", "http://x", "topic", "a/#", "qos", "0", "password", "hunter2", "colour", "red")));
        String text = e.getMessage() + e.problems();
        assertTrue(text.contains("broker_url") && text.contains("topic") && text.contains("qos")
                && text.contains("colour"), text);
        assertFalse(text.contains("hunter2"));
        assertTrue(channel.settings().stream().filter(s -> s.name().equals("password")).findFirst().orElseThrow()
                .secret());
        assertThrows(InvalidConfigurationException.class, () -> channel.validate(Map.of("topic", "a")));
    }

    @Test
    void aNotificationArrivesAsJsonOnItsTopicAndAWrongPasswordIsNotRetried() throws Exception {
        try (MosquittoProcess broker = new MosquittoProcess(dir).users("notify", "pa55word", "reader", "r")
                .start();
             Fixture.Subscriber sub = new Fixture.Subscriber(broker.url(), "alerts/#", "reader", "r")) {
            Map<String, String> settings = Map.of("broker_url", broker.url(), "topic", "alerts/heatpump",
                    "username", "notify", "password", "pa55word", "qos", "2");
            channel.validate(settings);
            channel.send(settings, alert, "delivery-7-1");
            JsonNode m = sub.awaitLast("alerts/heatpump").json();
            assertEquals("alert-event-7", m.get("key").asText());
            assertEquals("Hot water below 40 °C: 38.5 °C", m.get("message").asText());
            assertEquals("warning", m.get("severity").asText());
            assertEquals("hp-1", m.get("heatpump_id").asText());

            NotificationDeliveryException e = assertThrows(NotificationDeliveryException.class, () -> channel.send(
                    Map.of("broker_url", broker.url(), "topic", "alerts/heatpump", "username", "notify",
                            "password", "wrong"), alert, "delivery-7-2"));
            assertFalse(e.retryable());
            assertFalse(e.getMessage().contains("wrong"));
            broker.stop();
            NotificationDeliveryException away = assertThrows(NotificationDeliveryException.class,
                    () -> channel.send(settings, alert, "delivery-7-3"));
            assertTrue(away.retryable(), "a broker that is away is retried later");
        }
    }
}
