package gateway.core.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The user's configured notification channels. Secret settings (those an installed kind declares
 * {@linkplain NotificationChannel.Setting#secret() secret}, and those named like one) are encrypted at rest and
 * handed out as they were saved: masking is the caller's job, see {@code NotificationChannels}.
 */
@ProviderType
public interface NotificationChannelStore {

    /** @param type the {@link NotificationChannel#type()} that delivers it */
    record ChannelConfig(String id, String type, String name, boolean enabled, Map<String, String> settings,
                         Instant updatedAt) {
        public ChannelConfig {
            settings = settings == null ? Map.of() : Map.copyOf(settings);
        }
    }

    List<ChannelConfig> list();

    Optional<ChannelConfig> get(String id);

    /** Inserts (a new id when id is null or blank) or replaces the channel with that id. */
    ChannelConfig save(ChannelConfig channel);

    boolean delete(String id);
}
