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
    DISABLED
}
