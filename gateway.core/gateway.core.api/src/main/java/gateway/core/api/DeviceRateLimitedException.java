package gateway.core.api;

import java.time.Instant;
import java.util.Objects;

/**
 * The device (or the cloud service in front of it) answered but refuses further requests until {@link #retryAt()}
 * (an API quota). The manager shows {@link DeviceState#RATE_LIMITED} and tries again at that time, not earlier.
 */
public class DeviceRateLimitedException extends DeviceException {
    private static final long serialVersionUID = 1L;
    private final Instant retryAt;

    public DeviceRateLimitedException(String message, Instant retryAt) {
        super(message);
        this.retryAt = Objects.requireNonNull(retryAt, "retryAt");
    }

    /** When requests are allowed again (the quota's reset time). */
    public Instant retryAt() {
        return retryAt;
    }
}
