package gateway.driver.stiebel.internal;

import java.util.EnumSet;
import java.util.Set;

import gateway.core.api.RegisterKind;

/**
 * A span of the ISG register map that is read on its own: no request ever spans two blocks. A core block exists on
 * every controller of its model; an optional block exists on some (fact sheet §7) and is dropped for the session
 * after the ISG answers exception 02 (illegal data address) for it, as pystiebeleltron does.
 */
public enum StiebelBlock {
    // WPM (WPM 3, WPM 3i, WPMsystem)
    WPM_VALUES(RegisterKind.INPUT, false, StiebelController.WPM_3, StiebelController.WPM_3I, StiebelController.WPM_SYSTEM),
    /** 539–541: the WPM 3i's own refrigerant values; not in the WPM 3 / WPMsystem lists. */
    WPM_3I_REFRIGERANT(RegisterKind.INPUT, true, StiebelController.WPM_3I),
    /** 542–548: heat pump 1 of a cascade; WPM 3 and WPMsystem only. */
    WPM_HP1(RegisterKind.INPUT, true, StiebelController.WPM_3, StiebelController.WPM_SYSTEM),
    WPM_STATE(RegisterKind.INPUT, false, StiebelController.WPM_3, StiebelController.WPM_3I, StiebelController.WPM_SYSTEM),
    WPM_ENERGY(RegisterKind.INPUT, false, StiebelController.WPM_3, StiebelController.WPM_3I, StiebelController.WPM_SYSTEM),
    /** 3517–3522: runtimes, WPM 3i only. */
    WPM_RUNTIMES(RegisterKind.INPUT, true, StiebelController.WPM_3I),
    /** 3680: inverter power, WPMsystem only (evcc#23345: exception 02 on WPM 3/3i). */
    WPM_INVERTER_POWER(RegisterKind.INPUT, true, StiebelController.WPM_SYSTEM),
    WPM_PARAMETERS(RegisterKind.HOLDING, false, StiebelController.WPM_3, StiebelController.WPM_3I, StiebelController.WPM_SYSTEM),
    // LWZ (x04, x04 SOL, R290)
    LWZ_VALUES(RegisterKind.INPUT, false, StiebelController.LWZ_X04, StiebelController.LWZ_X04_SOL, StiebelController.LWZ_R290),
    LWZ_STATE(RegisterKind.INPUT, false, StiebelController.LWZ_X04, StiebelController.LWZ_X04_SOL, StiebelController.LWZ_R290),
    LWZ_ENERGY(RegisterKind.INPUT, false, StiebelController.LWZ_X04, StiebelController.LWZ_X04_SOL, StiebelController.LWZ_R290),
    LWZ_PARAMETERS(RegisterKind.HOLDING, false, StiebelController.LWZ_X04, StiebelController.LWZ_X04_SOL, StiebelController.LWZ_R290),
    // both
    /** 4001–4003: SG Ready switch and inputs (holding). */
    SG_READY(RegisterKind.HOLDING, false, StiebelController.values()),
    /** 5001–5002: SG Ready state and controller id; openhab-addons#12773 reports exception 02 here, so optional. */
    SYSTEM_INFO(RegisterKind.INPUT, true, StiebelController.values());

    private final RegisterKind kind;
    private final boolean optional;
    private final Set<StiebelController> servedBy;

    StiebelBlock(RegisterKind kind, boolean optional, StiebelController... servedBy) {
        this.kind = kind;
        this.optional = optional;
        this.servedBy = EnumSet.of(servedBy[0], servedBy);
    }

    public RegisterKind kind() {
        return kind;
    }

    public boolean optional() {
        return optional;
    }

    /** Controllers that serve this block (the simulator serves it only for these). */
    public Set<StiebelController> servedBy() {
        return servedBy;
    }
}
