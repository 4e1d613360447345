package gateway.driver.daikin.internal;

import gateway.core.modbus.DriverIdentity;

/** The Daikin Altherma models this bundle drives. Ids are part of the device contract: never rename them. */
public enum DaikinModel {
    /** Altherma 3 through the EKRHH Home Hub, use case 3 ("Modbus RTU/IP for Daikin Altherma"), Modbus TCP. */
    ALTHERMA_3_EKRHH("altherma_3_ekrhh", "Altherma 3 (EKRHH Home Hub)", 60, 0),
    /** Altherma 4 (EPSX) with its native Modbus TCP interface; at most 3 clients at once. */
    ALTHERMA_4("altherma_4", "Altherma 4 (native Modbus)", 80, 3);

    public static final String MANUFACTURER_ID = "daikin";
    public static final String MANUFACTURER_NAME = "Daikin";

    private final String id;
    private final String displayName;
    private final int maxBlock;
    private final int maxConnections;

    DaikinModel(String id, String displayName, int maxBlock, int maxConnections) {
        this.id = id;
        this.displayName = displayName;
        this.maxBlock = maxBlock;
        this.maxConnections = maxConnections;
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

    /** The largest block the proven implementations read (EKRHH holding 1–60, Altherma 4 holding 1–80). */
    public int maxBlock() {
        return maxBlock;
    }

    /** Concurrent Modbus connections the device accepts, 0 when unknown. */
    public int maxConnections() {
        return maxConnections;
    }
}
