package gateway.core.notification.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.Notification;
import gateway.core.api.NotificationChannel;
import gateway.core.api.NotificationDeliveryException;

/**
 * Gotify {@code POST /message} with the application token in header {@code X-Gotify-Key} (kept out of the URL, so
 * out of access logs) and JSON {@code title}, {@code message}, {@code priority}. Gotify has no idempotency key.
 */
@Component(service = NotificationChannel.class, property = NotificationChannel.TYPE_PROPERTY + "=gotify")
public final class GotifyChannel implements NotificationChannel {

    private final JsonPost http = new JsonPost();

    @Override
    public String type() {
        return "gotify";
    }

    @Override
    public String description() {
        return "Gotify push (application token); no idempotency key";
    }

    @Override
    public List<Setting> settings() {
        return List.of(new Setting("url", "Gotify server URL", true, false, null),
                new Setting("token", "application token", true, true, null));
    }

    @Override
    public void validate(Map<String, String> settings) throws InvalidConfigurationException {
        new SettingsCheck(settings(), settings).url("url", false).done();
    }

    @Override
    public void send(Map<String, String> settings, Notification n, String deliveryKey)
            throws NotificationDeliveryException {
        String token = SettingsCheck.value(settings, "token");
        byte[] body = JsonPost.body(JsonPost.object("title", n.title().isBlank() ? "Heatpump Gateway" : n.title(),
                "message", n.message(), "priority", priority(n.severity())));
        http.post("Gotify", SettingsCheck.resolve(SettingsCheck.value(settings, "url"), "/message"), body,
                Map.of("X-Gotify-Key", token), List.of(token));
    }

    /** Gotify's clients: 0 silent, 1-3 quiet, 4-7 sound, 8+ high priority. */
    static int priority(String severity) {
        return switch (severity) {
            case "critical" -> 8;
            case "warning" -> 5;
            default -> 2;
        };
    }
}
