package gateway.core.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceException;
import gateway.core.api.ReadGroup;
import gateway.core.api.ReadResult;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;
import gateway.core.modbus.AddressRange;
import gateway.core.modbus.ModbusDeviceProfile;
import gateway.core.modbus.ModbusDeviceSession;
import gateway.core.modbus.ModbusTransport;
import gateway.core.modbus.PlannerLimits;
import gateway.core.modbus.RequestPlanner;

/**
 * The poll benchmarks of the Modbus drivers, run by {@code .ci/bench} through each driver's {@code *PollBenchmark}
 * main: requests per poll (the planner against an independent optimum, one request per sensor, contiguous-only
 * grouping and the original logger's rule) and the poll cycle against a simulator, against the bare transport
 * sending the same requests and the floor (requests × latency). Figures are ratios against baselines measured in the
 * same run, because the machine is shared and absolute times drift.
 */
public final class ModbusPollBenchmark {

    /** The original logger's grouping rule: at most 50 registers, gaps of at most 5. */
    static final int ORIGINAL_MAX_BLOCK = 50;
    static final int ORIGINAL_MAX_GAP = 5;

    private ModbusPollBenchmark() {
    }

    /** Requests one poll of {@code sensors} takes under each rule. */
    public record RequestsPerPoll(int sensors, int planner, int optimum, int contiguousOnly, int originalRule,
                                  int maxBlock, int maxGap) {

        public String report(String label) {
            return String.format(Locale.ROOT, "requests per poll, %s, %d readable sensors:%n"
                            + "  planner %d | optimum for the device's limits (block %d, gap %d) %d (%s) | one per"
                            + " sensor %d (%.1fx) | contiguous only %d (%.2fx) | original rule <=%d/gap<=%d %d (%.2fx)",
                    label, sensors, planner, maxBlock, maxGap, optimum, planner == optimum ? "equal" : "DIFFERENT",
                    sensors, sensors / (double) planner, contiguousOnly, contiguousOnly / (double) planner,
                    ORIGINAL_MAX_BLOCK, ORIGINAL_MAX_GAP, originalRule, originalRule / (double) planner);
        }
    }

    /** One measured poll cycle: mean milliseconds per poll through the gateway's session and the bare transport. */
    public record PollCycle(int latencyMillis, int requests, int polls, double gatewayMillis, double rawMillis) {

        /** requests × latency: what no client can beat. */
        public double floorMillis() {
            return requests * (double) latencyMillis;
        }

        public String report(String label) {
            double floor = floorMillis();
            return String.format(Locale.ROOT, "%s: poll cycle at %2d ms latency, %d requests, %d polls: gateway %.2f ms"
                            + " | bare transport %.2f ms (gateway %.3fx) | floor %.1f ms%s | gateway's own cost %.3f ms"
                            + " per request", label, latencyMillis, requests, polls, gatewayMillis, rawMillis,
                    gatewayMillis / rawMillis, floor,
                    floor > 0 ? String.format(Locale.ROOT, " (gateway %.3fx floor)", gatewayMillis / floor) : "",
                    (gatewayMillis - rawMillis) / requests);
        }
    }

    /** Counts the requests of one poll of the readable {@code sensors} under {@code profile} and the other rules. */
    public static RequestsPerPoll requestsPerPoll(List<SensorDefinition> sensors, ModbusDeviceProfile profile) {
        List<SensorDefinition> readable = sensors.stream().filter(SensorDefinition::readable).toList();
        int planner = RequestPlanner.plan(readable, profile.limits()).size();
        int contiguous = RequestPlanner.plan(readable, new PlannerLimits(profile.maxBlock(), 0, profile.forbidden()))
                .size();
        int optimum = greedyMaximal(readable, profile.maxBlock(), profile.maxGap(), profile.forbidden());
        int original = greedyMaximal(readable, ORIGINAL_MAX_BLOCK, ORIGINAL_MAX_GAP, List.of());
        return new RequestsPerPoll(readable.size(), planner, optimum, contiguous, original, profile.maxBlock(),
                profile.maxGap());
    }

    /**
     * An independent optimum, per register table: scanning left to right and extending each request as far as the
     * limits allow. Every part of a feasible request is feasible, so this greedy is optimal (exchange argument); it
     * shares no code with the planner's dynamic programme.
     */
    public static int greedyMaximal(List<SensorDefinition> sensors, int maxBlock, int maxGap,
                                    List<AddressRange> forbidden) {
        int requests = 0;
        for (RegisterKind kind : sensors.stream().map(SensorDefinition::registerKind).distinct().toList()) {
            List<SensorDefinition> sorted = new ArrayList<>(sensors.stream().filter(s -> s.registerKind() == kind)
                    .toList());
            sorted.sort(Comparator.comparingInt(SensorDefinition::address));
            int i = 0;
            while (i < sorted.size()) {
                SensorDefinition first = sorted.get(i);
                int start = first.address();
                int end = start + Math.max(1, first.registerCount());
                int j = i + 1;
                while (j < sorted.size()) {
                    SensorDefinition s = sorted.get(j);
                    int sEnd = Math.max(end, s.address() + Math.max(1, s.registerCount()));
                    int from = start;
                    if (s.address() - end > maxGap || sEnd - start > maxBlock
                            || forbidden.stream().anyMatch(r -> r.overlaps(kind, from, sEnd))) {
                        break;
                    }
                    end = sEnd;
                    j++;
                }
                requests++;
                i = j;
            }
        }
        return requests;
    }

    /**
     * Polls the readable {@code sensors} from a simulator at {@code connection} {@code polls} times, through the
     * gateway's session and through the bare transport sending the same planned requests, after a warm-up of up to
     * 20 polls each. The caller sets the simulator's latency.
     */
    public static PollCycle pollCycle(ConnectionConfig connection, ModbusDeviceProfile profile,
                                      List<SensorDefinition> sensors, int latencyMillis, int polls)
            throws DeviceException {
        List<SensorDefinition> readable = sensors.stream().filter(SensorDefinition::readable).toList();
        List<ReadGroup> groups = RequestPlanner.plan(readable, profile.limits());
        int warmUp = Math.min(polls, 20);
        double rawMs;
        try (ModbusTransport raw = new ModbusTransport(connection)) {
            raw.connect();
            for (int w = 0; w < warmUp; w++) {
                readAll(raw, groups);
            }
            long t0 = System.nanoTime();
            for (int p = 0; p < polls; p++) {
                readAll(raw, groups);
            }
            rawMs = (System.nanoTime() - t0) / 1e6 / polls;
        }
        double gatewayMs;
        int requests = 0;
        try (ModbusDeviceSession session = new ModbusDeviceSession(connection, profile)) {
            for (int w = 0; w < Math.max(1, warmUp); w++) {
                ReadResult r = session.read(readable);
                requests = r.requests();
            }
            long t0 = System.nanoTime();
            for (int p = 0; p < polls; p++) {
                session.read(readable);
            }
            gatewayMs = (System.nanoTime() - t0) / 1e6 / polls;
        }
        return new PollCycle(latencyMillis, requests, polls, gatewayMs, rawMs);
    }

    private static void readAll(ModbusTransport raw, List<ReadGroup> groups) throws DeviceException {
        for (ReadGroup g : groups) {
            raw.readRegisters(g.kind(), g.start(), g.count());
        }
    }
}
