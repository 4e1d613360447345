package gateway.core.mqtt.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import gateway.core.api.DataType;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorReading;

/**
 * {@code publish.interval.seconds}: at most one value message per sensor per interval, measured in poll time (so
 * simulated time works), except that an enum or on/off value is published at once when it changes.
 */
final class PublishThrottle {

    private record Last(Instant at, Double value, String text) {
    }

    private final Duration interval;
    private final Map<String, Last> last = new ConcurrentHashMap<>();

    PublishThrottle(int intervalSeconds) {
        this.interval = Duration.ofSeconds(intervalSeconds);
    }

    boolean due(String heatpumpId, String sensorId, SensorReading r, SensorDefinition def, Instant pollTime) {
        if (interval.isZero()) {
            return true;
        }
        String key = heatpumpId + "\u0000" + sensorId;
        Last before = last.get(key);
        boolean due = before == null || !pollTime.isBefore(before.at.plus(interval))
                || discrete(def) && (!Objects.equals(before.value, r.value()) || !Objects.equals(before.text, r.text()));
        if (due) {
            last.put(key, new Last(pollTime, r.value(), r.text()));
        }
        return due;
    }

    void forget(String heatpumpId) {
        last.keySet().removeIf(k -> k.startsWith(heatpumpId + "\u0000"));
    }

    private static boolean discrete(SensorDefinition def) {
        return def != null && (def.dataType() == DataType.ENUM || def.dataType() == DataType.BOOL
                || def.dataType() == DataType.BITFIELD);
    }
}
