package gateway.core.api;

/** How far a reading can be trusted. */
public enum Quality {
    /** A decoded value from the device. */
    GOOD,
    /** The device answered with its "not available" sentinel (e.g. 0xFFFF, -1.0, 32766); no value. */
    INVALID,
    /** The value is from an earlier poll; the device did not answer this time. */
    STALE,
    /** Reading this sensor failed (exception, decode error). */
    ERROR
}
