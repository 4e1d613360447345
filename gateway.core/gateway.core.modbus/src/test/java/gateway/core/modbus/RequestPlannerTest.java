package gateway.core.modbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import gateway.core.api.AccessMode;
import gateway.core.api.DataType;
import gateway.core.api.ReadGroup;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;

class RequestPlannerTest {

    private static SensorDefinition s(String id, RegisterKind kind, int address, DataType type) {
        return SensorDefinition.builder(id).kind(kind).address(address).type(type).build();
    }

    private static SensorDefinition holding(String id, int address, DataType type) {
        return s(id, RegisterKind.HOLDING, address, type);
    }

    @Test
    void plansOneBlockForContiguousRegisters() {
        List<SensorDefinition> sensors = List.of(holding("a", 10, DataType.FLOAT32), holding("b", 12, DataType.INT16),
                holding("c", 13, DataType.FLOAT32));
        List<ReadGroup> plan = RequestPlanner.plan(sensors, new PlannerLimits(125, 0, List.of()));
        assertEquals(1, plan.size());
        assertEquals(10, plan.get(0).start());
        assertEquals(5, plan.get(0).count());
        assertEquals(3, plan.get(0).sensors().size());
    }

    // IDM: FLOAT at 1392, UCHARs 1393..1399 would overlap the float's second word in a naive reading; here the
    // FLOAT 1392 spans 1392..1393, then UCHAR 1394..1399, FLOAT 1401.
    @Test
    void plansIdmLikeMixedLayoutInOneRequest() {
        List<SensorDefinition> sensors = new ArrayList<>();
        sensors.add(holding("f1392", 1392, DataType.FLOAT32));
        for (int a = 1394; a <= 1399; a++) {
            sensors.add(holding("u" + a, a, DataType.UINT8));
        }
        sensors.add(holding("f1401", 1401, DataType.FLOAT32));
        sensors.add(holding("f1403", 1403, DataType.FLOAT32));
        List<ReadGroup> plan = RequestPlanner.plan(sensors, new PlannerLimits(32, 1, List.of()));
        assertEquals(1, plan.size());
        assertEquals(1392, plan.get(0).start());
        assertEquals(13, plan.get(0).count());
        assertEquals(sensors.size(), plan.get(0).sensors().size());
        assertAllConstraints(sensors, new PlannerLimits(32, 1, List.of()), Set.of(), plan);
        // without a tolerated gap, register 1400 splits the block
        assertEquals(2, RequestPlanner.plan(sensors, new PlannerLimits(32, 0, List.of())).size());
    }

    @Test
    void servesSensorsSharingAnAddress() {
        List<SensorDefinition> sensors = List.of(holding("raw", 1090, DataType.UINT16),
                holding("bits", 1090, DataType.BITFIELD), holding("next", 1091, DataType.UINT8));
        List<ReadGroup> plan = RequestPlanner.plan(sensors, new PlannerLimits(10, 0, List.of()));
        assertEquals(1, plan.size());
        assertEquals(3, plan.get(0).sensors().size());
    }

    @Test
    void neverSplitsAFloatAcrossRequests() {
        List<SensorDefinition> sensors = List.of(holding("a", 0, DataType.UINT16), holding("f", 1, DataType.FLOAT32),
                holding("b", 3, DataType.UINT16));
        List<ReadGroup> plan = RequestPlanner.plan(sensors, new PlannerLimits(3, 0, List.of()));
        assertEquals(2, plan.size());
        assertAllConstraints(sensors, new PlannerLimits(3, 0, List.of()), Set.of(), plan);
        assertEquals(3, RequestPlanner.plan(sensors, new PlannerLimits(2, 0, List.of())).size());
    }

    @Test
    void keepsKindsApartAndSkipsWriteOnlyAndNonModbusSensors() {
        List<SensorDefinition> sensors = List.of(
                s("in", RegisterKind.INPUT, 5, DataType.INT16), s("hold", RegisterKind.HOLDING, 6, DataType.INT16),
                SensorDefinition.builder("wo").kind(RegisterKind.HOLDING).address(7).access(AccessMode.WRITE_ONLY).build(),
                s("calc", RegisterKind.CALCULATION, 5, DataType.INT16), s("coil", RegisterKind.COIL, 5, DataType.BOOL));
        List<ReadGroup> plan = RequestPlanner.plan(sensors, new PlannerLimits(125, 10, List.of()));
        assertEquals(3, plan.size());
        Set<String> served = new HashSet<>();
        for (ReadGroup g : plan) {
            for (SensorDefinition x : g.sensors()) {
                assertEquals(g.kind(), x.registerKind());
                served.add(x.id());
            }
        }
        assertEquals(Set.of("in", "hold", "coil"), served);
    }

