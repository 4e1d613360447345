package gateway.core.simulation;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The labelled faults one simulated plant offers and which of them are active, with the simulated time each began
 * (drift grows with it). Not thread-safe: the simulator's own lock guards it, like the rest of its model.
 */
public final class ActiveFaults {

    private final EnumSet<LabelledFault> offered;
    private final Consumer<LabelledFault> onStart;
    private final Map<LabelledFault, Double> since = new EnumMap<>(LabelledFault.class);

    /** @param onStart called when a fault starts (a stuck sensor remembers its value), under the caller's lock */
    public ActiveFaults(Set<LabelledFault> offered, Consumer<LabelledFault> onStart) {
        this.offered = EnumSet.noneOf(LabelledFault.class);
        this.offered.addAll(offered);
        this.onStart = onStart;
    }

    public ActiveFaults(Set<LabelledFault> offered) {
        this(offered, f -> { });
    }

    /** Every fault. */
    public static ActiveFaults all() {
        return new ActiveFaults(EnumSet.allOf(LabelledFault.class));
    }

    /** Every fault, with a hook for when one starts. */
    public static ActiveFaults all(Consumer<LabelledFault> onStart) {
        return new ActiveFaults(EnumSet.allOf(LabelledFault.class), onStart);
    }

    public Set<LabelledFault> offered() {
        return EnumSet.copyOf(offered);
    }

    /** The offered faults' ids, for {@code HeatpumpSimulator.Running.availableFaults()}. */
    public Set<String> offeredIds() {
        return offered.stream().map(LabelledFault::id).collect(Collectors.toUnmodifiableSet());
    }

    /** The offered fault with this id, if any. */
    public java.util.Optional<LabelledFault> offered(String id) {
        return LabelledFault.of(id).filter(offered::contains);
    }

    /**
     * Starts a fault at simulated time {@code now}; false when this plant does not offer it or it is already active
     * (an active fault keeps its first start).
     */
    public boolean start(LabelledFault fault, double now) {
        if (!offered.contains(fault) || since.containsKey(fault)) {
            return false;
        }
        since.put(fault, now);
        onStart.accept(fault);
        return true;
    }

    /**
     * {@code HeatpumpSimulator.Running.injectFault}: starts the fault with this id at {@code now} unless it is
     * already active; false when the plant does not offer it.
     */
    public boolean start(String id, double now) {
        LabelledFault fault = offered(id).orElse(null);
        if (fault != null) {
            start(fault, now);
        }
        return fault != null;
    }

    public void stop(LabelledFault fault) {
        since.remove(fault);
    }

    /** {@code HeatpumpSimulator.Running.clearFault}: ends the fault with this id, if active. */
    public void stop(String id) {
        LabelledFault.of(id).ifPresent(this::stop);
    }

    public boolean active(LabelledFault fault) {
        return since.containsKey(fault);
    }

    /** Simulated time the fault began, or NaN when it is not active. */
    public double since(LabelledFault fault) {
        Double t = since.get(fault);
        return t == null ? Double.NaN : t;
    }

    public Set<LabelledFault> active() {
        return since.isEmpty() ? Set.of() : EnumSet.copyOf(since.keySet());
    }
}
