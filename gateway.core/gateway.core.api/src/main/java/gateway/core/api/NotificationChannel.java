package gateway.core.api;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One kind of notification channel (webhook, e-mail, Telegram...), registered as a service: a bundle adds a kind by
 * registering one. The user's configured channels ({@link NotificationChannelStore}) name their kind by
 * {@link #type()} and carry the settings it takes; the outbox calls {@link #send} with them.
 *
 * <p>Implementations hold no per-channel state: everything a delivery needs is in the settings passed in, so one
 * service serves every configured channel of its kind. They never log or echo a {@linkplain Setting#secret() secret}.
 */
@ConsumerType
public interface NotificationChannel {

    /** Service property with the {@link #type()}, so the whiteboard can tell kinds apart without calling them. */
    String TYPE_PROPERTY = "notification.channel.type";

    /**
     * One setting the kind takes. Values are text; a list (recipients, chat ids) is comma-separated.
     *
     * @param secret write-only: masked when read back, never logged
     */
    record Setting(String name, String description, boolean required, boolean secret, String defaultValue) {
    }

    /** Short stable id, lower case ({@code webhook}, {@code email}...). */
    String type();

    /** A line for people: what it is and, where it has one, how it avoids duplicates on retry. */
    String description();

    List<Setting> settings();

    /**
     * Checks settings without sending anything (syntax of URLs, addresses, numbers; required ones present).
     *
     * @throws InvalidConfigurationException with one problem per bad setting; secrets' values never appear in them
     */
    void validate(Map<String, String> settings) throws InvalidConfigurationException;

    /**
     * Delivers one notification; returns only when the service accepted it.
     *
     * @param deliveryKey stable per notification and channel, the same on every retry: sent as the service's
     *                    idempotency key where it has one
     * @throws NotificationDeliveryException when it was not accepted, saying whether a retry can help
     */
    void send(Map<String, String> settings, Notification notification, String deliveryKey)
            throws NotificationDeliveryException;
}
