package gateway.web.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import gateway.core.api.DeviceSnapshot;
import gateway.core.api.Heatpump;
import gateway.core.api.HistoryStore;
import gateway.core.api.SensorDefinition;
import gateway.core.api.SensorLabels;
import gateway.core.api.SensorReading;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.UserStore.Role;
import gateway.web.internal.ApiModel.DataView;
import gateway.web.internal.ApiModel.HistoryView;
import gateway.web.internal.ApiModel.ReadingView;

/** {@code /data} (latest values) and {@code /history} (stored series). */
final class DataResource {

    static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    static final int DEFAULT_POINTS = 500;
    static final int MAX_POINTS = 5000;

    private final GatewayServices services;

    DataResource(GatewayServices services) {
        this.services = services;
    }

    void register(Router router) {
        router.add("GET", "/data/all", Role.VIEWER, "Latest values of every heat pump", this::all)
                .add("GET", "/data/{id}", Role.VIEWER, "Latest values of one heat pump",
                        this::one)
                .add("GET", "/history/{id}", Role.VIEWER,
                        "Stored series of one sensor (?sensor=&from=&to=&points=)", this::history);
    }

    private Object one(ApiRequest request) throws UnknownHeatpumpException {
        String id = request.param("id");
        Heatpump h = services.manager.heatpump(id).orElseThrow(() -> new UnknownHeatpumpException(id));
        return data(id, services.labels(h, request));
    }

    private Object all(ApiRequest request) {
        Map<String, DataView> out = new LinkedHashMap<>();
        for (Heatpump h : services.manager.heatpumps()) {
            try {
                out.put(h.id(), data(h.id(), services.labels(h, request)));
            } catch (UnknownHeatpumpException e) {
                // deleted while listing
            }
        }
        return out;
    }

    DataView data(String id, SensorLabels labels) throws UnknownHeatpumpException {
        Optional<DeviceSnapshot> latest = services.manager.latest(id);
        String state = ApiModel.lower(services.manager.status(id).state());
        Map<String, SensorDefinition> sensors = new LinkedHashMap<>();
        services.manager.sensors(id).forEach(s -> sensors.put(s.id(), s));
        Map<String, ReadingView> values = new LinkedHashMap<>();
        if (latest.isEmpty()) {
            return new DataView(id, null, state, values);
        }
        Map<String, SensorReading> readings = latest.get().readings();
        // driver order first (it groups related sensors), then anything the driver no longer lists
        sensors.forEach((sid, def) -> {
            SensorReading r = readings.get(sid);
            if (r != null) {
                values.put(sid, ApiModel.reading(r, def, labels));
            }
        });
        readings.keySet().stream().filter(sid -> !values.containsKey(sid)).sorted()
                .forEach(sid -> values.put(sid, ApiModel.reading(readings.get(sid), null)));
        return new DataView(id, latest.get().time(), state, values);
    }

    private Object history(ApiRequest request) throws UnknownHeatpumpException {
        String id = request.param("id");
        String sensor = request.query("sensor");
        Instant to = instant(request.query("to"), "to");
        Instant from = instant(request.query("from"), "from");
        Integer points = integer(request.query("points"), "points");
        if (sensor == null) {
            throw ApiException.badRequest("query parameter 'sensor' is required");
        }
        if (to == null) {
            to = services.clock.instant();
        }
        if (from == null) {
            from = to.minus(DEFAULT_RANGE);
        }
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("'from' (" + from + ") must be before 'to' (" + to + ")");
        }
        int buckets = points == null ? DEFAULT_POINTS : points;
        if (buckets < 1 || buckets > MAX_POINTS) {
            throw ApiException.badRequest("'points' must be 1.." + MAX_POINTS + ", got " + buckets);
        }
        services.manager.heatpump(id).orElseThrow(() -> new UnknownHeatpumpException(id));
        HistoryStore history = services.history();
        SensorDefinition definition = services.manager.sensors(id).stream()
                .filter(s -> s.id().equals(sensor)).findFirst().orElse(null);
        // a sensor the driver no longer offers (or a missing driver) may still have stored history
        if (definition == null && !history.sensorsWithHistory(id).contains(sensor)) {
            throw new ApiException(404, "unknown-sensor", "Unknown sensor",
                    "heat pump '" + id + "' has no sensor '" + sensor + "'", null);
        }
        List<HistoryStore.Point> series;
        try {
            series = history.query(id, sensor, from, to, buckets);
        } catch (IllegalStateException e) {
            // the history source is a remote query API (pid gateway.history) that failed: its fault, not the caller's
            throw new ApiException(502, "history-source", "History source unavailable", e.getMessage(), null);
        }
        return new HistoryView(id, sensor, definition == null ? null : definition.unit(), from, to, series);
    }

    /** ISO-8601 instant ({@code 2026-11-27T10:00:00Z}) or epoch seconds. */
    static Instant instant(String text, String name) {
        if (text == null) {
            return null;
        }
        if (text.matches("-?\\d{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(text));
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("'" + name + "' must be an ISO-8601 instant (2026-11-27T10:00:00Z) or "
                    + "epoch seconds, got '" + text + "'");
        }
    }

    private static Integer integer(String text, String name) {
        if (text == null) {
            return null;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + name + "' must be an integer, got '" + text + "'");
        }
    }
}
