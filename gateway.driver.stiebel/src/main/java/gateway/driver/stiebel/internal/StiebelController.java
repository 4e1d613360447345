package gateway.driver.stiebel.internal;

import java.util.Optional;

/**
 * The controller identification the ISG reports in input register 5002 (fact sheet §4), and which map fits it.
 * WPM II (165) and the Thermia-built WPE-I/WPM G have no published map and are not listed: they are refused.
 */
public enum StiebelController {
    LWZ_X04(103, "LWZ/LWA x04 (e.g. LWZ 304/404/504, Tecalor THZ)", StiebelModel.LWZ),
    LWZ_X04_SOL(104, "LWZ x04 SOL (e.g. THZ 504, LWZ 404 SOL)", StiebelModel.LWZ),
    LWZ_R290(551, "LWZ R290", StiebelModel.LWZ),
    WPM_3(390, "WPM 3", StiebelModel.WPM),
    WPM_3I(391, "WPM 3i", StiebelModel.WPM),
    WPM_SYSTEM(449, "WPMsystem (WPM 4)", StiebelModel.WPM);

    /** Reported by WPM II controllers (pail23#397); not in the manual, so no map. */
    static final int WPM_II = 165;

    private final int id;
    private final String displayName;
    private final StiebelModel model;

    StiebelController(int id, String displayName, StiebelModel model) {
        this.id = id;
        this.displayName = displayName;
        this.model = model;
    }

    public int id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public StiebelModel model() {
        return model;
    }

    public static Optional<StiebelController> byId(int id) {
        for (StiebelController c : values()) {
            if (c.id == id) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
