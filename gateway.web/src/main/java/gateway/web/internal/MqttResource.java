package gateway.web.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.MqttStatus;
import gateway.core.api.UserStore.Role;

/**
 * {@code GET /mqtt}: the MQTT bridge's state (connected, connecting, unauthorized...), last error and counters.
 * {@code GET/PUT /mqtt/settings}: the bridge's configuration, kept where the bridge reads it (ConfigAdmin pid
 * {@value #PID}, so a {@code deploy/gateway.mqtt.cfg}, the OSGi tooling and the console change the same values); the
 * bridge restarts with them. The password is write-only.
 */
final class MqttResource {

    static final String PID = "gateway.mqtt";
    private static final Logger LOG = LoggerFactory.getLogger(MqttResource.class);
    /** A topic level path without wildcards or spaces; {gateway_id} and {site} are filled in by the bridge. */
    private static final Pattern TOPIC = Pattern.compile("[^#+\\s]+");

    /** The settings as the console shows them; {@code password_set} instead of the password. */
    record MqttSettingsView(String brokerUrl, String username, boolean passwordSet, String clientId,
                            String topicPrefix, int qos, boolean discoveryEnabled, String discoveryPrefix,
                            boolean commandsEnabled, boolean legacyTopics, String tlsCaFile,
                            int publishIntervalSeconds) {
    }

    /** A change: absent fields stay; {@code password} "***" (the mask) or absent keeps it, "" removes it. */
    record MqttSettingsInput(String brokerUrl, String username, String password, String clientId, String topicPrefix,
                             Integer qos, Boolean discoveryEnabled, String discoveryPrefix, Boolean commandsEnabled,
                             Boolean legacyTopics, String tlsCaFile, Integer publishIntervalSeconds) {
    }

    volatile MqttStatus mqtt;
    private Supplier<ConfigurationAdmin> configAdmin = () -> null;

    void register(Router router, Supplier<ConfigurationAdmin> configAdmin) {
        this.configAdmin = configAdmin;
        router.add("GET", "/mqtt", Role.VIEWER,
                "State of the MQTT bridge: connection state, last error, messages published and dropped, commands",
                r -> status());
        router.add("GET", "/mqtt/settings", Role.ADMIN,
                "MQTT settings (ConfigAdmin pid gateway.mqtt); the password only as password_set", r -> view());
        router.add("PUT", "/mqtt/settings", Role.ADMIN,
                "Change MQTT settings; absent fields stay, the password is write-only; the bridge reconnects",
                this::put);
    }

    private Object status() {
        MqttStatus m = mqtt;
        if (m == null) {
            throw ApiException.unavailable("mqtt-unavailable", "MQTT unavailable",
                    "the MQTT bundle (gateway.core.mqtt) is not running");
        }
        return m.status();
    }

    private MqttSettingsView view() {
        Dictionary<String, Object> p = properties(admin());
        return new MqttSettingsView(text(p, "broker.url", ""), text(p, "username", ""),
                !text(p, "password", "").isEmpty(), text(p, "client.id", ""), text(p, "topic.prefix", "heatpump"),
                number(p, "qos", 1), flag(p, "discovery.enabled", true),
                text(p, "discovery.prefix", "homeassistant"), flag(p, "commands.enabled", false),
                flag(p, "legacy.topics", false), text(p, "tls.ca.file", ""), number(p, "publish.interval.seconds", 0));
    }

    private Object put(ApiRequest request) throws IOException {
        MqttSettingsInput in = request.body(MqttSettingsInput.class);
        List<String> errors = new ArrayList<>();
        if (in.brokerUrl() != null && !in.brokerUrl().isBlank()) {
            try {
                URI uri = new URI(in.brokerUrl().trim());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("tcp") || scheme.equals("ssl")) || uri.getHost() == null) {
                    errors.add("broker_url: tcp://host:1883 or ssl://host:8883");
                }
            } catch (URISyntaxException e) {
                errors.add("broker_url: not a URL");
            }
        }
        if (in.qos() != null && (in.qos() < 0 || in.qos() > 2)) {
            errors.add("qos: 0, 1 or 2");
        }
        if (in.publishIntervalSeconds() != null && (in.publishIntervalSeconds() < 0
                || in.publishIntervalSeconds() > 86_400)) {
            errors.add("publish_interval_seconds: 0 (every poll) to 86400");
        }
        if (in.topicPrefix() != null && !TOPIC.matcher(in.topicPrefix().trim()).matches()) {
            errors.add("topic_prefix: a topic without wildcards (+, #) or spaces");
        }
        if (in.discoveryPrefix() != null && !TOPIC.matcher(in.discoveryPrefix().trim()).matches()) {
            errors.add("discovery_prefix: a topic without wildcards (+, #) or spaces");
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid("invalid MQTT settings", errors);
        }
        ConfigurationAdmin admin = admin();
        if (admin == null) {
            throw ApiException.unavailable("configuration-unavailable", "Configuration unavailable",
                    "ConfigAdmin is not running, so the MQTT settings cannot be stored");
        }
        // "?": bound to no single bundle, so the MQTT bundle receives it whoever created it
        Configuration config = admin.getConfiguration(PID, "?");
        Dictionary<String, Object> props = config.getProperties() == null ? new Hashtable<>()
                : config.getProperties();
        set(props, "broker.url", in.brokerUrl());
        set(props, "username", in.username());
        if (in.password() != null && !in.password().equals(ApiModel.MASK)) {
            set(props, "password", in.password());
        }
        set(props, "client.id", in.clientId());
        set(props, "topic.prefix", in.topicPrefix());
        set(props, "qos", in.qos());
        set(props, "discovery.enabled", in.discoveryEnabled());
        set(props, "discovery.prefix", in.discoveryPrefix());
        set(props, "commands.enabled", in.commandsEnabled());
        set(props, "legacy.topics", in.legacyTopics());
        set(props, "tls.ca.file", in.tlsCaFile());
        set(props, "publish.interval.seconds", in.publishIntervalSeconds());
        config.updateIfDifferent(props);
        LOG.info("mqtt settings changed by={} (broker {})", request.actor(), props.get("broker.url"));
        return view();
    }

    private ConfigurationAdmin admin() {
        return configAdmin.get();
    }

    private static void set(Dictionary<String, Object> props, String key, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof String s && s.isBlank()) {
            props.remove(key);
        } else {
            props.put(key, value instanceof String s ? s.trim() : value);
        }
    }

    private static Dictionary<String, Object> properties(ConfigurationAdmin admin) {
        if (admin == null) {
            return new Hashtable<>();
        }
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + PID + ")");
            return found == null || found.length == 0 || found[0].getProperties() == null ? new Hashtable<>()
                    : found[0].getProperties();
        } catch (IOException | InvalidSyntaxException e) {
            return new Hashtable<>();
        }
    }

    private static String text(Dictionary<String, Object> p, String key, String fallback) {
        Object v = p.get(key);
        return v == null ? fallback : v.toString();
    }

    private static int number(Dictionary<String, Object> p, String key, int fallback) {
        Object v = p.get(key);
        if (v instanceof Number n) {
            return n.intValue();
        }
        try {
            return v == null ? fallback : Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static boolean flag(Dictionary<String, Object> p, String key, boolean fallback) {
        Object v = p.get(key);
        return v == null ? fallback : Boolean.parseBoolean(v.toString().trim());
    }
}
