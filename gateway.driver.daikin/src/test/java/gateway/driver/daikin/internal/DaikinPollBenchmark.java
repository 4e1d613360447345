package gateway.driver.daikin.internal;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.testing.ModbusPollBenchmark;

/**
 * Benchmarks run by {@code .ci/bench} (not a test): {@link ModbusPollBenchmark}'s requests per poll for every Daikin
 * model and its poll cycle against the Altherma 3 simulator at 0 and 20 ms latency.
 */
public final class DaikinPollBenchmark {

    private DaikinPollBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        for (DaikinModel model : DaikinModel.values()) {
            System.out.println(ModbusPollBenchmark.requestsPerPoll(
                    DaikinRegisterMap.sensors(model, DeviceConfig.empty()), DaikinRegisterMap.profile(model))
                    .report("Daikin " + model.id()));
        }
        System.out.println();
        pollCycle(0, 200);
        pollCycle(20, 15);
    }

    static void pollCycle(int latencyMillis, int polls) throws Exception {
        DaikinModel model = DaikinModel.ALTHERMA_3_EKRHH;
        DeviceConfig config = DeviceConfig.empty();
        try (DaikinSimulator sim = DaikinSimulator.start(model, 0, config, 0)) {
            ConnectionConfig connection = new ConnectionConfig("127.0.0.1", sim.port(), 1);
            sim.latencyMillis(latencyMillis);
            System.out.println(ModbusPollBenchmark.pollCycle(connection, DaikinRegisterMap.profile(model),
                    DaikinRegisterMap.sensors(model, config), latencyMillis, polls).report("Daikin " + model.id()));
        }
    }
}
