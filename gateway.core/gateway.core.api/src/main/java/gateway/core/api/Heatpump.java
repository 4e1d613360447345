package gateway.core.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A configured device.
 *
 * @param id                  stable id ({@code hp-xxxxxxxx}, or {@code hp-legacy} for the migrated original device);
 *                            null only in a definition handed to {@link HeatpumpManager#create}, which assigns one
 * @param pollIntervalSeconds poll period
 */
public record Heatpump(String id, String name, String manufacturer, String model, ConnectionConfig connection,
                       DeviceConfig deviceConfig, int pollIntervalSeconds, boolean enabled, Instant createdAt,
                       Instant updatedAt) {

    public Heatpump {
        Objects.requireNonNull(manufacturer, "manufacturer");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(connection, "connection");
        deviceConfig = deviceConfig == null ? DeviceConfig.empty() : deviceConfig;
    }

    public Heatpump withId(String newId) {
        return new Heatpump(newId, name, manufacturer, model, connection, deviceConfig, pollIntervalSeconds, enabled,
                createdAt, updatedAt);
    }

    public Heatpump withEnabled(boolean on) {
        return new Heatpump(id, name, manufacturer, model, connection, deviceConfig, pollIntervalSeconds, on,
                createdAt, Instant.now());
    }
}
