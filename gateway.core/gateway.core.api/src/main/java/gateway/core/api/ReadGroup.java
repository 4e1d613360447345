package gateway.core.api;

import java.util.List;

/**
 * One planned read request: a contiguous span of one register kind and the sensors it serves.
 *
 * @param kind    register table
 * @param start   first address (raw, 0-based)
 * @param count   number of registers (or coils)
 * @param sensors sensors decoded from this span
 */
public record ReadGroup(RegisterKind kind, int start, int count, List<SensorDefinition> sensors) {

    public ReadGroup {
        sensors = List.copyOf(sensors);
        if (count <= 0) {
            throw new IllegalArgumentException("empty read group at " + start);
        }
    }

    public int end() {
        return start + count;
    }
}
