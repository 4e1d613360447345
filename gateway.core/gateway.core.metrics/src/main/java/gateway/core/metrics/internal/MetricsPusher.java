package gateway.core.metrics.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.AnomalyStore;
import gateway.core.api.DeviceSnapshot;
import gateway.core.api.GatewayIdentity;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.MetricsPush;
import gateway.core.api.ReadingListener;
import gateway.core.api.SensorReading;

/**
 * Pushes every GOOD reading to VictoriaMetrics (or anything that accepts the same import), stamped with its poll
 * time: InfluxDB line protocol to {@code /write}, Prometheus text to {@code /api/v1/import/prometheus}, or Prometheus
 * remote write 1.0 (protobuf + snappy) to {@code /api/v1/write} of Prometheus, VictoriaMetrics, Mimir, Thanos, Cortex.
 * Every series carries the gateway's identity ({@code gateway_id}, {@code site}) as labels.
 *
 * <p>Nothing is sent straight from memory. Points collect in a buffer; every flush interval (or when a batch is full)
 * the buffer is sealed into a batch file in the spool folder, already compressed. One thread sends the batches
 * oldest first, one at a time, and deletes a batch only after the database answered 2xx, so an outage (or a gateway
 * restart) loses nothing and a batch is never sent again once accepted. When the spool outgrows its limit the oldest
 * batches go, and their points are counted as dropped. A batch the database rejects as malformed (400, 413, 422) is
 * dropped and counted too, so one bad batch cannot block the rest; wrong credentials (401/403) and every other failure
 * keep the data and retry with exponential backoff.
 */
@Component(service = { ReadingListener.class, MetricsPush.class }, configurationPid = MetricsPusher.PID,
        immediate = true)
@Designate(ocd = PushConfig.class)
public final class MetricsPusher implements ReadingListener, MetricsPush {

