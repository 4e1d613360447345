package gateway.driver.stiebel.internal;

import java.util.EnumSet;
import java.util.Set;

import gateway.core.modbus.DriverIdentity;

/**
 * The Stiebel Eltron controller families this bundle drives through the ISG. Ids are part of the device contract:
 * never rename them. Each family has its own register map (fact sheet §5 WPM, §6 LWZ).
 */
public enum StiebelModel {
    WPM("wpm", "Stiebel Eltron WPM (WPM 3, WPM 3i, WPMsystem) via ISG"),
    LWZ("lwz", "Stiebel Eltron LWZ integral unit (LWZ x04, x04 SOL, R290) via ISG");

    public static final String MANUFACTURER_ID = "stiebel_eltron";
    public static final String MANUFACTURER_NAME = "Stiebel Eltron";

    private final String id;
    private final String displayName;

    StiebelModel(String id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public DriverIdentity identity() {
        return new DriverIdentity(MANUFACTURER_ID, MANUFACTURER_NAME, id, displayName);
    }

    /** The controllers whose identification (input 5002) this model's map fits. */
    public Set<StiebelController> controllers() {
        Set<StiebelController> out = EnumSet.noneOf(StiebelController.class);
        for (StiebelController c : StiebelController.values()) {
            if (c.model() == this) {
                out.add(c);
            }
        }
        return out;
    }
}
