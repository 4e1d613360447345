package gateway.core.notification.internal;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.Notification;
import gateway.core.api.NotificationChannel;
import gateway.core.api.NotificationDeliveryException;

/**
 * ntfy (ntfy.sh or self-hosted), published as JSON to the server's root URL (docs: "Publish as JSON"), with an
 * access token as {@code Authorization: Bearer}. ntfy has no idempotency key: a retry after a lost answer can show
 * the message twice.
 */
@Component(service = NotificationChannel.class, property = NotificationChannel.TYPE_PROPERTY + "=ntfy")
public final class NtfyChannel implements NotificationChannel {

    /** ntfy's topic rule: letters, digits, '_' and '-', at most 64. */
    static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final JsonPost http = new JsonPost();

    @Override
    public String type() {
        return "ntfy";
    }

    @Override
    public String description() {
        return "ntfy push (JSON publish); no idempotency key, a retry after a lost answer may repeat the message";
    }

    @Override
    public List<Setting> settings() {
        return List.of(new Setting("server", "ntfy server URL", false, false, "https://ntfy.sh"),
                new Setting("topic", "topic to publish to", true, false, null),
                new Setting("token", "access token (tk_...) for protected topics (optional)", false, true, null));
    }

    @Override
    public void validate(Map<String, String> settings) throws InvalidConfigurationException {
        SettingsCheck check = new SettingsCheck(settings(), settings).url("server", false);
        String topic = SettingsCheck.value(settings, "topic");
        if (topic != null && !TOPIC.matcher(topic).matches()) {
            check.problem("'topic' may hold letters, digits, '_' and '-' only (at most 64), got '" + topic + "'");
        }
        check.done();
    }

    @Override
    public void send(Map<String, String> settings, Notification n, String deliveryKey)
            throws NotificationDeliveryException {
        String server = SettingsCheck.value(settings, "server");
        byte[] body = JsonPost.body(JsonPost.object("topic", SettingsCheck.value(settings, "topic"),
                "title", n.title().isBlank() ? null : n.title(), "message", n.message(),
                "priority", priority(n.severity()), "tags", List.of(tag(n.severity()))));
        String token = SettingsCheck.value(settings, "token");
        http.post("ntfy", SettingsCheck.resolve(server == null ? "https://ntfy.sh" : server, "/"), body,
                token == null ? Map.of() : Map.of("Authorization", "Bearer " + token),
                token == null ? List.of() : List.of(token));
    }

    /** ntfy priorities: 3 default, 4 high, 5 urgent. */
    static int priority(String severity) {
        return switch (severity) {
            case "critical" -> 5;
            case "warning" -> 4;
            default -> 3;
        };
    }

    /** A tag ntfy shows as an emoji. */
    static String tag(String severity) {
        return switch (severity) {
            case "critical" -> "rotating_light";
            case "warning" -> "warning";
            default -> "information_source";
        };
    }
}
