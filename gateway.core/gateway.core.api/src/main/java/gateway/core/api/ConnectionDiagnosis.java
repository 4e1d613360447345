package gateway.core.api;

import java.util.Objects;

/**
 * Why a connection test ({@link HeatpumpManager#testConnection}) failed, in words a person setting up a device can
 * act on: the manager reads the failure's exception chain together with the driver's protocol and the connection
 * settings (timeout, unit id), so every client (the REST API, a setup wizard, a script) gets the same explanation.
 *
 * @param cause       the kind of failure, for a client to branch on
 * @param explanation one sentence for a person, e.g. "Modbus TCP is probably not enabled on the device (connection
 *                    refused)"; never contains a secret
 */
public record ConnectionDiagnosis(Cause cause, String explanation) {

    /** The kinds of failure a connection test tells apart. */
    public enum Cause {
        /** Nothing listens on the port: the device's protocol is probably not enabled. */
        CONNECTION_REFUSED,
        /** The host name does not resolve. */
        UNKNOWN_HOST,
        /** The network has no route to the address. */
        NO_ROUTE,
        /** Connected or not, nothing answered within the timeout. */
        TIMEOUT,
        /** A Modbus gateway answered that no unit with the configured id is behind it. */
        WRONG_UNIT_ID,
        /** The device refused the request (illegal function or address): wrong model or unit id. */
        REJECTED_REQUEST,
        /** The device answered with another error. */
        DEVICE_ERROR,
        /** Something answered or hung up at once, but not in the model's protocol: another make's or service's port. */
        WRONG_PROTOCOL,
        /** Unreachable for a reason the exception chain does not tell. */
        DEVICE_UNREACHABLE
    }

    public ConnectionDiagnosis {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(explanation, "explanation");
    }
}
