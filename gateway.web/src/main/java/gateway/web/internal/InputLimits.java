package gateway.web.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one table of input limits of the REST API: every JSON body passes {@link #problems(JsonNode)} before it is bound
 * to a record, so no resource repeats a length or character check, and a value the store could not hold (or a log
 * line could be forged with) never reaches it. Each text field has a maximum length and a character policy, looked up
 * by its JSON path ({@code connection_config.host}); array elements are {@code []}, the keys of free option maps
 * {@code *}. A field not in the table gets {@link #DEFAULT}. Numbers anywhere in a body must be finite and within
 * {@link #MAX_MAGNITUDE}. The README's "Input limits" section is this table.
 */
final class InputLimits {

    /** What characters a field may hold. Every policy refuses lone surrogates (text that is not valid Unicode). */
    enum Policy {
        /** A host name (RFC 1123 labels, '_' tolerated) or an IPv4/IPv6 literal; nothing else. */
        HOST,
        /** One line of text: no control characters (C0, DEL, C1) and no bidi embedding/override/isolate controls. */
        LINE,
        /** Free text: like {@link #LINE}, but tab and line breaks are allowed. */
        TEXT,
        /** A password: anything but NUL. */
        SECRET
    }

    /** A field's maximum length (UTF-16 chars, as Java and H2's VARCHAR count) and its policy. */
    record Limit(int max, Policy policy) {
    }

    static final Limit DEFAULT = new Limit(2000, Policy.TEXT);
    /** Beyond 2^53 a double no longer holds every integer; nothing a heat pump reports comes near this. */
    static final double MAX_MAGNITUDE = 1e15;
    /** Thresholds, hysteresis and written values: a sensor value, never beyond a billion in any unit. */
    static final double MAX_SENSOR_VALUE = 1e9;
    /** Deeper than this, a body is an attack, not a dashboard. */
    static final int MAX_DEPTH = 32;

    static final Map<String, Limit> FIELDS = fields();

    private static Map<String, Limit> fields() {
        Map<String, Limit> f = new LinkedHashMap<>();
        Limit id = new Limit(64, Policy.LINE);
        f.put("id", id);
        f.put("name", new Limit(200, Policy.LINE));
        f.put("username", id);
        f.put("password", new Limit(1024, Policy.SECRET));
        f.put("current_password", new Limit(1024, Policy.SECRET));
        f.put("new_password", new Limit(1024, Policy.SECRET));
        f.put("expires_at", new Limit(64, Policy.LINE));
        f.put("role", new Limit(16, Policy.LINE));
        f.put("manufacturer", id);
        f.put("model", id);
        f.put("heatpump_id", id);
        f.put("connection_config.host", new Limit(253, Policy.HOST));
        f.put("connection_config.options.*", new Limit(1000, Policy.LINE));
        f.put("device_config.circuits[]", new Limit(16, Policy.LINE));
        f.put("device_config.options.*", new Limit(1000, Policy.LINE));
        f.put("sensor", new Limit(200, Policy.LINE));
        f.put("value", new Limit(200, Policy.LINE));
        f.put("time", new Limit(16, Policy.LINE));
        f.put("days[]", new Limit(16, Policy.LINE));
        f.put("type", new Limit(32, Policy.LINE));
        f.put("condition", new Limit(8, Policy.LINE));
        f.put("threshold", new Limit(200, Policy.LINE));
        f.put("message", new Limit(2000, Policy.TEXT));
        f.put("channels[]", id);
        f.put("settings.*", new Limit(2048, Policy.TEXT));
        return Map.copyOf(f);
    }

    /** The maximum of a field by its name (its last path segment), for the OpenAPI schemas; null if not listed. */
    static Integer maxLength(String property) {
        Limit exact = FIELDS.get(property);
        if (exact != null) {
            return exact.max();
        }
        return FIELDS.entrySet().stream().filter(e -> e.getKey().endsWith("." + property))
                .map(e -> e.getValue().max()).findFirst().orElse(null);
    }

    /** Keys of free maps (options, settings): short identifiers. */
    static final Limit MAP_KEY = new Limit(64, Policy.LINE);

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]{1,32})?");

    private InputLimits() {
    }

    /** Every violation in {@code body}, each naming its field ("connection_config.host: ..."); empty when fine. */
    static List<String> problems(JsonNode body) {
        List<String> problems = new ArrayList<>();
        walk(body, "", "", 0, problems);
        return problems;
    }

    /** Throws the 422 for {@link #problems(JsonNode)}, with the first field named. */
    static void check(JsonNode body) {
        List<String> problems = problems(body);
        if (!problems.isEmpty()) {
            String first = problems.get(0);
            throw ApiException.invalid("the request has values outside the API's limits", problems)
                    .with("field", first.substring(0, first.indexOf(':')));
        }
    }

    private static void walk(JsonNode node, String path, String pattern, int depth, List<String> problems) {
        if (problems.size() >= 20) {
            return; // enough to fix the request; a hostile body must not make the answer huge
        }
        String where = path.isEmpty() ? "body" : path;
        if (depth > MAX_DEPTH) {
            problems.add(where + ": nested deeper than " + MAX_DEPTH + " levels");
            return;
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String childPath = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                String childPattern = pattern.isEmpty() ? e.getKey() : pattern + "." + e.getKey();
                if (!FIELDS.containsKey(childPattern) && FIELDS.containsKey(pattern + ".*")) {
                    childPattern = pattern + ".*";
                    String keyProblem = textProblem(e.getKey(), MAP_KEY);
                    if (keyProblem != null) {
                        problems.add(childPath + ": the key " + keyProblem);
                    }
                }
                walk(e.getValue(), childPath, childPattern, depth + 1, problems);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", pattern + "[]", depth + 1, problems);
            }
        } else if (node.isTextual()) {
            String problem = textProblem(node.textValue(), FIELDS.getOrDefault(pattern, DEFAULT));
            if (problem != null) {
                problems.add(where + ": " + problem);
            }
        } else if (node.isNumber()) {
            String problem = numberProblem(node.doubleValue(), MAX_MAGNITUDE);
            if (problem != null) {
                problems.add(where + ": " + problem);
            }
        }
    }

    /** Why {@code value} breaks {@code limit}, or null when it does not. */
    static String textProblem(String value, Limit limit) {
        if (value.length() > limit.max()) {
            return "at most " + limit.max() + " characters (got " + value.length() + ")";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "not valid Unicode (a lone surrogate at position " + i + ")";
            }
            if (Character.isLowSurrogate(c)) {
                return "not valid Unicode (a lone surrogate at position " + i + ")";
            }
            if (c == 0) {
                return "must not contain NUL";
            }
            if (limit.policy() == Policy.SECRET) {
                continue;
            }
            boolean lineBreak = c == '\n' || c == '\r' || c == '\t';
            if (Character.getType(c) == Character.CONTROL && !(lineBreak && limit.policy() == Policy.TEXT)) {
                return "must not contain control characters (U+" + String.format("%04X", (int) c) + " at position "
                        + i + ")";
            }
            if (bidiControl(c) || (limit.policy() == Policy.HOST && bidiMark(c))) {
                return "must not contain bidirectional-text controls (U+" + String.format("%04X", (int) c)
                        + " at position " + i + ")";
            }
        }
        if (limit.policy() == Policy.HOST) {
            return hostProblem(value.trim());
        }
        return null;
    }

    /** Embeddings, overrides and isolates: they reorder how text is shown (log lines, the console), "trojan" text. */
    private static boolean bidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }

    /** Plain direction marks: fine in a name written in Arabic or Hebrew, never part of a host name. */
    private static boolean bidiMark(char c) {
        return c == '\u200E' || c == '\u200F' || c == '\u061C';
    }

    /** Null when {@code host} is a host name or an IP literal; resolves nothing (no DNS on input checks). */
    static String hostProblem(String host) {
        String expected = "a host name or an IP address (like heatpump.local or 192.168.1.20)";
        if (host.isEmpty()) {
            return "must not be empty";
        }
        if (host.contains(":")) {
            String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            char first = literal.isEmpty() ? '.' : literal.charAt(0);
            if ((first == ':' || Character.digit(first, 16) >= 0) && IPV6_CHARS.matcher(literal).matches()) {
                try {
                    // a string of hex digits, colons and dots is parsed as a literal, never looked up
                    InetAddress.getByName(literal.contains("%") ? literal.substring(0, literal.indexOf('%'))
                            : literal);
                    return null;
                } catch (UnknownHostException | RuntimeException e) {
                    // falls through to the message
                }
            }
            return expected + "; '" + abbreviate(host) + "' is neither (no port here: it has its own field)";
        }
        if (IPV4.matcher(host).matches()) {
            for (String part : host.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return expected + "; '" + host + "' is not a valid IPv4 address";
                }
            }
            return null;
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return expected + "; '" + abbreviate(host) + "' is not one";
            }
        }
        return null;
    }

    /** Null when {@code value} is finite and within ±{@code max}. */
    static String numberProblem(double value, double max) {
        if (!Double.isFinite(value)) {
            return "must be a finite number";
        }
        if (Math.abs(value) > max) {
            return "out of range (at most " + (max >= 1e10 ? String.format("%.0e", max) : String.format("%.0f", max))
                    + " in magnitude)";
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
