package gateway.core.api;

/** The connection state of a configured device. */
public enum DeviceState {
    /** Not polled yet since start or configuration change. */
    CONNECTING,
    /** Last poll read every sensor. */
    ONLINE,
    /** Last poll answered, but some requests failed. */
    DEGRADED,
    /** Unreachable; the manager retries with backoff. */
    OFFLINE,
    /** Its driver bundle is not installed or not started; polling resumes when it returns. */
    DRIVER_MISSING,
    /** Switched off by the user. */
    DISABLED,
    /**
     * The device's service refused further requests for now (a cloud API's quota); the last error names the reset
     * time and the next attempt is at that time.
     */
    RATE_LIMITED
}
