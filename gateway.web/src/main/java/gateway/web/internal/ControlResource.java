package gateway.web.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.DataType;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorLabels;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.UserStore.Role;
import gateway.core.api.WriteRejectedException;
import gateway.core.api.WriteRejectedException.Reason;
import gateway.core.api.WriteResult;
import gateway.web.internal.ApiModel.ControlInput;
import gateway.web.internal.ApiModel.ControlSensor;
import gateway.web.internal.ApiModel.ControlView;
import gateway.web.internal.ApiModel.WriteView;

/** {@code /control/{id}}: the writable sensors of a device and writing one of them. */
final class ControlResource {

    private final GatewayServices services;

    ControlResource(GatewayServices services) {
        this.services = services;
    }

    void register(Router router) {
        router.add("GET", "/control/{id}", Role.VIEWER, "Writable sensors with ranges and current values",
                        this::list)
                .add("POST", "/control/{id}", Role.OPERATOR, "Write one sensor ({\"sensor\",\"value\"})",
                        this::write);
    }

    private Object list(ApiRequest request) throws UnknownHeatpumpException {
        String id = request.param("id");
        List<SensorDefinition> sensors = services.manager.sensors(id);
        Optional<DeviceSnapshot> latest = services.manager.latest(id);
        SensorLabels labels = services.manager.heatpump(id).map(h -> services.labels(h, request))
                .orElse(SensorLabels.ENGLISH);
        List<ControlSensor> writable = sensors.stream().filter(SensorDefinition::writable)
                .map(s -> ApiModel.control(s, latest.map(l -> l.reading(s.id())).orElse(null), labels)).toList();
        return new ControlView(id, services.manager.writeEnabled(), writable);
    }

    private Object write(ApiRequest request) throws Exception {
        String id = request.param("id");
        ControlInput in = request.body(ControlInput.class);
        if (in.sensor() == null || in.sensor().isBlank()) {
            throw ApiException.badRequest("field 'sensor' is required", List.of("sensor: required"));
        }
        if (in.value() == null || in.value().isNull() || in.value().isMissingNode()) {
            throw ApiException.badRequest("field 'value' is required", List.of("value: required"));
        }
        List<SensorDefinition> sensors = services.manager.sensors(id);
        SensorDefinition sensor = sensors.stream().filter(s -> s.id().equals(in.sensor())).findFirst()
                .orElseThrow(() -> new WriteRejectedException(Reason.UNKNOWN_SENSOR,
                        "heat pump '" + id + "' has no sensor '" + in.sensor() + "'"));
        double value = numeric(sensor, in.value());
        WriteResult result = services.manager.write(id, sensor.id(), value, request.actor());
        return new WriteView(id, sensor.id(), result.written(), result.oldValue(), result.requested(),
                result.readBack(), result.message());
    }

    /** A JSON value as the number the device stores: numbers as given, true/false for BOOL, enum labels mapped. */
    static double numeric(SensorDefinition sensor, JsonNode value) throws WriteRejectedException {
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isBoolean()) {
            if (sensor.dataType() != DataType.BOOL) {
                throw new WriteRejectedException(Reason.INVALID_VALUE,
                        "sensor '" + sensor.id() + "' takes a number, not true/false");
            }
            return value.booleanValue() ? 1 : 0;
        }
        if (value.isTextual()) {
            String label = value.textValue().trim();
            for (Map.Entry<Integer, String> e : sensor.enumValues().entrySet()) {
                if (e.getValue().equalsIgnoreCase(label)) {
                    return e.getKey();
                }
            }
            throw new WriteRejectedException(Reason.INVALID_VALUE, sensor.enumValues().isEmpty()
                    ? "sensor '" + sensor.id() + "' takes a number, not text"
                    : "'" + label + "' is not a value of sensor '" + sensor.id() + "'; allowed: "
                            + String.join(", ", sensor.enumValues().values()));
        }
        throw new WriteRejectedException(Reason.INVALID_VALUE,
                "value must be a number, true/false or an enum label");
    }
}
