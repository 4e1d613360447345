package gateway.driver.idm.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;
import gateway.core.api.ReadGroup;
import gateway.core.api.ReadResult;
import gateway.core.api.SensorDefinition;
import gateway.core.modbus.AddressRange;
import gateway.core.modbus.ModbusDeviceProfile;
import gateway.core.modbus.ModbusDeviceSession;
import gateway.core.modbus.ModbusTransport;
import gateway.core.modbus.PlannerLimits;
import gateway.core.modbus.RequestPlanner;

/**
 * Benchmarks run by {@code .ci/bench} (not a test: it prints figures and ratios against baselines measured in the
 * same run, because this machine is shared and absolute times drift).
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

    private static List<SensorDefinition> readable(DeviceConfig config) {
        return IdmRegisterMap.sensors(config).stream().filter(SensorDefinition::readable).toList();
    }

    static void requestsPerPoll(String label, DeviceConfig config) {
        List<SensorDefinition> sensors = readable(config);
        ModbusDeviceProfile profile = IdmDriver.profile(new ConnectionConfig("127.0.0.1", 502, 1));
        int planner = RequestPlanner.plan(sensors, profile.limits()).size();
        int optimum = greedyMaximal(sensors, profile.maxBlock(), profile.maxGap(), profile.forbidden());
        int perSensor = sensors.size();
        int contiguous = RequestPlanner.plan(sensors, new PlannerLimits(profile.maxBlock(), 0, profile.forbidden())).size();
        int original = greedyMaximal(sensors, 50, 5, List.of());
        System.out.printf(Locale.ROOT, "requests per poll, %s, %d readable sensors:%n", label, sensors.size());
        System.out.printf(Locale.ROOT, "  planner %d | optimum for the device's limits %d (%s) | one per sensor %d (%.1fx)"
                        + " | contiguous only %d (%.2fx) | original rule <=50/gap<=5 %d (%.2fx)%n",
                planner, optimum, planner == optimum ? "equal" : "DIFFERENT", perSensor, perSensor / (double) planner,
                contiguous, contiguous / (double) planner, original, original / (double) planner);
    }

    /**
     * An independent optimum: scanning left to right and extending each request as far as the limits allow. Every
     * part of a feasible request is feasible, so this greedy is optimal (exchange argument); it shares no code with
     * the planner's dynamic programme. With {@code forbidden} empty and 50/5 it is also the original's rule.
     */
    static int greedyMaximal(List<SensorDefinition> sensors, int maxBlock, int maxGap, List<AddressRange> forbidden) {
        List<SensorDefinition> sorted = new ArrayList<>(sensors);
        sorted.sort(Comparator.comparingInt(SensorDefinition::address));
        int requests = 0;
        int i = 0;
        while (i < sorted.size()) {
            SensorDefinition first = sorted.get(i);
            int start = first.address();
            int end = start + Math.max(1, first.registerCount());
            int j = i + 1;
            while (j < sorted.size()) {
                SensorDefinition s = sorted.get(j);
                int sEnd = Math.max(end, s.address() + Math.max(1, s.registerCount()));
                if (s.address() - end > maxGap || sEnd - start > maxBlock || crosses(forbidden, first, start, sEnd)) {
                    break;
                }
                end = sEnd;
                j++;
            }
            requests++;
            i = j;
        }
        return requests;
    }

    private static boolean crosses(List<AddressRange> forbidden, SensorDefinition s, int from, int to) {
        return forbidden.stream().anyMatch(r -> r.overlaps(s.registerKind(), from, to));
    }

    static void pollCycle(int latencyMillis, int polls) throws Exception {
        DeviceConfig config = DeviceConfig.of(List.of("A"), List.of());
        List<SensorDefinition> sensors = readable(config);
        try (IdmSimulator sim = IdmSimulator.start(0)) {
            sim.latencyMillis(latencyMillis);
            ConnectionConfig connection = new ConnectionConfig("127.0.0.1", sim.port(), 1);
            ModbusDeviceProfile profile = IdmDriver.profile(connection);
            List<ReadGroup> groups = RequestPlanner.plan(sensors, profile.limits());

            // Baseline: the bare transport sending the same requests, no planning, decoding or bookkeeping.
            double rawMs;
            try (ModbusTransport raw = new ModbusTransport(connection)) {
                raw.connect();
                for (int warm = 0; warm < Math.min(polls, 20); warm++) {
                    for (ReadGroup g : groups) {
                        raw.readRegisters(g.kind(), g.start(), g.count());
                    }
                }
                long t0 = System.nanoTime();
                for (int p = 0; p < polls; p++) {
                    for (ReadGroup g : groups) {
                        raw.readRegisters(g.kind(), g.start(), g.count());
                    }
                }
                rawMs = (System.nanoTime() - t0) / 1e6 / polls;
            }

            double gatewayMs;
            int requests;
            try (ModbusDeviceSession session = new ModbusDeviceSession(connection, profile)) {
                ReadResult warmResult = null;
                for (int warm = 0; warm < Math.min(polls, 20); warm++) {
                    warmResult = session.read(sensors);
                }
                requests = warmResult.requests();
                long t0 = System.nanoTime();
                for (int p = 0; p < polls; p++) {
                    session.read(sensors);
                }
                gatewayMs = (System.nanoTime() - t0) / 1e6 / polls;
            }
            double floor = requests * (double) latencyMillis;
            // The gateway's own cost is what it adds to the bare transport for the same requests (planning cache,
            // decoding, result map); what the bare transport adds to the floor is the loopback and the simulator.
            System.out.printf(Locale.ROOT, "poll cycle at %2d ms latency, %d requests, %d polls: gateway %.2f ms | bare"
                            + " transport %.2f ms (gateway %.3fx) | floor %.1f ms%s | gateway's own cost %.3f ms per"
                            + " request%n",
                    latencyMillis, requests, polls, gatewayMs, rawMs, gatewayMs / rawMs, floor,
                    floor > 0 ? String.format(Locale.ROOT, " (gateway %.3fx floor)", gatewayMs / floor) : "",
                    (gatewayMs - rawMs) / requests);
        }
    }
}
