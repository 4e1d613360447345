package gateway.core.store.internal;

import java.lang.reflect.Array;
import java.util.Collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * ConfigAdmin property values as JSON that keeps their Java type ({@code {"type": "Integer", "value": 5}}), so a
 * restored configuration is the same to DS and Metatype as the one backed up. Types outside ConfigAdmin's set are
 * skipped.
 */
final class TypedValues {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private TypedValues() {
    }

    /** The typed JSON of a value, or null for a type ConfigAdmin does not define. */
    static JsonNode toJson(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Collection<?> c) {
            value = c.toArray();
        }
        if (value.getClass().isArray()) {
            String element = null;
            ArrayNode items = JSON.arrayNode();
            for (int i = 0; i < Array.getLength(value); i++) {
                JsonNode item = scalar(Array.get(value, i));
                if (item == null) {
                    return null;
                }
                element = item.get("type").asText();
                items.add(item.get("value"));
            }
            if (element == null) {
                element = switch (value.getClass().getComponentType().getSimpleName()) {
                    case "int", "Integer" -> "Integer";
                    case "long", "Long" -> "Long";
                    case "boolean", "Boolean" -> "Boolean";
                    case "double", "Double" -> "Double";
                    default -> "String";
                };
            }
            ObjectNode n = JSON.objectNode();
            n.put("type", element + "[]");
            n.set("value", items);
            return n;
        }
        return scalar(value);
    }

    private static JsonNode scalar(Object v) {
        ObjectNode n = JSON.objectNode();
        if (v instanceof String s) {
            n.put("type", "String").put("value", s);
        } else if (v instanceof Integer i) {
            n.put("type", "Integer").put("value", i);
        } else if (v instanceof Long l) {
            n.put("type", "Long").put("value", l);
        } else if (v instanceof Boolean b) {
            n.put("type", "Boolean").put("value", b);
        } else if (v instanceof Double d) {
            n.put("type", "Double").put("value", d);
        } else if (v instanceof Float f) {
            n.put("type", "Float").put("value", f);
        } else if (v instanceof Short s) {
            n.put("type", "Short").put("value", s);
        } else if (v instanceof Byte b) {
            n.put("type", "Byte").put("value", b);
        } else if (v instanceof Character c) {
            n.put("type", "Character").put("value", c.toString());
        } else {
            return null;
        }
        return n;
    }

    /** @throws IllegalArgumentException for an unknown type or a value that does not fit it */
    static Object fromJson(JsonNode typed) {
        String type = typed.path("type").asText();
        JsonNode value = typed.get("value");
        if (value == null) {
            throw new IllegalArgumentException("no value");
        }
        if (type.endsWith("[]")) {
            if (!value.isArray()) {
                throw new IllegalArgumentException("expected an array");
            }
            String element = type.substring(0, type.length() - 2);
            Object out = Array.newInstance(boxed(element), value.size());
            for (int i = 0; i < value.size(); i++) {
                Array.set(out, i, scalar(element, value.get(i)));
            }
            return out;
        }
        return scalar(type, value);
    }

    private static Class<?> boxed(String type) {
        return switch (type) {
            case "String" -> String.class;
            case "Integer" -> Integer.class;
            case "Long" -> Long.class;
            case "Boolean" -> Boolean.class;
            case "Double" -> Double.class;
            case "Float" -> Float.class;
            case "Short" -> Short.class;
            case "Byte" -> Byte.class;
            case "Character" -> Character.class;
            default -> throw new IllegalArgumentException("unknown type '" + type + "'");
        };
    }

    private static Object scalar(String type, JsonNode v) {
        boolean number = v.isNumber();
        return switch (type) {
            case "String" -> v.asText();
            case "Integer" -> number && v.canConvertToInt() ? v.intValue() : bad(type);
            case "Long" -> number && v.canConvertToLong() ? v.longValue() : bad(type);
            case "Boolean" -> v.isBoolean() ? v.booleanValue() : bad(type);
            case "Double" -> number ? v.doubleValue() : bad(type);
            case "Float" -> number ? v.floatValue() : bad(type);
            case "Short" -> number && v.canConvertToInt() ? (short) v.intValue() : bad(type);
            case "Byte" -> number && v.canConvertToInt() ? (byte) v.intValue() : bad(type);
            case "Character" -> v.asText().length() == 1 ? v.asText().charAt(0) : bad(type);
            default -> throw new IllegalArgumentException("unknown type '" + type + "'");
        };
    }

    private static Object bad(String type) {
        throw new IllegalArgumentException("value is not a " + type);
    }
}
