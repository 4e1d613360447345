package gateway.driver.luxtronik.internal;

import gateway.core.api.DeviceException;

/**
 * The session refused a write before anything was sent: not on the allow-list, out of range, or firmware that
 * reboots on writes. The manager's own validation normally catches these first; this is the defence in depth.
 */
final class LuxtronikWriteRefusedException extends DeviceException {
    private static final long serialVersionUID = 1L;

    LuxtronikWriteRefusedException(String message) {
        super(message);
    }
}
