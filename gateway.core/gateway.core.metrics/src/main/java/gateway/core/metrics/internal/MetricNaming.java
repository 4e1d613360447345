package gateway.core.metrics.internal;

import java.util.Locale;
import java.util.regex.Pattern;

import gateway.core.api.SensorCategory;
import gateway.core.api.SensorDefinition;

/**
 * Turns a sensor definition into a Prometheus series: a name after the Prometheus conventions (prefix
 * {@code heatpump_}, base units as suffix, {@code _total} for counters), a factor from the sensor's unit to that base
 * unit, and its circuit/zone label. The circuit or zone part of the sensor id moves into a label, so the series of
 * all circuits share one name. The display name never enters a series' identity.
 */
public final class MetricNaming {

    public static final String PREFIX = "heatpump_";
    /** The original system's series prefix (InfluxDB measurement {@code idm_heatpump}, field = sensor id). */
    public static final String COMPAT_PREFIX = "idm_heatpump_";

    private static final Pattern CIRCUIT_PART = Pattern.compile("_(circuit|hk)_[a-z0-9]+(?=_|$)");
    private static final Pattern ZONE_PART = Pattern.compile("_zone_[0-9]+(?=_|$)");
    private static final Pattern NOT_NAME = Pattern.compile("[^a-zA-Z0-9_]");

    public enum Type {
        GAUGE, COUNTER;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param name    full series name
     * @param type    gauge or counter
     * @param factor  multiply the sensor value by this to get the base unit
     * @param circuit circuit label value or null
     * @param zone    zone label value or null
     * @param help    HELP text (the sensor's display name and unit; help text is not part of a series' identity)
     */
    public record Series(String name, Type type, double factor, String circuit, String zone, String help) {
    }

    private MetricNaming() {
    }

    /** The series for a sensor; {@code compat} selects the original system's names and raw units. */
    public static Series series(SensorDefinition d, boolean compat) {
        String id = sanitize(d.id());
        String help = helpText(d);
        if (compat) {
            // the original's names are kept as they were; those ending in _total are its cumulative counters
            return new Series(COMPAT_PREFIX + id, id.endsWith("_total") ? Type.COUNTER : Type.GAUGE, 1, null, null,
                    help);
        }
        String base = id.toLowerCase(Locale.ROOT);
        String circuit = d.circuit() == null ? null : d.circuit().toLowerCase(Locale.ROOT);
        String zone = d.zone() == null ? null : String.valueOf(d.zone());
        if (circuit != null) {
            base = CIRCUIT_PART.matcher(base).replaceFirst("");
        }
        if (zone != null) {
            base = ZONE_PART.matcher(base).replaceFirst("");
        }
        Unit u = unit(d.unit());
        boolean counter = d.category() == SensorCategory.COUNTER
                || d.category() == SensorCategory.ENERGY && (base.contains("total") || base.contains("counter"));
        // "_total" belongs only at the end of a counter's name
        base = base.replace("_total", "");
        if (base.endsWith("_" + u.suffix) || u.suffix.isEmpty()) {
            u = new Unit(u.factor, "");
        }
        StringBuilder name = new StringBuilder(PREFIX).append(base);
        if (!u.suffix.isEmpty()) {
            name.append('_').append(u.suffix);
        }
        if (counter) {
            name.append("_total");
        }
        return new Series(name.toString(), counter ? Type.COUNTER : Type.GAUGE, u.factor, circuit, zone, help);
    }

    private record Unit(double factor, String suffix) {
    }

    private static Unit unit(String unit) {
        String u = unit == null ? "" : unit.trim();
        return switch (u) {
            case "°C", "C", "degC" -> new Unit(1, "celsius");
            case "K" -> new Unit(1, "kelvin");
            case "W" -> new Unit(1, "watts");
            case "kW" -> new Unit(1000, "watts");
            // joules, not kilowatt-hours: promtool's lint rejects "hours" in a name (base unit is the second)
            case "kWh" -> new Unit(3.6e6, "joules");
            case "Wh" -> new Unit(3600, "joules");
            case "MWh" -> new Unit(3.6e9, "joules");
            case "bar" -> new Unit(100_000, "pascals");
            case "kPa" -> new Unit(1000, "pascals");
            case "Pa" -> new Unit(1, "pascals");
            case "%" -> new Unit(0.01, "ratio");
            case "Hz" -> new Unit(1, "hertz");
            case "h" -> new Unit(3600, "seconds");
            case "min" -> new Unit(60, "seconds");
            case "s" -> new Unit(1, "seconds");
            case "ms" -> new Unit(0.001, "seconds");
            case "l/min" -> new Unit(1.0 / 60_000, "cubic_meters_per_second");
            case "l/h" -> new Unit(1.0 / 3_600_000, "cubic_meters_per_second");
            case "m³/h", "m3/h" -> new Unit(1.0 / 3600, "cubic_meters_per_second");
            case "V" -> new Unit(1, "volts");
            case "A" -> new Unit(1, "amperes");
            case "rpm" -> new Unit(1.0 / 60, "hertz");
            default -> new Unit(1, "");
        };
    }

    static String sanitize(String id) {
        String s = NOT_NAME.matcher(id).replaceAll("_");
        return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "_" + s : s;
    }

    private static String helpText(SensorDefinition d) {
        String text = d.name() + (d.unit().isEmpty() ? "" : " (" + d.unit() + ")");
        return text.replace("\\", "\\\\").replace("\n", " ");
    }

    /** A label value escaped for the text format. */
    public static String escape(String v) {
        if (v.indexOf('\\') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) {
            return v;
        }
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** The label set {@code {heatpump_id="…",manufacturer="…",model="…"[,circuit="…"][,zone="…"]}}. */
    public static String labels(String heatpumpId, String manufacturer, String model, Series s) {
        return labels(heatpumpId, manufacturer, model, s, java.util.Map.of());
    }

    /** The same followed by {@code extra} (e.g. the gateway identity), in its order. */
    public static String labels(String heatpumpId, String manufacturer, String model, Series s,
                                java.util.Map<String, String> extra) {
        StringBuilder b = new StringBuilder(96).append("{heatpump_id=\"").append(escape(heatpumpId))
                .append("\",manufacturer=\"").append(escape(manufacturer)).append("\",model=\"")
                .append(escape(model)).append('"');
        if (s.circuit() != null) {
            b.append(",circuit=\"").append(escape(s.circuit())).append('"');
        }
        if (s.zone() != null) {
            b.append(",zone=\"").append(escape(s.zone())).append('"');
        }
        for (java.util.Map.Entry<String, String> e : extra.entrySet()) {
            b.append(',').append(e.getKey()).append("=\"").append(escape(e.getValue())).append('"');
        }
        return b.append('}').toString();
    }

    /** A sample value in the text format (Go's float formatting accepts Java's, plus NaN/±Inf spelled this way). */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
