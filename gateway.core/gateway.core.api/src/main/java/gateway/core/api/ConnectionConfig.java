package gateway.core.api;

import java.util.Map;
import java.util.Objects;

/**
 * How to reach a device.
 *
 * @param host      host name or IP address
 * @param port      TCP port (502 for Modbus TCP, 8889 for Luxtronik)
 * @param unitId    Modbus unit id (ignored by non-Modbus protocols)
 * @param timeoutMs connect and per-request read timeout
 * @param options   protocol options (e.g. {@code max_block}, {@code password}); secrets are never returned by the API
 */
public record ConnectionConfig(String host, int port, int unitId, int timeoutMs, Map<String, String> options) {

    public static final int DEFAULT_TIMEOUT_MS = 3000;

    public ConnectionConfig {
        Objects.requireNonNull(host, "host");
        options = options == null ? Map.of() : Map.copyOf(options);
        if (timeoutMs <= 0) {
            timeoutMs = DEFAULT_TIMEOUT_MS;
        }
    }

    public ConnectionConfig(String host, int port, int unitId) {
        this(host, port, unitId, DEFAULT_TIMEOUT_MS, Map.of());
    }

    /** The identity the manager refuses to share between two devices. */
    public String endpointKey() {
        return host.trim().toLowerCase() + ":" + port + ":" + unitId;
    }

    public String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }
}