    public static final String PID = "gateway.metrics.push";
    static final String INFLUX = "influx";
    static final String PROMETHEUS = "prometheus";
    static final String REMOTE_WRITE = "remote_write";
    /** The tenant header of Grafana Mimir and Cortex (multi-tenant mode). */
    static final String TENANT_HEADER = "X-Scope-OrgID";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsPusher.class);

    /** The settings the pusher runs with (from {@link PushConfig}). */
    public record Settings(String url, String format, String username, String password, String bearerToken,
                    boolean compat, long flushMillis, int batchPoints, boolean gzip, long spoolMaxBytes,
                    long timeoutMillis, long retryMinMillis, long retryMaxMillis, String tenant) {

        /** Without a tenant. */
        public Settings(String url, String format, String username, String password, String bearerToken,
                        boolean compat, long flushMillis, int batchPoints, boolean gzip, long spoolMaxBytes,
                        long timeoutMillis, long retryMinMillis, long retryMaxMillis) {
            this(url, format, username, password, bearerToken, compat, flushMillis, batchPoints, gzip, spoolMaxBytes,
                    timeoutMillis, retryMinMillis, retryMaxMillis, "");
        }

        static Settings of(PushConfig c) {
            return new Settings(c.url().trim(), c.format().trim().toLowerCase(java.util.Locale.ROOT), c.username(),
                    c.password(), c.bearer_token(), c.compatibility_names(), Math.max(50, c.flush_interval_millis()),
                    Math.max(1, c.batch_points()), c.gzip(), Math.max(1024, c.spool_max_bytes()),
                    Math.max(100, c.timeout_millis()), Math.max(10, c.retry_min_millis()),
                    Math.max(10, c.retry_max_millis()), c.tenant().trim());
        }
    }

    /** A sealed batch waiting in the spool. */
    private record Batch(long seq, int points, long firstMillis, String format, boolean gzip, Path file, long bytes) {
    }

    private final Settings settings;
    private final SeriesCatalog catalog;
    private final Path spoolDir;
    private final URI target;
    private final String configProblem;
    private final HttpClient http;
    private final ScheduledExecutorService sender;

    private final Object bufferLock = new Object();
    private StringBuilder buffer = new StringBuilder(1 << 16);
    /** remote_write: the buffered samples by series (entries are cached per device, so identity is the key). */
    private Map<SeriesCatalog.Entry, RemoteWriteEncoder.Samples> series = new java.util.IdentityHashMap<>();
    private int bufferPoints;
    private long bufferFirstMillis = Long.MAX_VALUE;

    /** The spool's batches by sequence number; guarded by spoolLock. */
    private final TreeMap<Long, Batch> spool = new TreeMap<>();
    private final Object spoolLock = new Object();
    private long nextSeq;
    private long spoolBytes;
    private Batch inFlight;

    private final AtomicLong pointsSent = new AtomicLong();
    private final AtomicLong pointsDropped = new AtomicLong();
    private volatile String state;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile Instant lastSuccess;
    private int failuresInRow;
    private long nextAttemptNanos;
    private volatile boolean closed;
    /** gateway.ml's scores; package-private so tests can plug a store in. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile AnomalyStore anomalies;
    /** Framework property with the data folder (the launcher sets it from {@code --data}). */
    static final String DATA_PROPERTY = "gateway.data";
    /** Time (ms) of the last anomaly score pushed per device; guarded by bufferLock. */
    private final Map<String, Long> scorePushedAt = new java.util.HashMap<>();

    @Activate
    public MetricsPusher(@Reference HeatpumpManager manager, @Reference GatewayIdentity identity,
                         BundleContext context, PushConfig config) {
        this(new SeriesCatalog(manager, config.compatibility_names(), identity.labels()), Settings.of(config),
                config.spool_folder().isBlank() ? dataFolder(context).resolve("metrics-spool")
                        : Paths.get(config.spool_folder()), true);
    }

    /** The gateway's data folder: the framework property the launcher sets from {@code --data}, else ./data. */
    private static Path dataFolder(BundleContext context) {
        String data = context.getProperty(DATA_PROPERTY);
        return (data == null || data.isBlank() ? Paths.get("data") : Paths.get(data.trim())).toAbsolutePath();
    }

    /** @param start false: no thread; the caller drives {@link #cycle()} (tests) */
    public MetricsPusher(SeriesCatalog catalog, Settings settings, Path spoolDir, boolean start) {
        this.settings = settings;
        this.catalog = catalog;
        this.spoolDir = spoolDir;
        String problem = null;
        URI uri = null;
        if (!settings.url().isEmpty()) {
            try {
                uri = targetUri(settings.url(), settings.format());
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        this.target = uri;
        this.configProblem = problem;
        if (!enabled()) {
            state = "disabled";
            http = null;
            sender = null;
            return;
        }
        if (problem != null) {
            state = "misconfigured";
            lastError = problem;
            lastErrorAt = Instant.now();
            LOG.warn("metrics push not started: {}", problem);
            http = null;
            sender = null;
            return;
        }
        state = "ok";
        http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(settings.timeoutMillis())).build();
        loadSpool();
        if (start) {
            sender = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "gateway-metrics-push");
                t.setDaemon(true);
                return t;
            });
            sender.scheduleWithFixedDelay(this::cycleQuietly, settings.flushMillis(), settings.flushMillis(),
                    TimeUnit.MILLISECONDS);
            LOG.info("metrics push to {} ({}), {} batches waiting in {}", redacted(target), settings.format(),
                    spool.size(), spoolDir);
        } else {
            sender = null;
        }
    }

    private boolean enabled() {
        return !settings.url().isEmpty();
    }

    static URI targetUri(String url, String format) {
        if (!INFLUX.equals(format) && !PROMETHEUS.equals(format) && !REMOTE_WRITE.equals(format)) {
            throw new IllegalArgumentException("unknown push format '" + format
                    + "' (use influx, prometheus or remote_write)");
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("push URL is not a URL: " + e.getMessage());
        }
        if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                || u.getHost() == null) {
            throw new IllegalArgumentException("push URL must be http:// or https:// with a host: " + url);
        }
        if (u.getUserInfo() != null) {
            throw new IllegalArgumentException("put credentials in username/password, not in the push URL");
        }
        String path = u.getPath() == null ? "" : u.getPath();
        if (path.isEmpty() || path.equals("/")) {
            path = switch (format) {
                case INFLUX -> "/write";
                case PROMETHEUS -> "/api/v1/import/prometheus";
                default -> "/api/v1/write"; // Prometheus' receiver and VictoriaMetrics; Mimir wants /api/v1/push
            };
        }
        try {
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), path, u.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("push URL: " + e.getMessage());
        }
    }

    private static String redacted(URI u) {
        return u == null ? null : u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "")
                + u.getPath();
    }

    // ---- collecting ------------------------------------------------------------------------------------------

    @Override
    public void snapshot(DeviceSnapshot snapshot) {
        if (sender == null && http == null || closed) {
            return; // disabled or misconfigured: nothing could ever be sent
        }
        Map<String, SeriesCatalog.Entry> entries = catalog.entries(snapshot.heatpumpId(), snapshot.manufacturer(),
                snapshot.model());
        long millis = snapshot.time().toEpochMilli();
        boolean influx = INFLUX.equals(settings.format());
        String stamp = influx ? " " + millis + "000000\n" : " " + millis + "\n";
        // gateway.ml scores a snapshot after this listener saw it: its latest score goes out with the next
        // snapshot of the device, under the score's own time, once
        AnomalyStore a = anomalies;
        AnomalyStore.Score score = a == null ? null : a.latestScore(snapshot.heatpumpId()).orElse(null);
        boolean seal = false;
        synchronized (bufferLock) {
            for (SensorReading r : snapshot.readings().values()) {
                if (!r.good() || r.value() == null || !Double.isFinite(r.value())) {
                    continue;
                }
                append(entries, snapshot, r.sensorId(), r.value(), stamp, millis);
            }
            if (score != null) {
                long at = score.time().toEpochMilli();
                Long pushed = scorePushedAt.put(snapshot.heatpumpId(), at);
                if (pushed == null || pushed < at) {
                    String scoreStamp = influx ? " " + at + "000000\n" : " " + at + "\n";
                    append(entries, snapshot, AnomalyStore.SCORE_SENSOR, score.score(), scoreStamp, at);
                    append(entries, snapshot, AnomalyStore.FLAG_SENSOR, score.flag() ? 1 : 0, scoreStamp, at);
                    millis = Math.min(millis, at);
                }
            }
            if (bufferPoints > 0) {
                bufferFirstMillis = Math.min(bufferFirstMillis, millis);
            }
            seal = bufferPoints >= settings.batchPoints();
        }
        if (seal) {
            sealQuietly();
        }
    }

    /** One point into the buffer; the caller holds bufferLock. */
    private void append(Map<String, SeriesCatalog.Entry> entries, DeviceSnapshot snapshot, String sensorId,
                        double value, String stamp, long millis) {
        SeriesCatalog.Entry e = entries.get(sensorId);
        if (e == null) {
            e = catalog.unknown(entries, snapshot.heatpumpId(), snapshot.manufacturer(), snapshot.model(), sensorId);
        }
        double v = value * e.series().factor();
        switch (settings.format()) {
            case INFLUX -> e.appendInfluxPrefix(buffer).append(MetricNaming.number(v)).append(stamp);
            case PROMETHEUS -> e.appendPromPrefix(buffer).append(MetricNaming.number(v)).append(stamp);
            default -> series.computeIfAbsent(e, k -> new RemoteWriteEncoder.Samples()).add(millis, v);
        }
        bufferPoints++;
    }

    /** Turns the buffer into a batch file in the spool. */
    void seal() throws IOException {
        StringBuilder text;
        Map<SeriesCatalog.Entry, RemoteWriteEncoder.Samples> samples;
        int points;
        long first;
        synchronized (bufferLock) {
            if (bufferPoints == 0) {
                return;
            }
            text = buffer;
            samples = series;
            points = bufferPoints;
            first = bufferFirstMillis;
            if (remoteWrite()) {
                series = new java.util.IdentityHashMap<>(Math.max(16, samples.size() * 4 / 3 + 1));
            } else {
                buffer = new StringBuilder(Math.max(1 << 16, text.length() + text.length() / 4));
            }
            bufferPoints = 0;
            bufferFirstMillis = Long.MAX_VALUE;
        }
        byte[] body = remoteWrite() ? remoteWriteBody(samples) : encode(text);
        boolean gzip = settings.gzip() && !remoteWrite(); // remote write is snappy by specification
        synchronized (spoolLock) {
            long seq = nextSeq++;
            String name = String.format("%016d-%d-%d.%s.%s", seq, points, first, settings.format(),
                    remoteWrite() ? "snappy" : gzip ? "gz" : "txt");
            Path tmp = spoolDir.resolve(name + ".tmp");
            Path file = spoolDir.resolve(name);
            try {
                Files.write(tmp, body);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                pointsDropped.addAndGet(points);
                Files.deleteIfExists(tmp);
                throw e;
            }
            spool.put(seq, new Batch(seq, points, first, settings.format(), gzip, file, body.length));
            spoolBytes += body.length;
            trimSpoolLocked();
        }
    }

    private boolean remoteWrite() {
        return REMOTE_WRITE.equals(settings.format());
    }

    private static byte[] remoteWriteBody(Map<SeriesCatalog.Entry, RemoteWriteEncoder.Samples> samples)
            throws IOException {
        java.util.List<RemoteWriteEncoder.Series> list = new java.util.ArrayList<>(samples.size());
        for (Map.Entry<SeriesCatalog.Entry, RemoteWriteEncoder.Samples> e : samples.entrySet()) {
            byte[] labels = e.getKey().remoteWriteLabels();
            if (labels == null) {
                labels = RemoteWriteEncoder.labels(e.getKey().labelPairs());
                e.getKey().remoteWriteLabels(labels);
            }
            list.add(new RemoteWriteEncoder.Series(labels, e.getValue()));
        }
        return RemoteWriteEncoder.snappy(RemoteWriteEncoder.writeRequest(list));
    }

    private byte[] encode(StringBuilder text) throws IOException {
        byte[] raw = text.toString().getBytes(StandardCharsets.UTF_8);
        if (!settings.gzip()) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 6 + 64);
        // fastest level: the spool and the network care more about CPU than about the last 10 % of size
        try (OutputStream gz = new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private void trimSpoolLocked() {
        while (spoolBytes > settings.spoolMaxBytes() && spool.size() > 1) {
            Batch oldest = null;
            for (Batch b : spool.values()) {
                if (b != inFlight) {
                    oldest = b;
                    break;
                }
            }
            if (oldest == null) {
                return;
            }
            removeLocked(oldest);
            long n = pointsDropped.addAndGet(oldest.points());
            LOG.warn("metrics push spool full ({} bytes): dropped the oldest batch, {} points ({} dropped so far)",
                    settings.spoolMaxBytes(), oldest.points(), n);
        }
    }

    private void removeLocked(Batch b) {
        if (spool.remove(b.seq()) != null) {
            spoolBytes -= b.bytes();
        }
        try {
            Files.deleteIfExists(b.file());
        } catch (IOException e) {
            LOG.warn("cannot delete spooled batch {}: {}", b.file().getFileName(), e.toString());
        }
    }

    private void loadSpool() {
        try {
            Files.createDirectories(spoolDir);
            try (Stream<Path> files = Files.list(spoolDir)) {
                files.forEach(this::loadBatch);
            }
        } catch (IOException e) {
            LOG.warn("cannot read the metrics push spool {}: {}", spoolDir, e.toString());
        }
        nextSeq = spool.isEmpty() ? 0 : spool.lastKey() + 1;
    }

    private void loadBatch(Path file) {
        String name = file.getFileName().toString();
        try {
            if (name.endsWith(".tmp")) {
                Files.deleteIfExists(file); // a seal interrupted by a crash: never acknowledged, never complete
                return;
            }
            String[] parts = name.split("[-.]");
            if (parts.length != 5) {
                return;
            }
            Batch b = new Batch(Long.parseLong(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]),
                    parts[3], parts[4].equals("gz"), file, Files.size(file));
            spool.put(b.seq(), b);
            spoolBytes += b.bytes();
        } catch (IOException | NumberFormatException e) {
            LOG.warn("ignoring unreadable spool file {}: {}", name, e.toString());
        }
    }

    // ---- sending ---------------------------------------------------------------------------------------------

    /** Seals the buffer and sends waiting batches until the spool is empty or a send fails. */
    void cycle() {
        sealQuietly();
        while (!closed) {
            if (System.nanoTime() - nextAttemptNanos < 0 && failuresInRow > 0) {
                return; // backing off
            }
            Batch b;
            synchronized (spoolLock) {
                b = spool.isEmpty() ? null : spool.firstEntry().getValue();
                inFlight = b;
            }
            if (b == null) {
                return;
            }
            try {
                if (!send(b)) {
                    return;
                }
            } finally {
                synchronized (spoolLock) {
                    inFlight = null;
                }
            }
        }
    }

    /** @return true to go on with the next batch */
    private boolean send(Batch b) {
        URI uri = b.format().equals(settings.format()) ? target
                : targetUri(settings.url(), b.format()); // a batch spooled before the format changed
        int status;
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(settings.timeoutMillis()))
                    .POST(HttpRequest.BodyPublishers.ofFile(b.file()));
            if (REMOTE_WRITE.equals(b.format())) {
                // the remote-write 1.0 specification's headers
                req.header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                        .header("X-Prometheus-Remote-Write-Version", "0.1.0");
            } else {
                req.header("Content-Type", "text/plain; charset=utf-8");
            }
            if (b.gzip()) {
                req.header("Content-Encoding", "gzip");
            }
            if (!settings.tenant().isEmpty()) {
                req.header(TENANT_HEADER, settings.tenant());
            }
            if (!settings.bearerToken().isEmpty()) {
                req.header("Authorization", "Bearer " + settings.bearerToken());
            } else if (!settings.username().isEmpty()) {
                req.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8)));
            }
            HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            status = resp.statusCode();
            if (status / 100 == 2) {
                synchronized (spoolLock) {
                    removeLocked(b);
                }
                pointsSent.addAndGet(b.points());
                lastSuccess = Instant.now();
                if (failuresInRow > 0) {
                    LOG.info("metrics push to {} works again", redacted(target));
                }
                failuresInRow = 0;
                state = "ok";
                return true;
            }
            String detail = "HTTP " + status + " from " + redacted(uri) + ": " + abbreviate(resp.body());
            if (status == 400 || status == 413 || status == 422) {
                synchronized (spoolLock) {
                    removeLocked(b);
                }
                long n = pointsDropped.addAndGet(b.points());
                failure("rejected", detail + " (batch of " + b.points() + " points dropped, " + n + " so far)", false);
                return true;
            }
            failure(status == 401 || status == 403 ? "unauthorized" : status == 404 ? "misconfigured" : "retrying",
                    detail, true);
            return false;
        } catch (IOException e) {
            failure("unreachable", redacted(uri) + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()),
                    true);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
            return false;
        }
    }

    private void failure(String newState, String detail, boolean backoff) {
        boolean changed = !newState.equals(state) || !detail.equals(lastError);
        state = newState;
        lastError = detail;
        lastErrorAt = Instant.now();
        if (backoff) {
            failuresInRow++;
            long delay = Math.min(settings.retryMaxMillis(),
                    settings.retryMinMillis() << Math.min(20, failuresInRow - 1));
            nextAttemptNanos = System.nanoTime() + delay * 1_000_000;
        }
        if (changed || Long.bitCount(failuresInRow) == 1) {
            LOG.warn("metrics push {}: {} (failure {} in a row)", newState, detail, failuresInRow);
        }
    }

    private static String abbreviate(String s) {
        String t = s == null ? "" : s.strip().replace('\n', ' ');
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    private void sealQuietly() {
        try {
            seal();
        } catch (IOException | RuntimeException e) {
            LOG.warn("metrics push: cannot spool a batch in {}: {}", spoolDir, e.toString());
        }
    }

    private void cycleQuietly() {
        try {
            cycle();
        } catch (RuntimeException e) {
            LOG.warn("metrics push cycle failed: {}", e.toString());
        }
    }

    // ---- status ----------------------------------------------------------------------------------------------

    @Override
    public Status status() {
        int batches;
        long bytes;
        long oldest;
        synchronized (spoolLock) {
            batches = spool.size();
            bytes = spoolBytes;
            oldest = spool.isEmpty() ? Long.MAX_VALUE : spool.firstEntry().getValue().firstMillis();
        }
        synchronized (bufferLock) {
            oldest = Math.min(oldest, bufferFirstMillis);
        }
        double lag = oldest == Long.MAX_VALUE ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000.0);
        return new Status(enabled(), state, target != null ? redacted(target) : settings.url().isEmpty() ? null
                : "(invalid)", settings.format(), lastError, lastErrorAt, lastSuccess, pointsSent.get(),
                pointsDropped.get(), batches, bytes, lag);
    }

    @Deactivate
    public void close() {
        if (sender != null) {
            sender.shutdown();
            try {
                if (!sender.awaitTermination(settings.timeoutMillis() + 2000, TimeUnit.MILLISECONDS)) {
                    sender.shutdownNow();
                }
            } catch (InterruptedException e) {
                sender.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        closed = true;
        if (http != null) {
            sealQuietly(); // what is buffered waits on disk for the next start
        }
    }
}