    @Test
    void avoidsForbiddenRangesAndRejectedBlocks() {
        List<SensorDefinition> sensors = List.of(holding("a", 0, DataType.UINT16), holding("b", 2, DataType.UINT16),
                holding("c", 4, DataType.UINT16));
        PlannerLimits limits = new PlannerLimits(125, 5, List.of(AddressRange.of(RegisterKind.HOLDING, 3, 3)));
        List<ReadGroup> plan = RequestPlanner.plan(sensors, limits);
        assertEquals(2, plan.size());
        assertAllConstraints(sensors, limits, Set.of(), plan);
        // forbidden in another table does not matter
        PlannerLimits inputForbidden = new PlannerLimits(125, 5, List.of(AddressRange.of(RegisterKind.INPUT, 3, 3)));
        assertEquals(1, RequestPlanner.plan(sensors, inputForbidden).size());
        // a rejected block may not be sent whole again, but its parts may
        Set<AddressRange> rejected = Set.of(new AddressRange(RegisterKind.HOLDING, 0, 5));
        List<ReadGroup> replanned = RequestPlanner.plan(sensors, new PlannerLimits(125, 5, List.of()), rejected);
        assertEquals(2, replanned.size());
        assertAllConstraints(sensors, new PlannerLimits(125, 5, List.of()), rejected, replanned);
    }

    @Test
    void leavesOutSensorsNoRequestCanCarry() {
        List<SensorDefinition> sensors = List.of(holding("f", 10, DataType.FLOAT32), holding("a", 20, DataType.UINT16));
        assertEquals(List.of("a"), servedIds(RequestPlanner.plan(sensors,
                new PlannerLimits(125, 0, List.of(AddressRange.of(RegisterKind.HOLDING, 11, 11))))));
        assertEquals(List.of("a"), servedIds(RequestPlanner.plan(sensors, new PlannerLimits(1, 0, List.of()))));
        assertEquals(List.of("f"), servedIds(RequestPlanner.plan(sensors, new PlannerLimits(125, 0, List.of()),
                Set.of(new AddressRange(RegisterKind.HOLDING, 20, 21)))));
    }

    /** The planner's plan has as few requests, then as few registers, as the best of all partitions. */
    @Test
    void matchesBruteForceOptimumOnRandomRegisterSets() {
        Random random = new Random(20261127L);
        DataType[] types = {DataType.UINT16, DataType.INT16, DataType.UINT8, DataType.FLOAT32, DataType.INT32};
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(round < 250 ? 10 : 12);
            List<SensorDefinition> sensors = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                RegisterKind kind = random.nextInt(5) == 0 ? RegisterKind.INPUT : RegisterKind.HOLDING;
                sensors.add(s("s" + i, kind, random.nextInt(24), types[random.nextInt(types.length)]));
            }
            List<AddressRange> forbidden = new ArrayList<>();
            for (int i = random.nextInt(3); i > 0; i--) {
                int start = random.nextInt(24);
                forbidden.add(new AddressRange(RegisterKind.HOLDING, start, start + 1 + random.nextInt(2)));
            }
            Set<AddressRange> rejected = new HashSet<>();
            for (int i = random.nextInt(3); i > 0; i--) {
                int start = random.nextInt(24);
                rejected.add(new AddressRange(RegisterKind.HOLDING, start, start + 1 + random.nextInt(5)));
            }
            PlannerLimits limits = new PlannerLimits(1 + random.nextInt(8), random.nextInt(4), forbidden);

            List<ReadGroup> plan = RequestPlanner.plan(sensors, limits, rejected);
            assertAllConstraints(sensors, limits, rejected, plan);

