package gateway.core.api;

import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Persistent gateway settings (key/value), such as the global write switch. */
@ProviderType
public interface SettingsStore {

    String WRITE_ENABLED = "write_enabled";

    Optional<String> get(String key);

    void put(String key, String value);

    Map<String, String> all();
}
