package gateway.fleetsim;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpSimulator;

/**
 * The fleet simulator: starts N simulated controllers of every make on loopback ports in this JVM and configures a
 * running gateway with them through its REST API ({@code POST /api/heatpumps}), as an installer would by hand.
 *
 * <p>The driver bundles sit on a plain class path; their simulator classes are the DS components that provide
 * {@link HeatpumpSimulator} (read from each bundle's {@code Service-Component} descriptors), so a new driver bundle
 * joins the fleet without a change here. Poll intervals cycle through {@code --intervals}, and devices are created
 * paced over the shortest interval, so their first polls (and the schedule that follows each poll) do not bunch.
 */
public final class FleetSimulator {

    static final String HOST = "127.0.0.1";
    private static final Pattern IMPLEMENTATION = Pattern.compile("<implementation\\s+class=\"([^\"]+)\"");
    private static final Pattern PROVIDE = Pattern.compile("<provide\\s+interface=\"([^\"]+)\"");
    /** The gateway's 422 for an interval below the model's minimum (the API does not list the minimum). */
    private static final Pattern MINIMUM_INTERVAL = Pattern.compile("poll interval must be at least (\\d+) s");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Options(int perMake, URI gateway, String user, String password, List<Integer> intervals, String prefix) {
    }

    private final Options options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<HeatpumpSimulator.Running> running = Collections.synchronizedList(new ArrayList<>());

