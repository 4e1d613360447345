package gateway.core.api;

import java.util.List;
import java.util.Map;

/**
 * What is installed at the device, chosen per device: heating circuits (e.g. "A".."G"), zone modules (indices), and
 * driver-specific options (e.g. a NIBE firmware variant).
 */
public record DeviceConfig(List<String> circuits, List<Integer> zones, Map<String, String> options) {

    public DeviceConfig {
        circuits = circuits == null ? List.of() : List.copyOf(circuits);
        zones = zones == null ? List.of() : List.copyOf(zones);
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    public static DeviceConfig empty() {
        return new DeviceConfig(List.of(), List.of(), Map.of());
    }

    public static DeviceConfig of(List<String> circuits, List<Integer> zones) {
        return new DeviceConfig(circuits, zones, Map.of());
    }
}
