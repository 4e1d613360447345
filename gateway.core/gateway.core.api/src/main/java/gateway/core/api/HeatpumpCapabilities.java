package gateway.core.api;

import java.util.List;

/**
 * What a model can do, for the console (which controls to show) and validation.
 *
 * @param circuits      heating circuits the model supports (ids), empty when it has no circuit concept
 * @param maxZones      number of zone modules supported
 */
public record HeatpumpCapabilities(boolean heating, boolean cooling, boolean hotWater, boolean pool, boolean solar,
                                   boolean photovoltaic, boolean smartGrid, boolean write, List<String> circuits,
                                   int maxZones) {

    public HeatpumpCapabilities {
        circuits = circuits == null ? List.of() : List.copyOf(circuits);
    }
}
