package gateway.web.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

/**
 * JSON Schemas (the 2020-12 dialect OpenAPI 3.1 uses) of the API's bodies, derived from the Java records through the
 * API's own Jackson configuration ({@link ApiJson}): the property names and types are the ones Jackson reads and
 * writes, so a schema cannot describe a body other than the one the API exchanges. Each record becomes a named
 * schema under {@code #/components/schemas}; a type with no JSON meaning here is refused, so a new body type has to
 * be taught to this class instead of being documented as "any object".
 */
final class JsonSchemas {

    private final ObjectMapper mapper;
    /** Record schemas by name, in the order they were met; the OpenAPI document's components. */
    private final Map<String, Map<String, Object>> components = new TreeMap<>();
    private final Map<String, Class<?>> recordsByName = new TreeMap<>();

    JsonSchemas(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    JavaType type(Class<?> raw) {
        return mapper.constructType(raw);
    }

    JavaType listOf(Class<?> element) {
        return mapper.getTypeFactory().constructCollectionType(List.class, element);
    }

    JavaType mapOf(Class<?> value) {
        return mapper.getTypeFactory().constructMapType(Map.class, String.class, value);
    }

    Map<String, Map<String, Object>> components() {
        return Collections.unmodifiableMap(components);
    }

    /** The record each component schema was made from, for the test that compares them. */
    Map<String, Class<?>> records() {
        return Collections.unmodifiableMap(recordsByName);
    }

    /** The schema of a body of type {@code type}; records are referenced and defined once. */
    Map<String, Object> schema(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (raw == boolean.class || raw == Boolean.class) {
            return Map.of("type", "boolean");
        }
        if (raw == int.class || raw == Integer.class || raw == short.class || raw == Short.class) {
            return Map.of("type", "integer", "format", "int32");
        }
        if (raw == long.class || raw == Long.class) {
            return Map.of("type", "integer", "format", "int64");
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            return Map.of("type", "number");
        }
        if (raw == String.class) {
            return Map.of("type", "string");
        }
        if (raw == Instant.class) {
            return Map.of("type", "string", "format", "date-time");
        }
        if (raw.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : raw.getEnumConstants()) {
                names.add(((Enum<?>) constant).name()); // Jackson's default: the constant's name
            }
            return Map.of("type", "string", "enum", names);
        }
        if (JsonNode.class.isAssignableFrom(raw)) {
            return Map.of(); // any JSON value, by design (a control value, a dashboard's free-form config)
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            return Map.of("type", "array", "items", schema(type.getContentType()));
        }
        if (type.isMapLikeType() && type.getKeyType().getRawClass() == String.class) {
            return Map.of("type", "object", "additionalProperties", schema(type.getContentType()));
        }
        if (raw.isRecord()) {
            return Map.of("$ref", "#/components/schemas/" + define(raw));
        }
        throw new IllegalArgumentException("no JSON schema for " + type + ": describe the body as a record");
    }

    private String define(Class<?> record) {
        String name = record.getSimpleName();
        Class<?> known = recordsByName.putIfAbsent(name, record);
        if (known != null) {
            if (known != record) {
                throw new IllegalStateException("two body records named " + name + ": " + known.getName() + ", "
                        + record.getName());
            }
            return name;
        }
        components.put(name, Map.of()); // a placeholder, so a record that contains itself terminates
        BeanDescription description = mapper.getSerializationConfig().introspect(mapper.constructType(record));
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (BeanPropertyDefinition p : description.findProperties()) {
            JavaType propertyType = p.getPrimaryType();
            Map<String, Object> s = withLimit(record, p.getName(), schema(propertyType));
            if (propertyType.isPrimitive()) {
                required.add(p.getName());
                properties.put(p.getName(), s);
            } else {
                // Jackson writes nulls as null (no inclusion filter in ApiJson); a request may leave the field out
                properties.put(p.getName(), nullable(s));
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        schema.put("additionalProperties", false);
        components.put(name, schema);
        return name;
    }

    /** A request record's text field carries the maximum {@link InputLimits} enforces, so clients can see it. */
    private static Map<String, Object> withLimit(Class<?> record, String property, Map<String, Object> schema) {
        boolean request = record.getSimpleName().endsWith("Input") || record == AuthResource.Credentials.class
                || record == UserResource.UserUpdate.class;
        Integer max = request ? InputLimits.maxLength(property) : null;
        if (max == null || !"string".equals(schema.get("type")) || schema.size() != 1) {
            return schema;
        }
        return Map.of("type", "string", "maxLength", max);
    }

    private static Map<String, Object> nullable(Map<String, Object> schema) {
        if (schema.isEmpty()) {
            return schema;
        }
        return Map.of("anyOf", List.of(schema, Map.of("type", "null")));
    }
}
