package gateway.core.modbus;

import gateway.core.api.RegisterKind;

/** A half-open span [start, end) of addresses in one register table. */
public record AddressRange(RegisterKind kind, int start, int end) {

    public AddressRange {
        if (end <= start) {
            throw new IllegalArgumentException("empty range " + start + ".." + end);
        }
    }

    public static AddressRange of(RegisterKind kind, int first, int lastInclusive) {
        return new AddressRange(kind, first, lastInclusive + 1);
    }

    public boolean overlaps(RegisterKind k, int from, int to) {
        return kind == k && from < end && start < to;
    }

    public int length() {
        return end - start;
    }
}
