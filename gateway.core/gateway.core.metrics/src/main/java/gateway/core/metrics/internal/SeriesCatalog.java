package gateway.core.metrics.internal;

import gateway.core.api.DerivedSensors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import gateway.core.api.DataType;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.SensorDefinition;
import gateway.core.api.UnknownHeatpumpException;

/**
 * The series of each device's sensors (name, type, labels), computed once per sensor list and reused for every
 * snapshot: a driver's sensor list only changes when its driver or configuration does, and the manager then hands
 * out a new list.
 */
public final class SeriesCatalog {

    /**
     * One sensor's series with its label set already rendered.
     *
     * @param promPrefix   {@code name{labels} } for the Prometheus text format
     * @param influxPrefix {@code measurement,tags field=} for the InfluxDB line protocol (VictoriaMetrics names the
     *                     series {@code measurement_field})
     * @param labelPairs   name, value, name, value… sorted by name, {@code __name__} included: a remote-write
     *                     series' labels (the specification wants them sorted)
     * @param remoteWriteLabels one slot for the labels encoded for remote write, filled by the push on first use
     *                     (only a remote-write push pays their memory)
     */
    public record Entry(MetricNaming.Series series, String labels, String promPrefix, String influxPrefix,
                        String[] labelPairs, byte[][] remoteWriteLabels) {
    }

    private record Cached(List<SensorDefinition> source, String manufacturer, String model,
                          Map<String, Entry> entries) {
    }

    private static final Map<String, SensorDefinition> DERIVED = new HashMap<>();

    static {
        DerivedSensors.COP_SENSORS.forEach(d -> DERIVED.put(d.id(), d));
    }

    private final Function<String, List<SensorDefinition>> sensors;
    private final boolean compat;
    /** Labels every series carries besides its own (the gateway identity), in order. */
    private final Map<String, String> extraLabels;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public SeriesCatalog(HeatpumpManager manager, boolean compat) {
        this(manager, compat, Map.of());
    }

    /** @param extraLabels labels added to every series, in this order (e.g. gateway_id and site) */
    public SeriesCatalog(HeatpumpManager manager, boolean compat, Map<String, String> extraLabels) {
        this(id -> {
            try {
                return manager.sensors(id);
            } catch (UnknownHeatpumpException e) {
                return List.of();
            }
        }, compat, extraLabels);
    }

    /** @param sensors the sensor definitions of a device id (the same list instance while it is unchanged) */
    public SeriesCatalog(Function<String, List<SensorDefinition>> sensors, boolean compat) {
        this(sensors, compat, Map.of());
    }

    public SeriesCatalog(Function<String, List<SensorDefinition>> sensors, boolean compat,
                         Map<String, String> extraLabels) {
        this.sensors = sensors;
        this.compat = compat;
        this.extraLabels = new java.util.LinkedHashMap<>(extraLabels);
    }

    public boolean compat() {
        return compat;
    }

    /** The entries of a device by sensor id; sensors unknown to the driver get a unit-less gauge on demand. */
    public Map<String, Entry> entries(String heatpumpId, String manufacturer, String model) {
        List<SensorDefinition> defs = sensors.apply(heatpumpId);
        Cached c = cache.get(heatpumpId);
        if (c == null || c.source != defs || !c.manufacturer.equals(manufacturer) || !c.model.equals(model)) {
            Map<String, Entry> entries = new ConcurrentHashMap<>();
            for (SensorDefinition d : defs) {
                if (d.dataType() != DataType.STRING) {
                    entries.put(d.id(), entry(heatpumpId, manufacturer, model, d));
                }
            }
            for (SensorDefinition d : DERIVED.values()) {
                entries.put(d.id(), entry(heatpumpId, manufacturer, model, d));
            }
            c = new Cached(defs, manufacturer, model, entries);
            cache.put(heatpumpId, c);
        }
        return c.entries;
    }

    /** The entry of a sensor the driver does not list (e.g. another helper's derived value): a plain gauge. */
    public Entry unknown(Map<String, Entry> entries, String heatpumpId, String manufacturer, String model,
                         String sensorId) {
        return entries.computeIfAbsent(sensorId, id -> entry(heatpumpId, manufacturer, model,
                SensorDefinition.builder(id).type(DataType.FLOAT32).kind(gateway.core.api.RegisterKind.VIRTUAL)
                        .build()));
    }

    public void forget(String heatpumpId) {
        cache.remove(heatpumpId);
    }

    private Entry entry(String heatpumpId, String manufacturer, String model, SensorDefinition d) {
        MetricNaming.Series s = MetricNaming.series(d, compat);
        String labels = MetricNaming.labels(heatpumpId, manufacturer, model, s, extraLabels);
        String measurement = compat ? MetricNaming.COMPAT_PREFIX : MetricNaming.PREFIX;
        StringBuilder influx = new StringBuilder(96)
                .append(measurement, 0, measurement.length() - 1)
                .append(",heatpump_id=").append(tag(heatpumpId))
                .append(",manufacturer=").append(tag(manufacturer))
                .append(",model=").append(tag(model));
        if (s.circuit() != null) {
            influx.append(",circuit=").append(tag(s.circuit()));
        }
        if (s.zone() != null) {
            influx.append(",zone=").append(tag(s.zone()));
        }
        for (Map.Entry<String, String> l : extraLabels.entrySet()) {
            influx.append(',').append(tag(l.getKey())).append('=').append(tag(l.getValue()));
        }
        influx.append(' ').append(tag(s.name().substring(measurement.length()))).append('=');
        return new Entry(s, labels, s.name() + labels + " ", influx.toString(),
                labelPairs(s, heatpumpId, manufacturer, model), new byte[1][]);
    }

    private String[] labelPairs(MetricNaming.Series s, String heatpumpId, String manufacturer, String model) {
        java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>(extraLabels);
        sorted.put("__name__", s.name());
        sorted.put("heatpump_id", heatpumpId);
        sorted.put("manufacturer", manufacturer);
        sorted.put("model", model);
        if (s.circuit() != null) {
            sorted.put("circuit", s.circuit());
        }
        if (s.zone() != null) {
            sorted.put("zone", s.zone());
        }
        String[] pairs = new String[sorted.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            pairs[i++] = e.getKey();
            pairs[i++] = e.getValue();
        }
        return pairs;
    }

    /** InfluxDB line protocol escaping for tag keys, values and field keys. */
    static String tag(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '=' || c == ' ' || c == '\\') {
                b.append('\\');
            }
            b.append(c == '\n' ? ' ' : c);
        }
        return b.toString();
    }
}
