package gateway.core.store.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import gateway.core.api.ConnectionConfig;
import gateway.core.api.DeviceConfig;

/**
 * The JSON text of the {@code connection_config} and {@code device_config} columns. Written by hand from the
 * records (snake_case, the original's field names where it had them) so the stored shape does not follow a rename
 * of a record component.
 */
final class DeviceJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private DeviceJson() {
    }

    static String connection(ConnectionConfig cc) {
        return connection(cc, null);
    }

    /** @param secrets seals secret options (null: written as they are) */
    static String connection(ConnectionConfig cc, SecretCipher secrets) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("host", cc.host());
        n.put("port", cc.port());
        n.put("unit_id", cc.unitId());
        n.put("timeout_ms", cc.timeoutMs());
        n.set("options", options(sealed(cc.options(), secrets)));
        return write(n);
    }

    static ConnectionConfig connection(String json) {
        return connection(json, null);
    }

    static ConnectionConfig connection(String json, SecretCipher secrets) {
        JsonNode n = read(json);
        return new ConnectionConfig(n.path("host").asText(""), n.path("port").asInt(0), n.path("unit_id").asInt(0),
                n.path("timeout_ms").asInt(0), opened(options(n.path("options")), secrets));
    }

    /** True when a stored connection still carries a secret option in plain text (written before sealing). */
    static boolean hasPlainSecret(String json) {
        return options(read(json).path("options")).entrySet().stream()
                .anyMatch(e -> SecretCipher.isSecret(e.getKey()) && !SecretCipher.sealed(e.getValue()));
    }

    private static Map<String, String> sealed(Map<String, String> options, SecretCipher secrets) {
        if (secrets == null) {
            return options;
        }
        Map<String, String> out = new LinkedHashMap<>();
        options.forEach((k, v) -> out.put(k, SecretCipher.isSecret(k) ? secrets.seal(v) : v));
        return out;
    }

    private static Map<String, String> opened(Map<String, String> options, SecretCipher secrets) {
        if (secrets == null) {
            return options;
        }
        Map<String, String> out = new LinkedHashMap<>();
        options.forEach((k, v) -> out.put(k, secrets.open(v)));
        return out;
    }

    static String device(DeviceConfig dc) {
        ObjectNode n = MAPPER.createObjectNode();
        ArrayNode circuits = n.putArray("circuits");
        dc.circuits().forEach(circuits::add);
        ArrayNode zones = n.putArray("zones");
        dc.zones().forEach(zones::add);
        n.set("options", options(dc.options()));
        return write(n);
    }

    static DeviceConfig device(String json) {
        if (json == null || json.isBlank()) {
            return DeviceConfig.empty();
        }
        JsonNode n = read(json);
        List<String> circuits = new ArrayList<>();
        n.path("circuits").forEach(c -> circuits.add(c.asText()));
        List<Integer> zones = new ArrayList<>();
        n.path("zones").forEach(z -> zones.add(z.asInt()));
        return new DeviceConfig(circuits, zones, options(n.path("options")));
    }

    private static ObjectNode options(Map<String, String> options) {
        ObjectNode o = MAPPER.createObjectNode();
        new TreeMap<>(options).forEach(o::put);
        return o;
    }

    private static Map<String, String> options(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot write JSON", e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
