package gateway.web.internal;

import gateway.core.api.MqttStatus;
import gateway.core.api.UserStore.Role;

/** {@code GET /mqtt}: the MQTT bridge's state (connected, connecting, unauthorized...), last error and counters. */
final class MqttResource {

    volatile MqttStatus mqtt;

    void register(Router router) {
        router.add("GET", "/mqtt", Role.VIEWER,
                "State of the MQTT bridge: connection state, last error, messages published and dropped, commands",
                r -> status());
    }

    private Object status() {
        MqttStatus m = mqtt;
        if (m == null) {
            throw ApiException.unavailable("mqtt-unavailable", "MQTT unavailable",
                    "the MQTT bundle (gateway.core.mqtt) is not running");
        }
        return m.status();
    }
}
