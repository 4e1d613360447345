package gateway.core.modbus;

import java.util.List;

/**
 * The constraints the request planner works under.
 *
 * @param maxBlock  most registers per request
 * @param maxGap    most unused registers inside one request between two used ones
 * @param forbidden spans no request may cover
 */
public record PlannerLimits(int maxBlock, int maxGap, List<AddressRange> forbidden) {
    public PlannerLimits {
        forbidden = forbidden == null ? List.of() : List.copyOf(forbidden);
    }
}
