package gateway.core.mqtt.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.Quality;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

/** JSON payloads of the value, state and command-result topics. */
final class Payloads {

    static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {
    }

    /**
     * {@code {"value", "unit", "quality", "timestamp"}} plus {@code "text"} where the reading has one (enums). Written
     * with Jackson's streaming generator rather than a tree: one of these is built per sensor and poll.
     */
    static byte[] value(SensorReading r, SensorDefinition def) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            Double v = r.value();
            if (v == null || !Double.isFinite(v)) {
                g.writeNullField("value");
            } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                g.writeNumberField("value", v.longValue());
            } else {
                g.writeNumberField("value", v.doubleValue());
            }
            g.writeStringField("unit", def == null ? "" : def.unit());
            g.writeStringField("quality", QUALITY[r.quality().ordinal()]);
            g.writeStringField("timestamp", r.timestamp() == null ? null : r.timestamp().toString());
            if (r.text() != null) {
                g.writeStringField("text", r.text());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static final String[] QUALITY = java.util.Arrays.stream(Quality.values())
            .map(q -> q.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    /** Every good value of the snapshot as one object: number, or text for sensors that only have text. */
    static byte[] state(DeviceSnapshot s, Map<String, SensorDefinition> defs) {
        ObjectNode o = JSON.createObjectNode();
        s.readings().values().stream().filter(SensorReading::good)
                .sorted(java.util.Comparator.comparing(SensorReading::sensorId)).forEach(r -> {
                    if (r.value() != null) {
                        putNumber(o, r.sensorId(), r.value(), defs.get(r.sensorId()));
                    } else if (r.text() != null) {
                        o.put(r.sensorId(), r.text());
                    }
                });
        return bytes(o);
    }

    static byte[] result(String status, String detail) {
        ObjectNode o = JSON.createObjectNode();
        o.put("status", status);
        o.put("detail", detail);
        return bytes(o);
    }

    /** Whole numbers without a fraction (so templates compare {@code value == 1}), others as decimals. */
    static void putNumber(ObjectNode o, String field, Double value, SensorDefinition def) {
        if (value == null || !Double.isFinite(value)) {
            o.putNull(field);
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            o.put(field, value.longValue());
        } else {
            o.put(field, value);
        }
    }

    static byte[] bytes(Object node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
