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
 *
 * <p>Memory: a device has a hundred entries and a plant thousands of devices, so an entry holds only what is its
 * own. The rendered label sets and InfluxDB tags are shared by the entries of a device that have the same ones (all
 * but those of another circuit or zone), a sensor's {@link MetricNaming.Series} by every device with that sensor,
 * and the full prefixes are appended from those parts where they are written instead of being kept per entry
 * (kept, they were two thirds of a scraped gateway's catalog: about 45 KB per device).
 */
public final class SeriesCatalog {

    /** One sensor's series of one device with its label set already rendered. */
    public static final class Entry {
        private final MetricNaming.Series series;
        private final String labels;
        private final String influxTags;
        private final String influxField;
        private final String heatpumpId;
        private final String manufacturer;
        private final String model;
        private final Map<String, String> extraLabels;
        private volatile byte[] remoteWriteLabels;

        Entry(MetricNaming.Series series, String labels, String influxTags, String influxField, String heatpumpId,
              String manufacturer, String model, Map<String, String> extraLabels) {
            this.series = series;
            this.labels = labels;
            this.influxTags = influxTags;
            this.influxField = influxField;
            this.heatpumpId = heatpumpId;
            this.manufacturer = manufacturer;
            this.model = model;
            this.extraLabels = extraLabels;
        }

        public MetricNaming.Series series() {
            return series;
        }

        /** {@code {heatpump_id="…",…}} */
        public String labels() {
            return labels;
        }

        /** Appends {@code name{labels} } for the Prometheus text format. */
        public StringBuilder appendPromPrefix(StringBuilder b) {
            return b.append(series.name()).append(labels).append(' ');
        }

        /**
         * Appends {@code measurement,tags field=} for the InfluxDB line protocol (VictoriaMetrics names the series
         * {@code measurement_field}).
         */
        public StringBuilder appendInfluxPrefix(StringBuilder b) {
            return b.append(influxTags).append(' ').append(influxField).append('=');
        }

        /**
         * Name, value, name, value… sorted by name, {@code __name__} included: a remote-write series' labels (the
         * specification wants them sorted). Made on each call: the push keeps their encoding instead.
         */
        public String[] labelPairs() {
            java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>(extraLabels);
            sorted.put("__name__", series.name());
            sorted.put("heatpump_id", heatpumpId);
            sorted.put("manufacturer", manufacturer);
            sorted.put("model", model);
            if (series.circuit() != null) {
                sorted.put("circuit", series.circuit());
            }
            if (series.zone() != null) {
                sorted.put("zone", series.zone());
            }
            String[] pairs = new String[sorted.size() * 2];
            int i = 0;
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                pairs[i++] = e.getKey();
                pairs[i++] = e.getValue();
            }
            return pairs;
        }

        /** The labels encoded for remote write, once a remote-write push made them (only such a push pays them). */
        public byte[] remoteWriteLabels() {
            return remoteWriteLabels;
        }

        /** Keeps the encoded labels; a race stores the same bytes twice, harmlessly. */
        public void remoteWriteLabels(byte[] encoded) {
            remoteWriteLabels = encoded;
        }
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
    /** A sensor's series depends on its definition alone: devices of one model share them. */
    private final Map<SensorDefinition, MetricNaming.Series> seriesOf = new ConcurrentHashMap<>();
    /** The InfluxDB field of a series, likewise. */
    private final Map<MetricNaming.Series, String> fieldOf = new ConcurrentHashMap<>();

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
        this.extraLabels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extraLabels));
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
            Map<String, String> shared = new HashMap<>();
            for (SensorDefinition d : defs) {
                if (d.dataType() != DataType.STRING) {
                    entries.put(d.id(), entry(heatpumpId, manufacturer, model, d, shared));
                }
            }
            for (SensorDefinition d : DERIVED.values()) {
                entries.put(d.id(), entry(heatpumpId, manufacturer, model, d, shared));
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
                        .build(), new HashMap<>()));
    }

    public void forget(String heatpumpId) {
        cache.remove(heatpumpId);
    }

    /** @param shared rendered strings of this device's entries so far, each kept once */
    private Entry entry(String heatpumpId, String manufacturer, String model, SensorDefinition d,
                        Map<String, String> shared) {
        MetricNaming.Series s = seriesOf.computeIfAbsent(d, x -> MetricNaming.series(x, compat));
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
        String tags = influx.toString();
        return new Entry(s, shared.computeIfAbsent(labels, k -> k), shared.computeIfAbsent(tags, k -> k),
                fieldOf.computeIfAbsent(s, x -> tag(x.name().substring(measurement.length()))), heatpumpId,
                manufacturer, model, extraLabels);
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