            long[] optimum = bruteForce(sensors, limits, rejected);
            long registers = plan.stream().mapToLong(ReadGroup::count).sum();
            String context = "round " + round + " sensors " + describe(sensors) + " limits " + limits + " rejected "
                    + rejected + " plan " + describe(plan);
            assertEquals(optimum[0], plan.size(), "requests, " + context);
            assertEquals(optimum[1], registers, "registers, " + context);
        }
    }

    // ---- independent checks ----

    private static int span(SensorDefinition s) {
        return Math.max(1, s.dataType().registers());
    }

    /** A group as the rules define it, computed from its sensors only. */
    private static boolean feasible(List<SensorDefinition> group, PlannerLimits limits, Set<AddressRange> rejected) {
        RegisterKind kind = group.get(0).registerKind();
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (SensorDefinition x : group) {
            if (x.registerKind() != kind) {
                return false;
            }
            lo = Math.min(lo, x.address());
            hi = Math.max(hi, x.address() + span(x));
        }
        if (hi - lo > limits.maxBlock()) {
            return false;
        }
        for (AddressRange f : limits.forbidden()) {
            if (f.kind() == kind && f.start() < hi && lo < f.end()) {
                return false;
            }
        }
        for (AddressRange r : rejected) {
            if (r.kind() == kind && r.start() >= lo && r.end() <= hi) {
                return false;
            }
        }
        boolean[] used = new boolean[hi - lo];
        for (SensorDefinition x : group) {
            for (int a = x.address(); a < x.address() + span(x); a++) {
                used[a - lo] = true;
            }
        }
        int run = 0;
        for (boolean u : used) {
            run = u ? 0 : run + 1;
            if (run > limits.maxGap()) {
                return false;
            }
        }
        return true;
    }

    private static void assertAllConstraints(List<SensorDefinition> sensors, PlannerLimits limits,
                                             Set<AddressRange> rejected, List<ReadGroup> plan) {
        List<String> served = new ArrayList<>();
        for (ReadGroup g : plan) {
            assertFalse(g.sensors().isEmpty());
            assertTrue(feasible(g.sensors(), limits, rejected), "infeasible group " + g);
            int lo = g.sensors().stream().mapToInt(SensorDefinition::address).min().orElseThrow();
            int hi = g.sensors().stream().mapToInt(x -> x.address() + span(x)).max().orElseThrow();
            assertEquals(lo, g.start(), "group starts at its first sensor " + g);
            assertEquals(hi, g.end(), "group ends at its last register " + g);
            for (SensorDefinition x : g.sensors()) {
                assertEquals(g.kind(), x.registerKind());
                served.add(x.id());
            }
        }
        Set<String> expected = new HashSet<>();
        for (SensorDefinition x : sensors) {
            if (x.readable() && x.registerKind().modbus() && feasible(List.of(x), limits, rejected)) {
                expected.add(x.id());
            }
        }
        assertEquals(expected.size(), served.size(), "each sensor served exactly once: " + served);
        assertEquals(expected, new HashSet<>(served));
    }

    /** {fewest requests, fewest registers at that count} over every partition of the carriable sensors. */
    private static long[] bruteForce(List<SensorDefinition> sensors, PlannerLimits limits, Set<AddressRange> rejected) {
        List<SensorDefinition> carriable = new ArrayList<>();
        for (SensorDefinition x : sensors) {
            if (feasible(List.of(x), limits, rejected)) {
                carriable.add(x);
            }
        }
        long[] best = {Long.MAX_VALUE, Long.MAX_VALUE};
        search(carriable, 0, new ArrayList<>(), limits, rejected, best);
        if (carriable.isEmpty()) {
            return new long[] {0, 0};
        }
        return best;
    }

    private static void search(List<SensorDefinition> items, int index, List<List<SensorDefinition>> groups,
                               PlannerLimits limits, Set<AddressRange> rejected, long[] best) {
        if (groups.size() > best[0]) {
            return;
        }
        if (index == items.size()) {
            for (List<SensorDefinition> g : groups) {
                if (!feasible(g, limits, rejected)) {
                    return;
                }
            }
            long registers = 0;
            for (List<SensorDefinition> g : groups) {
                int lo = g.stream().mapToInt(SensorDefinition::address).min().orElseThrow();
                int hi = g.stream().mapToInt(x -> x.address() + span(x)).max().orElseThrow();
                registers += hi - lo;
            }
            if (groups.size() < best[0] || (groups.size() == best[0] && registers < best[1])) {
                best[0] = groups.size();
                best[1] = registers;
            }
            return;
        }
        SensorDefinition item = items.get(index);
        int existing = groups.size();
        for (int k = 0; k < existing; k++) {
            List<SensorDefinition> g = groups.get(k);
            g.add(item);
            // span, kind, forbidden and rejected only get worse as a group grows; gaps can still close later
            if (spanOk(g, limits, rejected)) {
                search(items, index + 1, groups, limits, rejected, best);
            }
            g.remove(g.size() - 1);
        }
        List<SensorDefinition> fresh = new ArrayList<>();
        fresh.add(item);
        groups.add(fresh);
        search(items, index + 1, groups, limits, rejected, best);
        groups.remove(groups.size() - 1);
    }

    private static boolean spanOk(List<SensorDefinition> g, PlannerLimits limits, Set<AddressRange> rejected) {
        PlannerLimits noGapLimit = new PlannerLimits(limits.maxBlock(), Integer.MAX_VALUE, limits.forbidden());
        return feasible(g, noGapLimit, rejected);
    }

    private static List<String> servedIds(List<ReadGroup> plan) {
        List<String> out = new ArrayList<>();
        plan.forEach(g -> g.sensors().forEach(x -> out.add(x.id())));
        return out;
    }

    private static String describe(List<?> items) {
        StringBuilder b = new StringBuilder("[");
        for (Object o : items) {
            if (o instanceof SensorDefinition x) {
                b.append(x.id()).append('@').append(x.registerKind().id()).append(x.address()).append('+')
                        .append(span(x)).append(' ');
            } else if (o instanceof ReadGroup g) {
                b.append(g.kind().id()).append(g.start()).append('+').append(g.count()).append(' ');
            }
        }
        return b.append(']').toString();
    }
}
