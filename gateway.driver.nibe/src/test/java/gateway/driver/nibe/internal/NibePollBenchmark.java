package gateway.driver.nibe.internal;

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
import gateway.core.modbus.RequestPlanner;

/**
 * Benchmarks run by {@code .ci/bench} (not a test): requests per poll (planner vs one request per sensor vs an
 * independent optimum) and the poll cycle against the simulator at 0 and 20 ms latency, against the bare transport
 * sending the same requests and the floor (requests × latency), all measured in the same run.
 */
public final class NibePollBenchmark {

    private NibePollBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ConnectionConfig c = new ConnectionConfig("127.0.0.1", 502, 1);
        for (NibeModel model : NibeModel.values()) {
            NibeDriver driver = driver(model);
            DeviceConfig all = DeviceConfig.of(model.climateSystems(), List.of());
            requestsPerPoll("NIBE " + model.id() + ", all climate systems", driver.sensors(all),
                    driver.profile(c, all));
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

    static void requestsPerPoll(String label, List<SensorDefinition> all, ModbusDeviceProfile profile) {
        List<SensorDefinition> sensors = all.stream().filter(SensorDefinition::readable).toList();
        int planner = RequestPlanner.plan(sensors, profile.limits()).size();
        int optimum = 0;
        for (var kind : sensors.stream().map(SensorDefinition::registerKind).distinct().toList()) {
            optimum += greedyMaximal(sensors.stream().filter(s -> s.registerKind() == kind).toList(),
                    profile.maxBlock(), profile.maxGap(), profile.forbidden());
        }
        int perSensor = sensors.size();
        System.out.printf(Locale.ROOT, "requests per poll, %s, %d readable sensors:%n", label, sensors.size());
        System.out.printf(Locale.ROOT, "  planner %d | optimum for the device's limits (block %d, gap %d) %d (%s) |"
                        + " one per sensor %d (%.1fx)%n", planner, profile.maxBlock(), profile.maxGap(), optimum,
                planner == optimum ? "equal" : "DIFFERENT", perSensor, perSensor / (double) planner);
    }

    /**
     * The independent optimum of IdmPollBenchmark, per register table: left to right, each request extended as far
     * as the limits allow (optimal by an exchange argument; shares no code with the planner).
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
                if (s.address() - end > maxGap || sEnd - start > maxBlock
                        || forbidden.stream().anyMatch(r -> r.overlaps(first.registerKind(), start, sEnd))) {
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

    static void pollCycle(int latencyMillis, int polls) throws Exception {
        DeviceConfig config = DeviceConfig.empty();
        NibeDriver driver = driver(NibeModel.S1155);
        List<SensorDefinition> sensors = driver.sensors(config).stream().filter(SensorDefinition::readable).toList();
        System.out.print("NIBE S1155, " + sensors.size() + " sensors: ");
        try (NibeSimulator sim = NibeSimulator.start(NibeModel.S1155, 0, 0)) {
            ConnectionConfig connection = new ConnectionConfig("127.0.0.1", sim.port(), 1);
            ModbusDeviceProfile profile = driver.profile(connection, config);
            sim.latencyMillis(latencyMillis);
            List<ReadGroup> groups = RequestPlanner.plan(sensors, profile.limits());
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
            System.out.printf(Locale.ROOT, "poll cycle at %2d ms latency, %d requests, %d polls: gateway %.2f ms | bare"
                            + " transport %.2f ms (gateway %.3fx) | floor %.1f ms%s%n",
                    latencyMillis, requests, polls, gatewayMs, rawMs, gatewayMs / rawMs, floor,
                    floor > 0 ? String.format(Locale.ROOT, " (gateway %.3fx floor)", gatewayMs / floor) : "");
        }
    }
}
