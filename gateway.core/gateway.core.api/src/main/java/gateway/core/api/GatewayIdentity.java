package gateway.core.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Who this gateway is among many: a stable {@code gateway_id} and an optional {@code site}. Every series the gateway
 * pushes carries both as labels, so a fleet of gateways can share one time-series database (or one MQTT broker, as a
 * topic prefix) without two devices called {@code hp-legacy} colliding.
 *
 * <p>Both values are restricted to {@link #VALID} so that they are usable unchanged as a Prometheus label value, an
 * InfluxDB tag and an MQTT topic level.
 */
@ProviderType
public interface GatewayIdentity {

    /** Label name of {@link #gatewayId()}. */
    String GATEWAY_ID_LABEL = "gateway_id";
    /** Label name of {@link #site()}. */
    String SITE_LABEL = "site";
    /** 1 to 64 letters, digits, {@code _ . -}, starting with a letter or digit. */
    Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** The gateway's id; never empty. */
    String gatewayId();

    /** The site label, or the empty string when none is set. */
    String site();

    /** {@code gateway_id} and, when set, {@code site}, in that order. */
    default Map<String, String> labels() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(GATEWAY_ID_LABEL, gatewayId());
        if (!site().isEmpty()) {
            out.put(SITE_LABEL, site());
        }
        return out;
    }
}