    FleetSimulator(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: fleet N [--gateway URL] [--user U] [--password P] [--intervals 10,15,30,60]"
                    + " [--prefix fleet]\n  N simulated controllers of every model; the password defaults to"
                    + " $GATEWAY_ADMIN_PASSWORD");
            System.exit(2);
            return;
        }
        FleetSimulator fleet = new FleetSimulator(options);
        Runtime.getRuntime().addShutdownHook(new Thread(fleet::close, "fleet-shutdown"));
        int created = fleet.run();
        System.out.println("fleet: " + created + " devices configured; simulators keep running until stopped"
                + " (Ctrl-C)");
        new CountDownLatch(1).await();
    }

    static Options parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("N is missing");
        }
        int n;
        try {
            n = Integer.parseInt(args[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("N must be a number: " + args[0]);
        }
        if (n < 1) {
            throw new IllegalArgumentException("N must be at least 1");
        }
        Map<String, String> named = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value at " + args[i]);
            }
            named.put(args[i].substring(2), args[i + 1]);
        }
        String password = named.getOrDefault("password", System.getenv("GATEWAY_ADMIN_PASSWORD"));
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("--password (or GATEWAY_ADMIN_PASSWORD) is needed: devices are"
                    + " created by an admin");
        }
        List<Integer> intervals = new ArrayList<>();
        for (String s : named.getOrDefault("intervals", "10,15,30,60").split(",")) {
            int seconds = Integer.parseInt(s.trim());
            if (seconds < 1) {
                throw new IllegalArgumentException("intervals are seconds >= 1: " + s);
            }
            intervals.add(seconds);
        }
        return new Options(n, URI.create(named.getOrDefault("gateway", "http://127.0.0.1:8080")),
                named.getOrDefault("user", "admin"), password, List.copyOf(intervals),
                named.getOrDefault("prefix", "fleet"));
    }

    /** Every simulator class the driver bundles on the class path register, sorted by make and model. */
    static List<HeatpumpSimulator> simulators(ClassLoader loader) throws IOException, ReflectiveOperationException {
        TreeSet<String> classes = new TreeSet<>();
        for (URL url : Collections.list(loader.getResources("META-INF/MANIFEST.MF"))) {
            String components;
            try (InputStream in = url.openStream()) {
                components = new Manifest(in).getMainAttributes().getValue("Service-Component");
            }
            if (components == null) {
                continue;
            }
            for (String descriptor : components.split(",")) {
                URL xml = new URL(url, "../" + descriptor.trim());
                String text;
                try (InputStream in = xml.openStream()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                Matcher provide = PROVIDE.matcher(text);
                Matcher impl = IMPLEMENTATION.matcher(text);
                while (provide.find()) {
                    if (HeatpumpSimulator.class.getName().equals(provide.group(1)) && impl.find(0)) {
                        classes.add(impl.group(1));
                    }
                }
            }
        }
        List<HeatpumpSimulator> result = new ArrayList<>();
        for (String name : classes) {
            result.add((HeatpumpSimulator) loader.loadClass(name).getConstructor().newInstance());
        }
        result.sort(Comparator.comparing(HeatpumpSimulator::manufacturerId).thenComparing(HeatpumpSimulator::modelId));
        return result;
    }

    /** Starts the simulators and creates one device per simulator; returns the number of devices created. */
    int run() throws Exception {
        List<HeatpumpSimulator> models = simulators(FleetSimulator.class.getClassLoader());
        if (models.isEmpty()) {
            throw new IllegalStateException("no driver bundle with a simulator on the class path");
        }
        awaitDrivers(models);
        int total = models.size() * options.perMake();
        long pace = options.intervals().stream().mapToInt(Integer::intValue).min().orElseThrow() * 1000L / total;
        int created = 0;
        for (int i = 0; i < options.perMake(); i++) {
            for (HeatpumpSimulator model : models) {
                DeviceConfig config = deviceConfig(model.manufacturerId());
                HeatpumpSimulator.Running sim = model.start(0, config);
                running.add(sim);
                int interval = options.intervals().get(created % options.intervals().size());
                String name = options.prefix() + " " + model.manufacturerId() + " " + model.modelId() + " #" + (i + 1);
                interval = createDevice(name, model, sim, config, interval);
                created++;
                System.out.println("fleet: " + name + " on " + HOST + ":" + sim.port() + ", every " + interval + " s");
                Thread.sleep(pace);
            }
        }
        return created;
    }

    /** IDM needs a heating circuit; the other drivers take their defaults (as the demo mode does). */
    static DeviceConfig deviceConfig(String manufacturerId) {
        return "idm".equals(manufacturerId) ? DeviceConfig.of(List.of("A"), List.of()) : DeviceConfig.empty();
    }

    /** The gateway copies its bundled drivers into deploy/ at first start: wait until it lists every make. */
    private void awaitDrivers(List<HeatpumpSimulator> models) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(180);
        while (true) {
            HttpResponse<String> r = send(request("/api/manufacturers").GET());
            List<String> missing = models.stream().map(HeatpumpSimulator::modelId)
                    .filter(m -> r.statusCode() != 200 || !r.body().contains("\"" + m + "\"")).distinct().toList();
            if (missing.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the gateway lacks drivers for " + missing + " (HTTP " + r.statusCode()
                        + ")");
            }
            Thread.sleep(1000);
        }
    }

    /** Creates the device; returns the poll interval it got (raised to the model's minimum when needed). */
    private int createDevice(String name, HeatpumpSimulator model, HeatpumpSimulator.Running sim,
                             DeviceConfig config, int interval) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("manufacturer", model.manufacturerId());
        body.put("model", model.modelId());
        body.put("connection_config", Map.of("host", HOST, "port", sim.port(), "unit_id", 1,
                "options", sim.connectionOptions()));
        body.put("device_config", Map.of("circuits", config.circuits(), "zones", config.zones()));
        body.put("poll_interval", interval);
        body.put("enabled", true);
        HttpResponse<String> r = send(request("/api/heatpumps").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        Matcher minimum = MINIMUM_INTERVAL.matcher(r.body());
        if (r.statusCode() == 422 && minimum.find() && Integer.parseInt(minimum.group(1)) > interval) {
            // some models refuse fast polling (a cloud API's rate limit, a slow controller): take their minimum
            return createDevice(name, model, sim, config, Integer.parseInt(minimum.group(1)));
        }
        if (r.statusCode() != 201) {
            throw new IllegalStateException("creating " + name + " failed: HTTP " + r.statusCode() + " " + r.body());
        }
        return interval;
    }

    private HttpRequest.Builder request(String path) {
        String credentials = options.user() + ":" + options.password();
        return HttpRequest.newBuilder(options.gateway().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Closes every simulator (the gateway's devices then go offline; they stay configured). */
    void close() {
        synchronized (running) {
            running.forEach(HeatpumpSimulator.Running::close);
            running.clear();
        }
    }
}
