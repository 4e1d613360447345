package gateway.core.metrics.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.HistoryStore;

/**
 * History read from a Prometheus-compatible query API (VictoriaMetrics, Prometheus, Mimir, Thanos Query) instead of
 * H2: the series the push writes, selected by name, {@code heatpump_id}, circuit/zone and this gateway's
 * {@code gateway_id}, through {@code /api/v1/query_range}. Each bucket is the average of its step with its minimum
 * and maximum ({@code avg/min/max_over_time}); values are converted back to the device's units (the push scales
 * e.g. kW to W).
 */
public final class PrometheusHistoryStore implements HistoryStore {

    /** Prometheus refuses more than 11,000 points per series in one query_range. */
    static final int MAX_POINTS = 11_000;
    /** Labels that identify a series; manufacturer, model and site follow from them. */
    private static final Set<String> SELECTOR_LABELS = Set.of("__name__", "heatpump_id", "circuit", "zone",
            "gateway_id");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HeatpumpManager manager;
    private final SeriesCatalog catalog;
    /** X-Scope-OrgID for a multi-tenant Mimir or Cortex; empty = none. */
    private final String tenant;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param base the query API's base URL, e.g. {@code http://victoria:8428} or {@code http://vmselect:8481/select/0/prometheus} */
    public PrometheusHistoryStore(URI base, HeatpumpManager manager, SeriesCatalog catalog) {
        this(base, manager, catalog, "");
    }

    /** @param tenant sent as {@code X-Scope-OrgID} (a multi-tenant Mimir or Cortex); empty = none */
    public PrometheusHistoryStore(URI base, HeatpumpManager manager, SeriesCatalog catalog, String tenant) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.manager = manager;
        this.catalog = catalog;
        this.tenant = tenant == null ? "" : tenant;
    }

    @Override
    public List<Point> query(String heatpumpId, String sensorId, Instant from, Instant to, int points) {
        Optional<SeriesCatalog.Entry> entry = entry(heatpumpId, sensorId);
        if (entry.isEmpty() || !to.isAfter(from)) {
            return List.of();
        }
        int buckets = points <= 0 || points > MAX_POINTS ? MAX_POINTS : points;
        long stepMillis = Math.max(1000, (to.toEpochMilli() - from.toEpochMilli() + buckets - 1) / buckets);
        String selector = selector(entry.get());
        String window = "[" + stepMillis + "ms]";
        Map<Long, Double> avg = range("avg_over_time(" + selector + window + ")", from, to, stepMillis);
        Map<Long, Double> min = range("min_over_time(" + selector + window + ")", from, to, stepMillis);
        Map<Long, Double> max = range("max_over_time(" + selector + window + ")", from, to, stepMillis);
        double factor = entry.get().series().factor() == 0 ? 1 : entry.get().series().factor();
        List<Point> result = new ArrayList<>(avg.size());
        avg.forEach((t, v) -> result.add(new Point(Instant.ofEpochMilli(t), v / factor,
                min.getOrDefault(t, v) / factor, max.getOrDefault(t, v) / factor)));
        return result;
    }

    @Override
    public List<String> sensorsWithHistory(String heatpumpId) {
        return manager.heatpump(heatpumpId)
                .map(h -> List.copyOf(new TreeMap<>(catalog.entries(h.id(), h.manufacturer(), h.model())).keySet()))
                .orElse(List.of());
    }

    private Optional<SeriesCatalog.Entry> entry(String heatpumpId, String sensorId) {
        Optional<Heatpump> hp = manager.heatpump(heatpumpId);
        return hp.map(h -> catalog.entries(h.id(), h.manufacturer(), h.model()).get(sensorId));
    }

    static String selector(SeriesCatalog.Entry entry) {
        StringBuilder b = new StringBuilder("{");
        String[] pairs = entry.labelPairs();
        for (int i = 0; i < pairs.length; i += 2) {
            if (SELECTOR_LABELS.contains(pairs[i])) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append(pairs[i]).append("=\"").append(MetricNaming.escape(pairs[i + 1])).append('"');
            }
        }
        return b.append('}').toString();
    }

    /** One query_range: bucket end (ms) to value; a query error is an {@link IllegalStateException}. */
    private Map<Long, Double> range(String query, Instant from, Instant to, long stepMillis) {
        String url = base + "api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&start=" + seconds(from.toEpochMilli()) + "&end=" + seconds(to.toEpochMilli())
                + "&step=" + seconds(stepMillis);
        HttpResponse<String> r;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
            if (!tenant.isEmpty()) {
                request.header(MetricsPusher.TENANT_HEADER, tenant);
            }
            r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("history source unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("history source answered HTTP " + r.statusCode());
        }
        Map<Long, Double> values = new TreeMap<>();
        try {
            for (JsonNode series : JSON.readTree(r.body()).path("data").path("result")) {
                for (JsonNode v : series.path("values")) {
                    double value = Double.parseDouble(v.get(1).asText());
                    if (Double.isFinite(value)) {
                        values.put(Math.round(v.get(0).asDouble() * 1000), value);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("history source answered no query_range matrix", e);
        }
        return values;
    }

    private static String seconds(long millis) {
        return millis / 1000 + "." + String.format("%03d", millis % 1000);
    }
}
