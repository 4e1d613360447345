package gateway.driver.idm.internal;

import java.util.List;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.testing.ModbusPollBenchmark;

/**
 * Benchmarks run by {@code .ci/bench} (not a test): {@link ModbusPollBenchmark}'s requests per poll for circuit A
 * and for every circuit and zone, and its poll cycle against the simulator at 0 and 20 ms latency.
 */
public final class IdmPollBenchmark {

    private IdmPollBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        requestsPerPoll("circuit A, no zones (default)", DeviceConfig.of(List.of("A"), List.of()));
        requestsPerPoll("circuits A-G, zones 0-9 (full)", DeviceConfig.of(List.of("A", "B", "C", "D", "E", "F", "G"),
                List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
        System.out.println();
        pollCycle(0, 200);
        pollCycle(20, 15);
    }

    static void requestsPerPoll(String label, DeviceConfig config) {
        System.out.println(ModbusPollBenchmark.requestsPerPoll(IdmRegisterMap.sensors(config),
                IdmDriver.profile(new ConnectionConfig("127.0.0.1", 502, 1))).report(label));
    }

    /** Against the demo's simulator: its model thread keeps moving the values while the gateway polls. */
    static void pollCycle(int latencyMillis, int polls) throws Exception {
        DeviceConfig config = DeviceConfig.of(List.of("A"), List.of());
        try (IdmSimulator sim = IdmSimulator.start(0)) {
            sim.latencyMillis(latencyMillis);
            ConnectionConfig connection = new ConnectionConfig("127.0.0.1", sim.port(), 1);
            System.out.println(ModbusPollBenchmark.pollCycle(connection, IdmDriver.profile(connection),
                    IdmRegisterMap.sensors(config), latencyMillis, polls).report("IDM circuit A"));
        }
    }
}
