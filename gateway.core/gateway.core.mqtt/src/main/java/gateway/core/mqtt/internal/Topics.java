package gateway.core.mqtt.internal;

import java.util.Optional;
import java.util.regex.Pattern;

/** The topic contract of issue #13, in one place. */
final class Topics {

    /** Home Assistant's rule for node and object ids in discovery topics. */
    private static final Pattern NOT_ID = Pattern.compile("[^a-zA-Z0-9_-]");

    /** A command's device and sensor, parsed from {@code <prefix>/<hp_id>/<sensor>/set}. */
    record Command(String heatpumpId, String sensorId) {
    }

    private final String prefix;
    private final String discoveryPrefix;

    Topics(String prefix, String discoveryPrefix) {
        this.prefix = prefix;
        this.discoveryPrefix = discoveryPrefix;
    }

    String value(String heatpumpId, String sensorId) {
        return prefix + "/" + heatpumpId + "/" + sensorId;
    }

    /** The original's bare topic, for {@code hp-legacy} with {@code legacy.topics}. */
    String legacyValue(String sensorId) {
        return prefix + "/" + sensorId;
    }

    String state(String heatpumpId) {
        return prefix + "/" + heatpumpId + "/state";
    }

    String availability(String heatpumpId) {
        return prefix + "/" + heatpumpId + "/availability";
    }

    String gatewayAvailability() {
        return prefix + "/gateway/availability";
    }

    String commandFilter() {
        return prefix + "/+/+/set";
    }

    String command(String heatpumpId, String sensorId) {
        return prefix + "/" + heatpumpId + "/" + sensorId + "/set";
    }

    String commandResult(String heatpumpId, String sensorId) {
        return command(heatpumpId, sensorId) + "/result";
    }

    String homeAssistantStatus() {
        return discoveryPrefix + "/status";
    }

    /** {@code <discovery prefix>/<component>/<node id>/<object id>/config}. */
    String discoveryConfig(String component, String nodeId, String objectId) {
        return discoveryPrefix + "/" + component + "/" + id(nodeId) + "/" + id(objectId) + "/config";
    }

    Optional<Command> parseCommand(String topic) {
        if (!topic.startsWith(prefix + "/") || !topic.endsWith("/set")) {
            return Optional.empty();
        }
        String[] parts = topic.substring(prefix.length() + 1, topic.length() - "/set".length()).split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Command(parts[0], parts[1]));
    }

    /** Makes a text usable as a Home Assistant node or object id (letters, digits, '_' and '-'). */
    static String id(String text) {
        return NOT_ID.matcher(text).replaceAll("_");
    }
}
