package gateway.core.api;

/**
 * What a heat pump is doing right now, as far as its driver can tell from one snapshot. Anomaly detection keeps one
 * model per device and mode, because "normal" differs between them.
 */
public enum OperatingMode {
    HEATING, COOLING, HOT_WATER, DEFROST, STANDBY,
    /** The driver cannot tell (no status sensor, or the value is missing). */
    UNKNOWN
}
