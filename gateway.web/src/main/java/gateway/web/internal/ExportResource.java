package gateway.web.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;

import gateway.core.api.DataType;
import gateway.core.api.DerivedSensors;
import gateway.core.api.HistoryStore;
import gateway.core.api.SensorDefinition;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.UserStore.Role;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /export/{id}?sensors=a,b&from=&to=&format=csv|json}: the stored readings of chosen sensors over a range,
 * streamed row by row from the history store's cursor, so a year of data never sits in memory.
 */
final class ExportResource {

    static final int MAX_SENSORS = 100;

    private final GatewayServices services;

    ExportResource(GatewayServices services) {
        this.services = services;
    }

    void register(Router router) {
        router.add("GET", "/export/{id}", Role.VIEWER,
                "Stored readings of chosen sensors as CSV or JSON, streamed (?sensors=a,b&from=&to=&format=csv|json)",
                this::export);
    }

    private Object export(ApiRequest request) throws UnknownHeatpumpException, IOException {
        String id = request.param("id");
        services.manager.status(id); // 404 for an unknown device
        String list = request.query("sensors");
        if (list == null) {
            throw ApiException.badRequest("'sensors' is required: a comma-separated list of sensor ids");
        }
        List<String> sensors = new ArrayList<>(new LinkedHashSet<>(List.of(list.split("\\s*,\\s*"))));
        sensors.removeIf(String::isBlank);
        if (sensors.isEmpty() || sensors.size() > MAX_SENSORS) {
            throw ApiException.badRequest("'sensors' must name 1 to " + MAX_SENSORS + " sensors");
        }
        Instant to = DataResource.instant(request.query("to"), "to");
        Instant from = DataResource.instant(request.query("from"), "from");
        to = to == null ? services.clock.instant() : to;
        from = from == null ? to.minus(DataResource.DEFAULT_RANGE) : from;
        if (from.isAfter(to)) {
            throw ApiException.badRequest("'from' (" + from + ") must not be after 'to' (" + to + ")");
        }
        String format = request.query("format") == null ? "csv" : request.query("format").toLowerCase(Locale.ROOT);
        if (!format.equals("csv") && !format.equals("json")) {
            throw ApiException.badRequest("'format' must be csv or json, got '" + format + "'");
        }
        HistoryStore history = services.history();
        Map<String, SensorDefinition> definitions = new HashMap<>();
        DerivedSensors.COP_SENSORS.forEach(s -> definitions.put(s.id(), s));
        services.manager.sensors(id).forEach(s -> definitions.put(s.id(), s));

        HttpServletResponse response = request.servletResponse();
        response.setStatus(200);
        response.setContentType(format.equals("csv") ? "text/csv; charset=utf-8" : ApiServlet.JSON);
        response.setHeader("Content-Disposition", "attachment; filename=\"" + id + "-history." + format + "\"");
        Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8),
                1 << 16);
        if (format.equals("csv")) {
            out.write("time,sensor,value,unit\n");
            history.export(id, sensors, from, to, (sensor, time, value) -> {
                out.write(time.toString());
                out.write(',');
                out.write(csv(sensor));
                out.write(',');
                out.write(plain(value, definitions.get(sensor)));
                out.write(',');
                out.write(csv(unit(definitions.get(sensor))));
                out.write('\n');
            });
            out.flush();
        } else {
            JsonGenerator json = request.mapper().getFactory().createGenerator(out);
            json.writeStartObject();
            json.writeStringField("heatpump_id", id);
            json.writeStringField("from", from.toString());
            json.writeStringField("to", to.toString());
            json.writeArrayFieldStart("sensors");
            for (String s : sensors) {
                json.writeString(s);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("rows");
            history.export(id, sensors, from, to, (sensor, time, value) -> {
                json.writeStartObject();
                json.writeStringField("time", time.toString());
                json.writeStringField("sensor", sensor);
                json.writeNumberField("value", new BigDecimal(plain(value, definitions.get(sensor))));
                json.writeStringField("unit", unit(definitions.get(sensor)));
                json.writeEndObject();
            });
            json.writeEndArray();
            json.writeEndObject();
            json.flush();
        }
        return Reply.STREAMED;
    }

    /**
     * The value as a person would write it: scaled registers (23 × 0.1) and float32 registers carry binary noise
     * (2.3000000000000003, 0.10000000149011612) that no device measured. 12 significant digits are kept, 7 for float32.
     */
    static String plain(double value, SensorDefinition sensor) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        int digits = sensor != null && sensor.dataType() == DataType.FLOAT32 ? 7 : 12;
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(digits)).stripTrailingZeros();
        return rounded.scale() < 0 ? rounded.setScale(0).toPlainString() : rounded.toPlainString();
    }

    private static String unit(SensorDefinition sensor) {
        return sensor == null ? "" : sensor.unit();
    }

    private static String csv(String s) {
        return s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 ? s
                : '"' + s.replace("\"", "\"\"") + '"';
    }
}
