package gateway.driver.nibe.internal;

import java.util.List;

import gateway.core.modbus.DriverIdentity;

/** The NIBE S-series models this bundle drives. Ids are part of the device contract: never rename them. */
public enum NibeModel {
    S1155("s1155", "NIBE S1155 (ground source)", List.of("1", "2", "3"), true),
    S1255("s1255", "NIBE S1255 (ground source, integrated water heater)", List.of("1", "2", "3"), true),
    /** Outdoor air/water monobloc: compressor data live in the EB101 block, no brine circuit. */
    S2125("s2125", "NIBE S2125 (outdoor air/water)", List.of("1"), false);

    public static final String MANUFACTURER_ID = "nibe";
    public static final String MANUFACTURER_NAME = "NIBE";

    private final String id;
    private final String displayName;
    private final List<String> climateSystems;
    private final boolean groundSource;

    NibeModel(String id, String displayName, List<String> climateSystems, boolean groundSource) {
        this.id = id;
        this.displayName = displayName;
        this.climateSystems = climateSystems;
        this.groundSource = groundSource;
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    /** The identity the model's driver and simulator services report. */
    public DriverIdentity identity() {
        return new DriverIdentity(MANUFACTURER_ID, MANUFACTURER_NAME, id, displayName);
    }

    /** Climate systems (heating circuits) the built-in map covers, by NIBE's number. */
    public List<String> climateSystems() {
        return climateSystems;
    }

    /** Ground-source indoor units carry the compressor and brine sensors in the low input registers. */
    public boolean groundSource() {
        return groundSource;
    }
}
