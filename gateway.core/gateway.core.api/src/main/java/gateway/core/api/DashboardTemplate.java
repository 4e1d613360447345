package gateway.core.api;

import java.util.List;

/** The dashboard a device gets when it is added: named charts over its sensors. */
public record DashboardTemplate(String name, List<Chart> charts) {

    public DashboardTemplate {
        charts = List.copyOf(charts);
    }

    /**
     * @param type     line, bar, gauge, stat, state, table
     * @param hours    time window for history charts
     */
    public record Chart(String title, String type, List<String> sensors, int hours) {
        public Chart {
            sensors = List.copyOf(sensors);
        }
    }
}
