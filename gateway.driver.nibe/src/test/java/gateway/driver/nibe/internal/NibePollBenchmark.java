package gateway.driver.nibe.internal;

import java.util.List;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.SensorDefinition;
import gateway.core.testing.ModbusPollBenchmark;

/**
 * Benchmarks run by {@code .ci/bench} (not a test): {@link ModbusPollBenchmark}'s requests per poll for every NIBE
 * model and its poll cycle against the S1155 simulator at 0 and 20 ms latency.
 */
public final class NibePollBenchmark {

    private NibePollBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ConnectionConfig c = new ConnectionConfig("127.0.0.1", 502, 1);
        for (NibeModel model : NibeModel.values()) {
            NibeDriver driver = driver(model);
            DeviceConfig all = DeviceConfig.of(model.climateSystems(), List.of());
            System.out.println(ModbusPollBenchmark.requestsPerPoll(driver.sensors(all), driver.profile(c, all))
                    .report("NIBE " + model.id() + ", all climate systems"));
        }
        System.out.println();
        pollCycle(0, 200);
        pollCycle(20, 15);
    }

    private static NibeDriver driver(NibeModel model) {
        return switch (model) {
            case S1155 -> new NibeS1155Driver();
            case S1255 -> new NibeS1255Driver();
            case S2125 -> new NibeS2125Driver();
        };
    }

    static void pollCycle(int latencyMillis, int polls) throws Exception {
        DeviceConfig config = DeviceConfig.empty();
        NibeDriver driver = driver(NibeModel.S1155);
        List<SensorDefinition> sensors = driver.sensors(config);
        try (NibeSimulator sim = NibeSimulator.start(NibeModel.S1155, 0, 0)) {
            ConnectionConfig connection = new ConnectionConfig("127.0.0.1", sim.port(), 1);
            sim.latencyMillis(latencyMillis);
            System.out.println(ModbusPollBenchmark.pollCycle(connection, driver.profile(connection, config), sensors,
                    latencyMillis, polls).report("NIBE S1155"));
        }
    }
}
