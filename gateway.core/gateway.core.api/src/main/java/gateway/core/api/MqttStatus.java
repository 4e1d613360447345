package gateway.core.api;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/** The MQTT bridge's connection state and counters, for {@code GET /api/mqtt} and {@code /metrics}. */
@ProviderType
public interface MqttStatus {

    /** No broker configured ({@code broker.url} empty): nothing is published. */
    String DISABLED = "disabled";
    String CONNECTING = "connecting";
    String CONNECTED = "connected";
    /** The broker refused the user name or password (or the client is not allowed). */
    String UNAUTHORIZED = "unauthorized";
    /** No connection: refused, timed out, TLS handshake failed; retried with backoff. */
    String UNREACHABLE = "unreachable";
    /** The configuration cannot work (bad URL, unreadable CA file...); not retried until it changes. */
    String MISCONFIGURED = "misconfigured";

    /**
     * @param state            one of the constants above
     * @param lastError        text of the last connection or configuration problem, or null; never a secret
     * @param lastErrorAt      when it happened, or null
     * @param brokerUrl        the configured broker ({@code tcp://host:1883}), or empty
     * @param clientId         the MQTT client id in use
     * @param topicPrefix      root of every topic the gateway publishes
     * @param published        messages handed to the broker since start
     * @param dropped          value messages dropped since start (broker away, or the outgoing queue full)
     * @param queued           messages waiting to be sent now
     * @param commandsAccepted commands written through the manager's write path (result {@code ok})
     * @param commandsRefused  commands refused (commands disabled, retained, invalid, rejected by the write path, failed)
     * @param connects         successful connections since start (1 + reconnects)
     * @param connectedSince   when the current connection was made, or null
     */
    record Connection(String state, String lastError, Instant lastErrorAt, String brokerUrl, String clientId,
                  String topicPrefix, boolean discoveryEnabled, boolean commandsEnabled, long published,
                  long dropped, int queued, long commandsAccepted, long commandsRefused, long connects,
                  Instant connectedSince) {
    }

    Connection status();
}
