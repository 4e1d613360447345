package gateway.driver.vaillant.internal;

import gateway.core.api.DeviceException;

/**
 * The session refused a write before anything was sent: not on the allow-list, out of range, off step, or not one
 * of the enum's values. The manager's own validation normally catches these first; this is the defence in depth.
 */
final class VaillantWriteRefusedException extends DeviceException {
    private static final long serialVersionUID = 1L;

    VaillantWriteRefusedException(String message) {
        super(message);
    }
}
