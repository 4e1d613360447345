package gateway.core.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Managing configured channels as the API and console do: settings are checked by their kind, secrets are masked on
 * the way out and a masked value sent back keeps the stored secret.
 */
@ProviderType
public interface NotificationChannels {

    /** What a secret reads as; sending it back in an update keeps the stored value. */
    String MASK = "********";

    /** A kind of channel that is installed, with the settings it takes. */
    record ChannelType(String type, String description, List<NotificationChannel.Setting> settings) {
    }

    /** Outcome of a test message. */
    record TestResult(boolean delivered, String error, boolean retryable) {
    }

    List<ChannelType> types();

    /** Every channel, secrets masked. */
    List<NotificationChannelStore.ChannelConfig> list();

    Optional<NotificationChannelStore.ChannelConfig> get(String id);

    /**
     * Creates (id null or blank) or replaces a channel after checking it; a secret sent as {@link #MASK} keeps the
     * stored one.
     *
     * @return the stored channel, secrets masked
     * @throws InvalidConfigurationException unknown type, missing name, or settings its kind rejects
     */
    NotificationChannelStore.ChannelConfig save(NotificationChannelStore.ChannelConfig channel)
            throws InvalidConfigurationException;

    boolean delete(String id);

    /**
     * Sends a test message now, bypassing the outbox.
     *
     * @return empty when no channel has that id
     */
    Optional<TestResult> test(String id);

}
