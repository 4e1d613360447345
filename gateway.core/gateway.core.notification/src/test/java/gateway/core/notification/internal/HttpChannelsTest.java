package gateway.core.notification.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.Notification;
import gateway.core.api.NotificationDeliveryException;

/** Each HTTP channel against a real receiver, checking the request shape its service documents. */
class HttpChannelsTest {

    static final Notification ALERT = new Notification("alert-event-7", "Hot water low", "Hot water is 38.5 °C",
            "warning", List.of(), "hp-1", "alert:al-1", Instant.parse("2026-03-01T06:00:00Z"));
    static final String TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    Receiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = Receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void webhookPostsTheNotificationAsJsonSignedOverTheExactBodyWithTheDeliveryKeyAsIdempotencyKey()
            throws Exception {
        new WebhookChannel().send(Map.of("url", receiver.url() + "/hooks/gw", "secret", "hmac-key"), ALERT,
                "alert-event-7/ch-1");
        Receiver.Request r = receiver.requests.get(0);
        assertEquals("POST", r.method());
        assertEquals("/hooks/gw", r.path());
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        assertEquals("alert-event-7/ch-1", r.header("Idempotency-Key"));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("hmac-key".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertEquals("sha256=" + HexFormat.of().formatHex(mac.doFinal(r.body())), r.header("X-Gateway-Signature"));
        JsonNode json = r.json();
        assertEquals("Hot water is 38.5 °C", json.get("message").asText());
        assertEquals("Hot water low", json.get("title").asText());
        assertEquals("warning", json.get("severity").asText());
        assertEquals("hp-1", json.get("heatpump_id").asText());
        assertEquals("alert-event-7/ch-1", json.get("delivery_key").asText());
        assertEquals("2026-03-01T06:00:00Z", json.get("created_at").asText());
    }

    @Test
    void webhookWithoutSecretSendsNoSignature() throws Exception {
        new WebhookChannel().send(Map.of("url", receiver.url()), ALERT, "k/ch");
        assertNull(receiver.requests.get(0).header("X-Gateway-Signature"));
    }

    @Test
    void ntfyPublishesJsonToTheServerRootWithTopicPriorityAndBearerToken() throws Exception {
        new NtfyChannel().send(Map.of("server", receiver.url(), "topic", "heatpump_alerts", "token", "tk_abc123"),
                ALERT, "k/ch");
        Receiver.Request r = receiver.requests.get(0);
        assertEquals("POST", r.method());
        assertEquals("/", r.path());
        assertEquals("Bearer tk_abc123", r.header("Authorization"));
        JsonNode json = r.json();
        assertEquals("heatpump_alerts", json.get("topic").asText());
        assertEquals("Hot water is 38.5 °C", json.get("message").asText());
        assertEquals("Hot water low", json.get("title").asText());
        assertEquals(4, json.get("priority").asInt());
        assertEquals("warning", json.get("tags").get(0).asText());
    }

    @Test
    void telegramCallsSendMessageOncePerChat() throws Exception {
        new TelegramChannel().send(Map.of("api_url", receiver.url(), "bot_token", TOKEN,
                "chat_ids", "12345, -100987654"), ALERT, "k/ch");
        assertEquals(2, receiver.requests.size());
        for (Receiver.Request r : receiver.requests) {
            assertEquals("/bot" + TOKEN + "/sendMessage", r.path());
            assertEquals("Hot water low\nHot water is 38.5 °C", r.json().get("text").asText());
        }
        assertEquals(List.of("12345", "-100987654"), receiver.requests.stream().map(r -> {
            try {
                return r.json().get("chat_id").asText();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }).toList());
    }

    @Test
    void telegramErrorsNeverShowTheBotTokenAndABadChatIsNotRetried() {
        receiver.status.set(400);
        receiver.answer = "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found (bot"
                + TOKEN + ")\"}";
        NotificationDeliveryException e = assertThrows(NotificationDeliveryException.class,
                () -> new TelegramChannel().send(Map.of("api_url", receiver.url(), "bot_token", TOKEN,
                        "chat_ids", "42"), ALERT, "k/ch"));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("chat not found"), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
    }

    @Test
    void discordExecutesTheWebhookWithWaitAndContent() throws Exception {
        new DiscordChannel().send(Map.of("webhook_url", receiver.url() + "/api/webhooks/1234/tok-en",
                "username", "Heatpump"), ALERT, "k/ch");
        Receiver.Request r = receiver.requests.get(0);
        assertEquals("/api/webhooks/1234/tok-en", r.path());
        assertEquals("wait=true", r.query());
        JsonNode json = r.json();
        assertEquals("**Hot water low**\nHot water is 38.5 °C", json.get("content").asText());
        assertEquals("Heatpump", json.get("username").asText());
        assertEquals(0, json.get("allowed_mentions").get("parse").size());
    }

    @Test
    void discordCutsContentToItsLimit() throws Exception {
        Notification longOne = new Notification("k", "", "x".repeat(5000), "info", List.of(), null, "t", null);
        new DiscordChannel().send(Map.of("webhook_url", receiver.url() + "/w"), longOne, "k/ch");
        assertEquals(DiscordChannel.MAX_CONTENT, receiver.requests.get(0).json().get("content").asText().length());
    }

    @Test
    void signalPostsToV2SendWithSenderAndRecipients() throws Exception {
        receiver.status.set(201);
        receiver.answer = "{\"timestamp\":\"1700000000000\"}";
        new SignalChannel().send(Map.of("url", receiver.url() + "/", "number", "+431234567",
                "recipients", "+4915112345678,group.abcDEF123="), ALERT, "k/ch");
        Receiver.Request r = receiver.requests.get(0);
        assertEquals("/v2/send", r.path());
        JsonNode json = r.json();
        assertEquals("+431234567", json.get("number").asText());
        assertEquals("+4915112345678", json.get("recipients").get(0).asText());
        assertEquals("group.abcDEF123=", json.get("recipients").get(1).asText());
        assertEquals("Hot water low\nHot water is 38.5 °C", json.get("message").asText());
    }

    @Test
    void gotifyPostsMessageWithTheTokenInAHeaderNotTheUrl() throws Exception {
        new GotifyChannel().send(Map.of("url", receiver.url(), "token", "AbCdEf.123"), ALERT, "k/ch");
        Receiver.Request r = receiver.requests.get(0);
        assertEquals("/message", r.path());
        assertNull(r.query());
        assertEquals("AbCdEf.123", r.header("X-Gotify-Key"));
        JsonNode json = r.json();
        assertEquals("Hot water low", json.get("title").asText());
        assertEquals(5, json.get("priority").asInt());
    }

    @Test
    void serverErrorsAndRateLimitsAreRetryableRejectionsAreNot() {
        WebhookChannel webhook = new WebhookChannel();
        Map<String, String> settings = Map.of("url", receiver.url());
        for (int status : new int[] {500, 503, 429, 408}) {
            receiver.status.set(status);
            assertTrue(assertThrows(NotificationDeliveryException.class, () -> webhook.send(settings, ALERT, "k"))
                    .retryable(), "HTTP " + status);
        }
        for (int status : new int[] {400, 401, 403, 404}) {
            receiver.status.set(status);
            assertFalse(assertThrows(NotificationDeliveryException.class, () -> webhook.send(settings, ALERT, "k"))
                    .retryable(), "HTTP " + status);
        }
    }

    @Test
    void anUnreachableServiceIsRetryable() {
        String url = receiver.url();
        receiver.stop();
        NotificationDeliveryException e = assertThrows(NotificationDeliveryException.class,
                () -> new GotifyChannel().send(Map.of("url", url, "token", "AbCdEf.123"), ALERT, "k"));
        assertTrue(e.retryable());
        assertFalse(e.getMessage().contains("AbCdEf.123"));
    }

    @Test
    void validationNamesEveryBadSettingAndNeverEchoesASecretUrl() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new TelegramChannel().validate(Map.of("bot_token", "nope", "chat_ids", "12, abc",
                        "colour", "red")));
        assertEquals(3, e.problems().size(), e.problems().toString());
        InvalidConfigurationException discord = assertThrows(InvalidConfigurationException.class,
                () -> new DiscordChannel().validate(Map.of("webhook_url", "ftp://secret-token-here")));
        assertFalse(discord.getMessage().contains("secret-token-here"));
        assertThrows(InvalidConfigurationException.class,
                () -> new SignalChannel().validate(Map.of("url", "http://s:8080", "number", "0664123",
                        "recipients", "+4915112345678")));
        assertThrows(InvalidConfigurationException.class, () -> new NtfyChannel().validate(Map.of("topic", "a b")));
        assertThrows(InvalidConfigurationException.class, () -> new WebhookChannel().validate(Map.of()));
    }

    @Test
    void validSettingsPass() throws Exception {
        new TelegramChannel().validate(Map.of("bot_token", TOKEN, "chat_ids", "12345,@heatpump_news"));
        new SignalChannel().validate(Map.of("url", "http://signal:8080", "number", "+431234567",
                "recipients", "+4915112345678"));
        new NtfyChannel().validate(Map.of("topic", "heatpump_alerts"));
        new GotifyChannel().validate(Map.of("url", "https://push.example.org", "token", "x"));
        new DiscordChannel().validate(Map.of("webhook_url", "https://discord.com/api/webhooks/1/abc"));
        new WebhookChannel().validate(Map.of("url", "https://example.org/hook", "secret", "s"));
    }
}
