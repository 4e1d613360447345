package gateway.core.mqtt.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The configuration, checked once: what the bridge needs, or the list of problems that make it
 * {@code misconfigured}. Problems never quote a password.
 */
record MqttSettings(String brokerUrl, String username, String password, String clientId, String topicPrefix,
                    int qos, boolean discoveryEnabled, String discoveryPrefix, boolean commandsEnabled,
                    boolean legacyTopics, String caFile, String trustStore, String trustStorePassword,
                    int publishIntervalSeconds, int queueCapacity, List<String> problems) {

    /** MQTT topic levels we create must not contain wildcards or the level separator's neighbours. */
    private static final Pattern PREFIX = Pattern.compile("[^#+\\s]+(/[^#+\\s/]+)*");

    boolean enabled() {
        return !brokerUrl.isEmpty();
    }

    boolean tls() {
        return brokerUrl.toLowerCase(Locale.ROOT).startsWith("ssl://");
    }

    static MqttSettings of(MqttConfig c, String gatewayId) {
        return of(c, gatewayId, "");
    }

    /**
     * @param site the gateway's site label ("" when none); {@code {gateway_id}} and {@code {site}} in the topic
     *             prefix are replaced, so gateways that share a broker can keep apart (e.g. heatpump/{site})
     */
    static MqttSettings of(MqttConfig c, String gatewayId, String site) {
        List<String> problems = new ArrayList<>();
        String url = trim(c.broker_url());
        if (!url.isEmpty()) {
            try {
                URI uri = new URI(url);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("tcp") && !scheme.equals("ssl") || uri.getHost() == null) {
                    problems.add("'broker.url' must look like tcp://host:1883 or ssl://host:8883, got '" + url + "'");
                } else if (uri.getPort() == -1) {
                    // Paho needs the port; say the usual one rather than failing later with a cryptic message
                    url = url + ":" + (scheme.equals("ssl") ? 8883 : 1883);
                }
            } catch (URISyntaxException e) {
                problems.add("'broker.url' is not a URL: '" + url + "'");
            }
        }
        String prefix = trim(c.topic_prefix());
        if (prefix.contains("{site}") && (site == null || site.isEmpty())) {
            problems.add("'topic.prefix' uses {site} but the gateway has no site (gateway.identity.cfg)");
        }
        prefix = prefix.replace("{gateway_id}", gatewayId).replace("{site}", site == null ? "" : site);
        if (prefix.isEmpty() || !PREFIX.matcher(prefix).matches()) {
            problems.add("'topic.prefix' must be a topic without wildcards (+, #) or spaces, got '" + prefix + "'");
        }
        String discovery = trim(c.discovery_prefix());
        if (discovery.isEmpty() || !PREFIX.matcher(discovery).matches()) {
            problems.add("'discovery.prefix' must be a topic without wildcards, got '" + discovery + "'");
        }
        if (c.qos() < 0 || c.qos() > 2) {
            problems.add("'qos' must be 0, 1 or 2, got " + c.qos());
        }
        if (c.publish_interval_seconds() < 0) {
            problems.add("'publish.interval.seconds' must be 0 or more, got " + c.publish_interval_seconds());
        }
        String ca = trim(c.tls_ca_file());
        String store = trim(c.tls_truststore());
        if (!ca.isEmpty() && !Files.isReadable(Path.of(ca))) {
            problems.add("'tls.ca.file' is not a readable file: " + ca);
        }
        if (!store.isEmpty() && !Files.isReadable(Path.of(store))) {
            problems.add("'tls.truststore' is not a readable file: " + store);
        }
        String clientId = trim(c.client_id());
        if (clientId.isEmpty()) {
            clientId = "heatpump-gateway-" + gatewayId;
        }
        return new MqttSettings(url, trim(c.username()), c.password() == null ? "" : c.password(), clientId,
                prefix, c.qos(), c.discovery_enabled(), discovery, c.commands_enabled(), c.legacy_topics(), ca,
                store, c.tls_truststore_password() == null ? "" : c.tls_truststore_password(),
                Math.max(0, c.publish_interval_seconds()), Math.max(100, c.queue_capacity()), List.copyOf(problems));
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }

    @Override
    public String toString() { // records print every field; this one holds passwords
        return "MqttSettings[" + brokerUrl + ", client " + clientId + ", prefix " + topicPrefix + "]";
    }
}
