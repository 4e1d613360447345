package gateway.core.api;

/** What a sensor measures or controls; drives grouping in the console and metric naming. */
public enum SensorCategory {
    TEMPERATURE, POWER, ENERGY, PRESSURE, FLOW, HUMIDITY, PERCENT, FREQUENCY, TIME, COUNTER,
    STATUS, MODE, SETPOINT, CONTROL, ALARM, BINARY, INFO, OTHER
}
