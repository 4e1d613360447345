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
 * Signal through a signal-cli REST API server (bbernhard/signal-cli-rest-api): {@code POST /v2/send} with JSON
 * {@code message}, {@code number} (the registered sender) and {@code recipients} (numbers or {@code group.} ids).
 * The API has no idempotency key.
 */
@Component(service = NotificationChannel.class, property = NotificationChannel.TYPE_PROPERTY + "=signal")
public final class SignalChannel implements NotificationChannel {

    static final Pattern RECIPIENT = Pattern.compile("\\+[1-9][0-9]{6,14}|group\\.[A-Za-z0-9+/=_-]+");

    private final JsonPost http = new JsonPost();

    @Override
    public String type() {
        return "signal";
    }

    @Override
    public String description() {
        return "Signal message via a signal-cli REST API server; no idempotency key";
    }

    @Override
    public List<Setting> settings() {
        return List.of(new Setting("url", "signal-cli REST API base URL, e.g. http://signal:8080", true, false, null),
                new Setting("number", "the sender, registered with signal-cli (+4912345678)", true, false, null),
                new Setting("recipients", "numbers (+49...) or group ids (group....), comma-separated", true, false,
                        null));
    }

    @Override
    public void validate(Map<String, String> settings) throws InvalidConfigurationException {
        new SettingsCheck(settings(), settings).url("url", false).phone("number")
                .eachMatches("recipients", RECIPIENT, "a phone number (+4912345678) or a group id (group....)")
                .done();
    }

    @Override
    public void send(Map<String, String> settings, Notification n, String deliveryKey)
            throws NotificationDeliveryException {
        byte[] body = JsonPost.body(JsonPost.object("message", MessageText.of(n),
                "number", SettingsCheck.value(settings, "number"),
                "recipients", SettingsCheck.list(settings, "recipients")));
        http.post("signal-cli REST API", SettingsCheck.resolve(SettingsCheck.value(settings, "url"), "/v2/send"),
                body, Map.of(), List.of());
    }
}
