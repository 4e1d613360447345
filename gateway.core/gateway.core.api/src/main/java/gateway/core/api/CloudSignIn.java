package gateway.core.api;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The sign-in of a cloud-connected make (OAuth2 authorization code with PKCE, the user's own client id), offered by
 * its driver bundle so the web layer runs the console's wizard without knowing the vendor's endpoints. The web layer
 * makes state and the PKCE verifier/challenge (S256) and keeps the verifier; this service only builds URLs and talks
 * to the vendor. Registered with the service property {@link #MANUFACTURER_PROPERTY}.
 *
 * <p>{@code options} are the device's connection options as far as the sign-in needs them (the client id and the
 * optional endpoint overrides, e.g. {@code client_id}, {@code token_url}, {@code authorize_url},
 * {@code api_base_url}). Refresh tokens pass through here and must never be logged.
 */
@ConsumerType
public interface CloudSignIn {

    String MANUFACTURER_PROPERTY = "manufacturer";

    String manufacturerId();

    /** Problems with the options (a missing client id, a malformed URL); empty when a sign-in can start. */
    List<String> validate(Map<String, String> options, String redirectUri);

    /** The vendor's authorize URL the user opens in a browser. */
    String authorizeUrl(Map<String, String> options, String redirectUri, String state, String codeChallenge);

    /** Exchanges the code returned to the redirect URI for a refresh token. */
    String exchangeCode(Map<String, String> options, String redirectUri, String code, String codeVerifier)
            throws Refused;

    /** The account's devices to choose from; the refresh token may come back rotated. */
    Devices devices(Map<String, String> options, String refreshToken) throws Refused;

    /**
     * One device of the account.
     *
     * @param connectionOptions the connection options that select it (e.g. installation, gateway and device id)
     */
    record Device(String label, String model, Map<String, String> connectionOptions) {
        public Device {
            connectionOptions = Map.copyOf(connectionOptions);
        }
    }

    /** @param refreshToken the token to keep from now on (the given one unless the vendor rotated it) */
    record Devices(List<Device> devices, String refreshToken) {
        public Devices {
            devices = List.copyOf(devices);
        }
    }

    /** The vendor refused (bad code, revoked token) or could not be reached; the message is safe to show. */
    final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean unreachable;

        public Refused(String message, boolean unreachable) {
            super(message);
            this.unreachable = unreachable;
        }

        /** True when the vendor was not reachable (worth retrying), false when it said no. */
        public boolean unreachable() {
            return unreachable;
        }
    }
}
