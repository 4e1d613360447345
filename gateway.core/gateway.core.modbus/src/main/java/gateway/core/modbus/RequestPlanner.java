package gateway.core.modbus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import gateway.core.api.ReadGroup;
import gateway.core.api.RegisterKind;
import gateway.core.api.SensorDefinition;

/**
 * Plans the fewest Modbus read requests that serve a sensor set within a device's limits; among plans with that
 * many requests it reads the fewest registers.
 *
 * <p>Rules for every planned {@link ReadGroup}: one register kind; at most {@code maxBlock} registers; at most
 * {@code maxGap} registers between two registers its own sensors use; no overlap with a forbidden range; never the
 * whole of a block the device rejected (a smaller part may still work); a sensor's registers never split.
 *
 * <p>Per kind this is an interval partition problem. Sorted by address, some optimal plan takes contiguous runs of
 * sensors (a group can serve every sensor inside its span, which only shrinks its gaps; spans of a minimal plan do not
 * nest, and with values of at most two registers the sensors a span serves first are contiguous). So a dynamic
 * program over the sorted sensors finds the optimum in O(n · maxBlock).
 *
 * <p>Sensors that no request can carry (spanning a forbidden range, wider than maxBlock, or rejected on their own)
 * are left out; callers report them as errors.
 */
public final class RequestPlanner {

    private RequestPlanner() {
    }

    public static List<ReadGroup> plan(Collection<SensorDefinition> sensors, PlannerLimits limits) {
        return plan(sensors, limits, Set.of());
    }

    public static List<ReadGroup> plan(Collection<SensorDefinition> sensors, PlannerLimits limits,
                                       Set<AddressRange> rejectedBlocks) {
        Map<RegisterKind, List<SensorDefinition>> byKind = new EnumMap<>(RegisterKind.class);
        for (SensorDefinition s : sensors) {
            if (s.readable() && s.registerKind().modbus()) {
                byKind.computeIfAbsent(s.registerKind(), k -> new ArrayList<>()).add(s);
            }
        }
        List<ReadGroup> plan = new ArrayList<>();
        for (Map.Entry<RegisterKind, List<SensorDefinition>> e : byKind.entrySet()) {
            plan.addAll(planKind(e.getKey(), e.getValue(), limits,
                    rejectedBlocks == null ? Set.of() : rejectedBlocks));
        }
        return plan;
    }

    private static List<ReadGroup> planKind(RegisterKind kind, List<SensorDefinition> all, PlannerLimits limits,
                                            Set<AddressRange> rejected) {
        List<SensorDefinition> items = new ArrayList<>();
        for (SensorDefinition s : all) {
            int start = s.address();
            int end = start + RegisterCodec.span(s.dataType());
            if (allowed(kind, start, end, limits, rejected)) {
                items.add(s);
            }
        }
        items.sort(Comparator.comparingInt(SensorDefinition::address)
                .thenComparingInt(s -> RegisterCodec.span(s.dataType()))
                .thenComparing(SensorDefinition::id));
        int n = items.size();
        int[] start = new int[n];
        int[] end = new int[n];
        for (int i = 0; i < n; i++) {
            start[i] = items.get(i).address();
            end[i] = start[i] + RegisterCodec.span(items.get(i).dataType());
        }
        // best[i]: fewest requests, then fewest registers, for the first i sensors; from[i]: where the last run starts.
        long[] best = new long[n + 1];
        int[] from = new int[n + 1];
        java.util.Arrays.fill(best, Long.MAX_VALUE);
        best[0] = 0;
        for (int j = 0; j < n; j++) {
            if (best[j] == Long.MAX_VALUE) {
                continue;
            }
            int lo = start[j];
            int reach = end[j];
            for (int i = j; i < n; i++) {
                if (i > j) {
                    if (start[i] - reach > limits.maxGap()) {
                        break;
                    }
                    reach = Math.max(reach, end[i]);
                }
                // Span, forbidden overlap and rejected containment only get worse as the run grows.
                if (!allowed(kind, lo, reach, limits, rejected)) {
                    break;
                }
                // Requests weigh more than any register count (at most 65536 registers per kind).
                long cost = best[j] + (1L << 32) + (reach - lo);
                if (cost < best[i + 1]) {
                    best[i + 1] = cost;
                    from[i + 1] = j;
                }
            }
        }
        List<ReadGroup> groups = new ArrayList<>();
        for (int i = n; i > 0; i = from[i]) {
            int j = from[i];
            int hi = 0;
            for (int k = j; k < i; k++) {
                hi = Math.max(hi, end[k]);
            }
            groups.add(0, new ReadGroup(kind, start[j], hi - start[j], items.subList(j, i)));
        }
        return groups;
    }

    private static boolean allowed(RegisterKind kind, int lo, int hi, PlannerLimits limits,
                                   Set<AddressRange> rejected) {
        if (hi - lo > limits.maxBlock()) {
            return false;
        }
        for (AddressRange f : limits.forbidden()) {
            if (f.overlaps(kind, lo, hi)) {
                return false;
            }
        }
        for (AddressRange r : rejected) {
            if (r.kind() == kind && r.start() >= lo && r.end() <= hi) {
                return false;
            }
        }
        return true;
    }
}
