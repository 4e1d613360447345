package gateway.web.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import gateway.core.api.UserStore.User;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** A matched API request: path parameters, query, the authenticated user and a strictly read JSON body. */
final class ApiRequest {

    /** Bodies above this are refused with 413 before they are parsed. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final HttpServletRequest servletRequest;
    private final Map<String, String> params;
    private final User user;
    private final ObjectMapper mapper;
    private final SessionStore.Session session;
    private final HttpServletResponse servletResponse;
    private byte[] body;

    ApiRequest(HttpServletRequest servletRequest, Map<String, String> params, User user, ObjectMapper mapper) {
        this(servletRequest, null, params, user, null, mapper);
    }

    ApiRequest(HttpServletRequest servletRequest, HttpServletResponse servletResponse, Map<String, String> params,
               User user, SessionStore.Session session, ObjectMapper mapper) {
        this.servletRequest = servletRequest;
        this.servletResponse = servletResponse;
        this.params = Map.copyOf(params);
        this.user = user;
        this.session = session;
        this.mapper = mapper;
    }

    /** The browser session the request came with, or null (Basic, Bearer, public routes). */
    SessionStore.Session session() {
        return session;
    }

    String header(String name) {
        return servletRequest.getHeader(name);
    }

    String contentType() {
        return servletRequest.getContentType();
    }

    /** The client's address, the key of login throttling. */
    String remoteAddress() {
        String a = servletRequest.getRemoteAddr();
        return a == null ? "unknown" : a;
    }

    boolean secure() {
        return servletRequest.isSecure();
    }

    HttpServletRequest servletRequest() {
        return servletRequest;
    }

    /** The raw response, for handlers that stream (Server-Sent Events); they answer {@link Reply#STREAMED}. */
    HttpServletResponse servletResponse() {
        return servletResponse;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no parameter " + name);
        }
        return value;
    }

    /** A query parameter, or null when absent or blank. */
    String query(String name) {
        String value;
        try {
            value = servletRequest.getParameter(name);
        } catch (RuntimeException e) {
            // the container decodes the whole query on first use; broken escapes or bytes that are not UTF-8
            // are the client's mistake (Jetty throws its BadMessageException, which this bundle does not import)
            throw ApiException.badRequest("the query string is malformed (bad %-escape or not UTF-8)");
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The authenticated user; null only on public routes. */
    User user() {
        return user;
    }

    String actor() {
        return user == null ? "anonymous" : user.name();
    }

    /** The path as the client sent it, for the problem document's {@code instance}. */
    String uri() {
        return servletRequest.getRequestURI();
    }

    boolean hasBody() throws IOException {
        return rawBody().length > 0;
    }

    /** The body as {@code type}; 400 when absent, malformed or carrying unknown fields, 415 when not JSON. */
    <T> T body(Class<T> type) throws IOException {
        byte[] raw = rawBody();
        if (raw.length == 0) {
            throw ApiException.badRequest("a JSON request body is required");
        }
        requireJson();
        try {
            JsonNode tree = mapper.readTree(raw);
            if (tree == null || tree.isNull() || tree.isMissingNode()) {
                throw ApiException.badRequest("the request body must be a JSON object, not null");
            }
            // lengths, characters and number ranges of every field, before any resource sees a value
            InputLimits.check(tree);
            return mapper.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw fromJackson(e);
        }
    }

    /**
     * The body as text, for uploads of files; 400 when absent, 415 unless its media type is one of {@code accepted}.
     * The charset parameter is honoured; UTF-8 when none is given.
     */
    String text(java.util.Set<String> accepted) throws IOException {
        String contentType = servletRequest.getContentType();
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase();
        if (!accepted.contains(mediaType)) {
            throw new ApiException(415, "unsupported-media-type", "Unsupported media type",
                    "this upload must be one of " + String.join(", ", new java.util.TreeSet<>(accepted)) + ", got '"
                            + (contentType == null ? "" : contentType) + "'", null)
                    .header("Accept-Put", String.join(", ", new java.util.TreeSet<>(accepted)));
        }
        byte[] raw = rawBody();
        if (raw.length == 0) {
            throw ApiException.badRequest("a request body is required");
        }
        java.nio.charset.Charset charset = java.nio.charset.StandardCharsets.UTF_8;
        java.util.regex.Matcher param = java.util.regex.Pattern.compile("(?i);\\s*charset=\"?([^\";\\s]+)")
                .matcher(contentType);
        String encoding = param.find() ? param.group(1) : null;
        if (encoding != null) {
            try {
                charset = java.nio.charset.Charset.forName(encoding);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("unknown charset '" + encoding + "'");
            }
        }
        return new String(raw, charset);
    }

    private void requireJson() {
        String contentType = servletRequest.getContentType();
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase();
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw new ApiException(415, "unsupported-media-type", "Unsupported media type",
                    "request bodies must be application/json, got '" + (contentType == null ? "" : contentType) + "'",
                    null).header("Accept-Post", "application/json");
        }
    }

    private byte[] rawBody() throws IOException {
        if (body != null) {
            return body;
        }
        long declared = servletRequest.getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = servletRequest.getInputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                // chunked bodies have no Content-Length: count while reading
                if (out.size() > MAX_BODY_BYTES) {
                    throw tooLarge();
                }
            }
        }
        body = out.toByteArray();
        return body;
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "payload-too-large", "Payload too large",
                "request bodies are limited to " + MAX_BODY_BYTES + " bytes", null);
    }

    /** Turns Jackson's exception into a 400 that names the field, without echoing Jackson's internals. */
    static ApiException fromJackson(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String field = join(pathOf(unknown), unknown.getPropertyName());
            List<String> known = new ArrayList<>();
            if (unknown.getKnownPropertyIds() != null) {
                unknown.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
            }
            known.sort(null);
            return ApiException.badRequest("unknown field '" + field + "'",
                    List.of("unknown field '" + field + "'; allowed here: " + String.join(", ", known)))
                    .with("field", field);
        }
        if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            JsonMappingException mapping = (JsonMappingException) e;
            String field = pathOf(mapping);
            String expected = mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                    ? typeName(mismatch.getTargetType()) : "another type";
            String where = field.isEmpty() ? "the request body" : "field '" + field + "'";
            return ApiException.badRequest(where + " has the wrong type; expected " + expected,
                    List.of(where + ": expected " + expected)).with("field", field.isEmpty() ? null : field);
        }
        String location = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return ApiException.badRequest("malformed JSON" + location);
    }

    private static String typeName(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        // the unknown property itself is the last reference; the caller appends it
        if (e instanceof UnrecognizedPropertyException u && path.toString().endsWith(u.getPropertyName())) {
            int cut = path.length() - u.getPropertyName().length();
            path.setLength(cut > 0 && path.charAt(cut - 1) == '.' ? cut - 1 : cut);
        }
        return path.toString();
    }

    private static String join(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }
}
