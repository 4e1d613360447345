package gateway.core.store.internal;

import java.util.Map;
import java.util.Set;

/**
 * Which settings of a notification channel are sealed at rest. An installed kind declares its secrets
 * ({@code NotificationChannel.Setting#secret()}), but kinds are services that come and go, and schema migration 13
 * runs before any is installed; so the store also knows the secrets of the kinds shipped with the gateway and seals
 * what is named like a secret (password, token...). Sealing a setting that is no secret costs nothing; a secret left
 * in clear in the data folder is the thing to avoid.
 */
final class ChannelSecrets {

    /**
     * The secret settings of the kinds the gateway ships (gateway.core.notification and gateway.core.mqtt). Discord's
     * {@code webhook_url} is here because the URL carries the webhook's token, which no name rule can see.
     */
    static final Map<String, Set<String>> SHIPPED = Map.of(
            "webhook", Set.of("secret"),
            "email", Set.of("password"),
            "telegram", Set.of("bot_token"),
            "discord", Set.of("webhook_url"),
            "gotify", Set.of("token"),
            "ntfy", Set.of("token"),
            "mqtt", Set.of("password"));

    private ChannelSecrets() {
    }

    /** @param declared the secret settings the installed kind of {@code type} declares (empty when not installed) */
    static boolean isSecret(String type, String setting, Set<String> declared) {
        return declared.contains(setting) || SHIPPED.getOrDefault(type, Set.of()).contains(setting)
                || SecretCipher.isSecret(setting);
    }
}
