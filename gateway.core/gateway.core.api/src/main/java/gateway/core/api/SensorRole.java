package gateway.core.api;

/**
 * What a sensor means across makes, so an alert template ("hot water below 40 °C") finds the right sensor on every
 * device whose driver declares the role ({@link HeatpumpDriver#sensorRoles}).
 */
public enum SensorRole {
    /** Outdoor air temperature, °C. */
    OUTDOOR_TEMPERATURE,
    /** The heat pump's flow (supply) temperature, °C. */
    FLOW_TEMPERATURE,
    /** The heat pump's return temperature, °C. */
    RETURN_TEMPERATURE,
    /** The hot-water (DHW) tank temperature, °C. */
    HOT_WATER_TEMPERATURE,
    /** A live fault indication: 0 = no fault, anything else = a fault is present now (not a fault history). */
    COMMON_FAULT,
    /**
     * The utility (EVU) lock contact. An enum sensor with a label {@code locked} is locked at that label; a
     * sensor without such a label is locked at any non-zero value.
     */
    UTILITY_LOCK
}
