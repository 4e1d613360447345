package gateway.core.api;

/** Write-care flags of a sensor; see the write rules of each fact sheet. */
public enum SensorFlag {
    /** Backed by EEPROM: written only when the value changes, never periodically. */
    EEPROM,
    /** Must never be held/written repeatedly (e.g. IDM 1999 "acknowledge faults"). */
    NO_CYCLIC_WRITE,
    /** The device forgets the value unless it is rewritten periodically (see {@link SensorDefinition#refreshSeconds()}). */
    REFRESH_REQUIRED,
    /** Hidden from default views (rarely useful, or only present on some installations). */
    ADVANCED
}
