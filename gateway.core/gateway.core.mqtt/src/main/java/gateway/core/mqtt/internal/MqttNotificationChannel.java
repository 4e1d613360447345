package gateway.core.mqtt.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.databind.node.ObjectNode;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.Notification;
import gateway.core.api.NotificationChannel;
import gateway.core.api.NotificationDeliveryException;

/**
 * The {@code mqtt} notification channel kind: each notification is one JSON message on a topic of the broker the
 * channel names, sent with QoS 1 or 2 and accepted when the broker acknowledges it. It opens a short connection
 * per delivery (the outbox delivers rarely, and a channel holds no state), separate from the gateway's own MQTT
 * connection. MQTT has no idempotency key: the message carries the notification's {@code key} so a subscriber can
 * drop the duplicate a retry after a lost acknowledgement may cause.
 */
@Component(service = NotificationChannel.class, property = NotificationChannel.TYPE_PROPERTY + "=mqtt")
public final class MqttNotificationChannel implements NotificationChannel {

    @Override
    public String type() {
        return "mqtt";
    }

    @Override
    public String description() {
        return "MQTT message (JSON) on a topic; QoS 1 or 2; carries the notification key, since MQTT has no "
                + "idempotency key a retry after a lost acknowledgement may repeat it";
    }

    @Override
    public List<Setting> settings() {
        return List.of(new Setting("broker_url", "tcp://host:1883 or ssl://host:8883", true, false, null),
                new Setting("topic", "topic to publish to, e.g. heatpump/notifications", true, false, null),
                new Setting("username", "user name (optional)", false, false, null),
                new Setting("password", "password", false, true, null),
                new Setting("qos", "1 or 2", false, false, "1"),
                new Setting("retain", "true keeps the last notification on the broker for new subscribers", false,
                        false, "false"),
                new Setting("ca_file", "PEM file of the CA that signed the broker's certificate (ssl:// only)",
                        false, false, null));
    }

    @Override
    public void validate(Map<String, String> settings) throws InvalidConfigurationException {
        List<String> problems = new ArrayList<>();
        for (Setting s : settings()) {
            if (s.required() && value(settings, s.name()) == null) {
                problems.add("'" + s.name() + "' is required");
            }
        }
        for (String name : settings.keySet()) {
            if (settings().stream().noneMatch(s -> s.name().equals(name))) {
                problems.add("unknown setting '" + name + "'");
            }
        }
        String url = value(settings, "broker_url");
        if (url != null) {
            try {
                URI uri = new URI(url);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("tcp") && !scheme.equals("ssl") || uri.getHost() == null) {
                    problems.add("'broker_url' must look like tcp://host:1883 or ssl://host:8883, got '" + url + "'");
                }
            } catch (URISyntaxException e) {
                problems.add("'broker_url' is not a URL: '" + url + "'");
            }
        }
        String topic = value(settings, "topic");
        if (topic != null && (topic.contains("+") || topic.contains("#"))) {
            problems.add("'topic' must not contain the wildcards + or #, got '" + topic + "'");
        }
        String qos = value(settings, "qos");
        if (qos != null && !qos.equals("1") && !qos.equals("2")) {
            problems.add("'qos' must be 1 or 2, got '" + qos + "'");
        }
        String retain = value(settings, "retain");
        if (retain != null && !retain.equalsIgnoreCase("true") && !retain.equalsIgnoreCase("false")) {
            problems.add("'retain' must be true or false, got '" + retain + "'");
        }
        String ca = value(settings, "ca_file");
        if (ca != null && !Files.isReadable(Path.of(ca))) {
            problems.add("'ca_file' is not a readable file: " + ca);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    @Override
    public void send(Map<String, String> settings, Notification n, String deliveryKey)
            throws NotificationDeliveryException {
        String url = value(settings, "broker_url");
        ObjectNode body = Payloads.JSON.createObjectNode();
        body.put("key", n.key());
        body.put("delivery_key", deliveryKey);
        body.put("title", n.title());
        body.put("message", n.message());
        body.put("severity", n.severity());
        body.put("heatpump_id", n.heatpumpId());
        body.put("source", n.source());
        body.put("created_at", n.createdAt().toString());
        MqttMessage m = new MqttMessage(Payloads.bytes(body));
        m.setQos("2".equals(value(settings, "qos")) ? 2 : 1);
        m.setRetained("true".equalsIgnoreCase(value(settings, "retain")));
        MqttClient client = null;
        try {
            client = new MqttClient(url, "heatpump-gateway-notify-" + UUID.randomUUID().toString().substring(0, 8),
                    new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            o.setCleanSession(true);
            o.setConnectionTimeout(10);
            String user = value(settings, "username");
            if (user != null) {
                o.setUserName(user);
                String pw = settings.get("password");
                o.setPassword(pw == null ? new char[0] : pw.toCharArray());
            }
            if (url.toLowerCase(Locale.ROOT).startsWith("ssl://")) {
                String ca = value(settings, "ca_file");
                o.setSocketFactory(BrokerConnection.socketFactory(new MqttSettings(url, "", "", "", "x", 1, false,
                        "x", false, false, ca == null ? "" : ca, "", "", 0, 100, List.of())));
            }
            client.setTimeToWait(15_000);
            client.connect(o);
            client.publish(value(settings, "topic"), m);
            client.disconnect(1000);
        } catch (MqttException e) {
            int code = e.getReasonCode();
            boolean permanent = code == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                    || code == MqttException.REASON_CODE_NOT_AUTHORIZED;
            throw new NotificationDeliveryException("mqtt: " + BrokerConnection.describe(e), !permanent);
        } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
            throw new NotificationDeliveryException("mqtt: " + e.getMessage(), false);
        } finally {
            if (client != null) {
                try {
                    client.close(true);
                } catch (MqttException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private static String value(Map<String, String> settings, String name) {
        String v = settings.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
