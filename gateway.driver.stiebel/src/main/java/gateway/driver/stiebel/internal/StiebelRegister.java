package gateway.driver.stiebel.internal;

import java.util.List;
import java.util.Set;

import gateway.core.api.SensorDefinition;

/**
 * One row of a Stiebel register table: the sensor the gateway sees, the block it is read in, and, for a value the
 * ISG splits over several registers, the registers it is summed from.
 *
 * @param sensor   what the gateway sees; for a plain row its address is the wire (PDU) address = manual number − 1
 * @param block    the block that reads it
 * @param terms    empty for a plain row; else value = Σ raw × multiplier, no value when any raw is 0x8000
 * @param servedBy controllers that fill this register in their block (others answer 0x8000 there), or empty for all
 */
public record StiebelRegister(SensorDefinition sensor, StiebelBlock block, List<Term> terms,
                              Set<StiebelController> servedBy) {

    public StiebelRegister {
        terms = List.copyOf(terms);
        servedBy = Set.copyOf(servedBy);
    }

    /**
     * One register of a split value.
     *
     * @param raw        the register as a hidden unsigned 16-bit sensor (sentinel 0x8000), PDU address
     * @param multiplier its weight: 1 for the kWh (LOW) part, 1000 for the MWh (HI) part
     */
    public record Term(SensorDefinition raw, long multiplier) {
    }

    public String id() {
        return sensor.id();
    }

    public boolean composite() {
        return !terms.isEmpty();
    }

    /** The registers read for this row: itself, or its terms. */
    public List<SensorDefinition> wire() {
        return composite() ? terms.stream().map(Term::raw).toList() : List.of(sensor);
    }

    public boolean servedBy(StiebelController controller) {
        return servedBy.isEmpty() || servedBy.contains(controller);
    }
}
