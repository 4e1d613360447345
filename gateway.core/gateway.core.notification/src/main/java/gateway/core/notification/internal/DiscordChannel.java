package gateway.core.notification.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.Notification;
import gateway.core.api.NotificationChannel;
import gateway.core.api.NotificationDeliveryException;

/**
 * Discord "Execute Webhook": JSON {@code content} (at most 2000 characters) to the webhook URL with {@code ?wait=true}
 * so that a 200 means the message exists. The URL holds the webhook's token, so it is a secret. Webhooks take no
 * idempotency key (the {@code nonce} check is for bot messages only).
 */
@Component(service = NotificationChannel.class, property = NotificationChannel.TYPE_PROPERTY + "=discord")
public final class DiscordChannel implements NotificationChannel {

    static final int MAX_CONTENT = 2000;

    private final JsonPost http = new JsonPost();

    @Override
    public String type() {
        return "discord";
    }

    @Override
    public String description() {
        return "Discord channel webhook; no idempotency key";
    }

    @Override
    public List<Setting> settings() {
        return List.of(new Setting("webhook_url", "https://discord.com/api/webhooks/<id>/<token>", true, true, null),
                new Setting("username", "name shown as the sender (optional)", false, false, null));
    }

    @Override
    public void validate(Map<String, String> settings) throws InvalidConfigurationException {
        new SettingsCheck(settings(), settings).url("webhook_url", true).done();
    }

    @Override
    public void send(Map<String, String> settings, Notification n, String deliveryKey)
            throws NotificationDeliveryException {
        String url = SettingsCheck.value(settings, "webhook_url");
        String title = n.title().isBlank() ? "" : "**" + n.title() + "**\n";
        byte[] body = JsonPost.body(JsonPost.object("content", MessageText.cut(title + n.message(), MAX_CONTENT),
                "username", SettingsCheck.value(settings, "username"),
                // no @everyone or role pings from a message text
                "allowed_mentions", Map.of("parse", List.of())));
        http.post("Discord", java.net.URI.create(url + (url.contains("?") ? "&" : "?") + "wait=true"), body,
                Map.of(), List.of(url));
    }
}
