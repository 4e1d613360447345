package gateway.core.api;

/**
 * A channel did not accept a notification. {@link #retryable()} tells the outbox whether trying again later can help
 * (service down, timeout, rate limit, 5xx) or not (bad credentials, unknown recipient, rejected request).
 * The message never contains a secret.
 */
public class NotificationDeliveryException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public NotificationDeliveryException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public NotificationDeliveryException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
