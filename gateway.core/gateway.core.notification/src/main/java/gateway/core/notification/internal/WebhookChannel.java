package gateway.core.notification.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.service.component.annotations.Component;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.Notification;
import gateway.core.api.NotificationChannel;
import gateway.core.api.NotificationDeliveryException;

/**
 * A JSON POST to any URL. With a secret, header {@value #SIGNATURE_HEADER} carries {@code sha256=<hex>}, the
 * HMAC-SHA256 of the exact body bytes, so the receiver can check the sender. Header {@value #IDEMPOTENCY_HEADER}
 * (and member {@code delivery_key}) is the same on every retry of one notification: a receiver that remembers it
 * drops the duplicate an answer lost on the way back would otherwise cause.
 */
@Component(service = NotificationChannel.class, property = NotificationChannel.TYPE_PROPERTY + "=webhook")
public final class WebhookChannel implements NotificationChannel {

    static final String SIGNATURE_HEADER = "X-Gateway-Signature";
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    private final JsonPost http = new JsonPost();

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public String description() {
        return "JSON POST to a URL, optionally signed (HMAC-SHA256); retries carry the same Idempotency-Key header";
    }

    @Override
    public List<Setting> settings() {
        return List.of(new Setting("url", "URL the JSON is posted to", true, false, null),
                new Setting("secret", "HMAC-SHA256 key for the " + SIGNATURE_HEADER + " header (optional)", false,
                        true, null));
    }

    @Override
    public void validate(Map<String, String> settings) throws InvalidConfigurationException {
        new SettingsCheck(settings(), settings).url("url", false).done();
    }

    @Override
    public void send(Map<String, String> settings, Notification n, String deliveryKey)
            throws NotificationDeliveryException {
        byte[] body = JsonPost.body(JsonPost.object("delivery_key", deliveryKey, "key", n.key(), "title", n.title(),
                "message", n.message(), "severity", n.severity(), "heatpump_id", n.heatpumpId(), "source",
                n.source(), "created_at", n.createdAt().toString()));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(IDEMPOTENCY_HEADER, deliveryKey);
        String secret = SettingsCheck.value(settings, "secret");
        if (secret != null) {
            headers.put(SIGNATURE_HEADER, "sha256=" + hmacSha256Hex(secret, body));
        }
        http.post("webhook", URI.create(SettingsCheck.value(settings, "url")), body, headers,
                secret == null ? List.of() : List.of(secret));
    }

    static String hmacSha256Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
