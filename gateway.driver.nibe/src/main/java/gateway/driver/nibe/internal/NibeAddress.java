package gateway.driver.nibe.internal;

import gateway.core.api.RegisterKind;

/**
 * A NIBE S-series register as typed by a person: either the raw PDU address of NIBE's own export ({@code 1}) or the
 * Modicon-style id other tools show ({@code 30002} = input register 1, {@code 40012} = holding register 11).
 *
 * @param kind    the register table, or null when the text was a raw address and no table was given
 * @param address raw 0-based PDU address
 */
public record NibeAddress(RegisterKind kind, int address) {

    /** Highest raw PDU address in NIBE exports is about 6000; anything from 10000 up is a Modicon-style id. */
    static final int MAX_RAW = 9999;

    /**
     * Parses an address without a declared table.
     *
     * @throws IllegalArgumentException with a message a user can act on
     */
    public static NibeAddress parse(String text) {
        return parse(text, null);
    }

    /**
     * Parses an address; a raw number takes {@code declared} as its table, a 3xxxx/4xxxx id must agree with it.
     *
     * @throws IllegalArgumentException with a message a user can act on
     */
    public static NibeAddress parse(String text, RegisterKind declared) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("register number is empty");
        }
        String t = text.trim();
        if (!t.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("register number '" + t + "' is not a whole number");
        }
        if (t.length() > 6) {
            throw new IllegalArgumentException("register number '" + t + "' is too long");
        }
        int n = Integer.parseInt(t);
        if (t.length() == 5 && t.charAt(0) == '0' || n >= 10001 && n <= 19999) {
            // 0xxxx coils / 1xxxx discrete inputs: yozik04/nibe#1, HA#57410 report exception 2 on S-series
            throw new IllegalArgumentException("register '" + t + "' is a coil/discrete input id; NIBE S-series has registers only");
        }
        RegisterKind kind;
        int address;
        if (n <= MAX_RAW && t.length() < 5) {
            kind = declared;
            address = n;
        } else if (n >= 30001 && n <= 39999) {
            kind = RegisterKind.INPUT;
            address = n - 30001;
        } else if (n >= 40001 && n <= 49999) {
            kind = RegisterKind.HOLDING;
            address = n - 40001;
        } else {
            throw new IllegalArgumentException("register '" + t
                    + "' is neither a raw address (0-" + MAX_RAW + ") nor a 3xxxx/4xxxx id");
        }
        if (declared != null && kind != declared) {
            throw new IllegalArgumentException("register '" + t + "' is a " + kind.id()
                    + " register id but the row says " + declared.id());
        }
        return new NibeAddress(kind, address);
    }
}
