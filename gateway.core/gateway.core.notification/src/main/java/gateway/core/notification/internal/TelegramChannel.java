package gateway.core.notification.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.Notification;
import gateway.core.api.NotificationChannel;
import gateway.core.api.NotificationDeliveryException;

/**
 * Telegram Bot API {@code sendMessage} (JSON {@code chat_id}, {@code text}) to each chat id. The Bot API has no
 * idempotency key; with several chats, a retry after a partial failure repeats the message to the chats that had
 * it already, so the error names the chats that failed.
 */
@Component(service = NotificationChannel.class, property = NotificationChannel.TYPE_PROPERTY + "=telegram")
public final class TelegramChannel implements NotificationChannel {

    /** A numeric chat id (negative for groups) or a public channel's {@code @username}. */
    static final Pattern CHAT = Pattern.compile("-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31}");
    static final Pattern TOKEN = Pattern.compile("[0-9]{3,15}:[A-Za-z0-9_-]{20,}");
    /** sendMessage's text limit. */
    static final int MAX_TEXT = 4096;

    private final JsonPost http = new JsonPost();

    @Override
    public String type() {
        return "telegram";
    }

    @Override
    public String description() {
        return "Telegram bot message to one or more chats; no idempotency key";
    }

    @Override
    public List<Setting> settings() {
        return List.of(new Setting("bot_token", "token from @BotFather (123456:ABC...)", true, true, null),
                new Setting("chat_ids", "chat ids, comma-separated", true, false, null),
                new Setting("api_url", "Bot API server (a self-hosted one)", false, false,
                        "https://api.telegram.org"));
    }

    @Override
    public void validate(Map<String, String> settings) throws InvalidConfigurationException {
        SettingsCheck check = new SettingsCheck(settings(), settings).url("api_url", false)
                .eachMatches("chat_ids", CHAT, "a chat id (a number) or @channelname");
        String token = SettingsCheck.value(settings, "bot_token");
        if (token != null && !TOKEN.matcher(token).matches()) {
            check.problem("'bot_token' does not look like a bot token (digits ':' letters)");
        }
        check.done();
    }

    @Override
    public void send(Map<String, String> settings, Notification n, String deliveryKey)
            throws NotificationDeliveryException {
        String token = SettingsCheck.value(settings, "bot_token");
        String api = SettingsCheck.value(settings, "api_url");
        String text = MessageText.cut(MessageText.of(n), MAX_TEXT);
        List<String> failed = new ArrayList<>();
        boolean retryable = false;
        NotificationDeliveryException last = null;
        for (String chat : SettingsCheck.list(settings, "chat_ids")) {
            try {
                http.post("Telegram", SettingsCheck.resolve(api == null ? "https://api.telegram.org" : api,
                                "/bot" + token + "/sendMessage"),
                        JsonPost.body(JsonPost.object("chat_id", chat, "text", text)), Map.of(), List.of(token));
            } catch (NotificationDeliveryException e) {
                failed.add(chat);
                retryable |= e.retryable();
                last = e;
            }
        }
        if (last != null) {
            throw new NotificationDeliveryException("chat " + String.join(", ", failed) + ": " + last.getMessage(),
                    retryable, last);
        }
    }
}
