package gateway.core.api;

/**
 * The sensors of a device that feed the derived coefficient of performance (COP): heat delivered over electrical
 * energy used. Each side comes from an energy counter when the device has one, else from integrating its power over
 * the poll times. Units are taken from the sensors' definitions (W, kW, Wh, kWh, MWh).
 *
 * @param heatPower        thermal output power, or null
 * @param electricPower    electrical input power, or null
 * @param heatEnergy       cumulative heat energy counter, or null (then {@code heatPower} is integrated)
 * @param electricEnergy   cumulative electrical energy counter, or null (then {@code electricPower} is integrated)
 */
public record CopSources(String heatPower, String electricPower, String heatEnergy, String electricEnergy) {

    public CopSources {
        if (heatPower == null && heatEnergy == null) {
            throw new IllegalArgumentException("COP needs a heat power or heat energy sensor");
        }
        if (electricPower == null && electricEnergy == null) {
            throw new IllegalArgumentException("COP needs an electrical power or energy sensor");
        }
    }
}
