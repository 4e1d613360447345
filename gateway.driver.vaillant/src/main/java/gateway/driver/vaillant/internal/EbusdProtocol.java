package gateway.driver.vaillant.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * ebusd's TCP command protocol as the fact sheet (§2) describes it: one request line ending in {@code \n}; a reply of
 * one or more lines ended by an empty line; errors start with {@code ERR: }; a wrong argument count answers
 * {@code usage:}; a write answers {@code done}; a replacement (invalid) value prints as {@code -}.
 */
final class EbusdProtocol {

    /** ebusd's default command port ({@code main_args.cpp: .port = 8888}). */
    static final int DEFAULT_PORT = 8888;
    static final String ERROR_PREFIX = "ERR: ";
    static final String DONE = "done";
    /** {@code datatype.h NULL_VALUE}. */
    static final String NULL_VALUE = "-";

    /** ebusd result texts (result.cpp) the driver treats specially. */
    static final String ERR_NO_SIGNAL = "no signal";
    static final String ERR_INVALID_POSITION = "invalid position";
    static final String ERR_NOT_FOUND = "element not found";
    static final String ERR_READ_TIMEOUT = "read timeout";
    static final String ERR_NOT_AUTHORIZED = "not authorized";
    static final String ERR_OUT_OF_RANGE = "argument value out of valid range";

    /**
     * Circuit names as ebusd prints them ({@code hmu}, {@code ctlv2}, {@code 700}, {@code bai}): no blanks, so a name
     * can never add an argument or a second command to the line.
     */
    private static final Pattern CIRCUIT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** What a reply means for one message. */
    enum Outcome {
        /** A value (possibly {@link #NULL_VALUE}). */
        VALUE,
        /** {@code done}: a write was sent on the bus and acknowledged. */
        DONE,
        /** The message is not defined or not answered by this unit: invalid position, element not found. */
        UNAVAILABLE,
        /** The adapter sees no eBUS: every bus transaction fails until the wiring or adapter is fixed. */
        NO_SIGNAL,
        /** A bus error for this exchange only (read timeout, arbitration lost, NAK, CRC…). */
        BUS_ERROR,
        /** ebusd refused the command itself ({@code usage:}, not authorized, out of range…). */
        REFUSED
    }

    /** One reply: the lines before the empty line that ends it. */
    record Reply(List<String> lines) {
        Reply {
            lines = List.copyOf(lines);
        }

        String first() {
            return lines.isEmpty() ? "" : lines.get(0);
        }

        boolean error() {
            return first().startsWith(ERROR_PREFIX);
        }

        /** The text after {@code ERR: }, or null. */
        String errorText() {
            return error() ? first().substring(ERROR_PREFIX.length()).trim() : null;
        }

        Outcome outcome() {
            String f = first();
            if (f.startsWith(ERROR_PREFIX)) {
                String e = errorText().toLowerCase(Locale.ROOT);
                if (e.startsWith(ERR_NO_SIGNAL)) {
                    return Outcome.NO_SIGNAL;
                }
                if (e.startsWith(ERR_INVALID_POSITION) || e.startsWith(ERR_NOT_FOUND)) {
                    return Outcome.UNAVAILABLE;
                }
                if (e.startsWith(ERR_NOT_AUTHORIZED) || e.startsWith(ERR_OUT_OF_RANGE)
                        || e.startsWith("invalid argument") || e.startsWith("command not found")) {
                    return Outcome.REFUSED;
                }
                return Outcome.BUS_ERROR;
            }
            if (f.startsWith("usage:")) {
                return Outcome.REFUSED;
            }
            if (f.equals(DONE)) {
                return Outcome.DONE;
            }
            return Outcome.VALUE;
        }

        @Override
        public String toString() {
            return String.join(" | ", lines);
        }
    }

    private EbusdProtocol() {
    }

    static boolean validCircuit(String circuit) {
        return circuit != null && CIRCUIT.matcher(circuit).matches();
    }

    /**
     * {@code read [-f | -m SECONDS] -c CIRCUIT NAME [FIELD]}: without {@code -f} ebusd serves its cache if younger
     * than {@code -m} (its default 300 s), else it asks the bus.
     */
    static String read(String circuit, String message, String field, int maxAgeSeconds, boolean force) {
        checkWord(circuit, CIRCUIT, "circuit");
        checkWord(message, NAME, "message");
        StringBuilder b = new StringBuilder("read ");
        b.append(force ? "-f" : "-m " + Math.max(0, maxAgeSeconds));
        b.append(" -c ").append(circuit).append(' ').append(message);
        if (field != null) {
            checkWord(field, NAME, "field");
            b.append(' ').append(field);
        }
        return b.toString();
    }

    /** {@code write -c CIRCUIT NAME VALUE} ({@code -c} is mandatory for writes). */
    static String write(String circuit, String message, String value) {
        checkWord(circuit, CIRCUIT, "circuit");
        checkWord(message, NAME, "message");
        if (value == null || value.isEmpty() || !value.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException("value '" + value + "' cannot be sent on an ebusd command line");
        }
        return "write -c " + circuit + " " + message + " " + value;
    }

    /** Decimal text ebusd parses: no exponent, no trailing zeros ({@code 50}, {@code 20.5}). */
    static String formatNumber(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** The number ebusd printed, or null when it is not one. */
    static Double parseNumber(String text) {
        try {
            double v = Double.parseDouble(text.trim());
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An enum value from ebusd's label (case-insensitive) or its number; null when neither fits. */
    static Integer parseEnum(String text, Map<Integer, String> labels) {
        String t = text.trim();
        for (Map.Entry<Integer, String> e : labels.entrySet()) {
            if (e.getValue().equalsIgnoreCase(t)) {
                return e.getKey();
            }
        }
        Double n = parseNumber(t);
        if (n != null && n == Math.rint(n) && labels.containsKey(n.intValue())) {
            return n.intValue();
        }
        return null;
    }

    private static void checkWord(String word, Pattern pattern, String what) {
        if (word == null || !pattern.matcher(word).matches()) {
            throw new IllegalArgumentException(what + " '" + word + "' is not a valid ebusd " + what + " name");
        }
    }
}
