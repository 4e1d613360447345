package gateway.app.launch;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * The build's training run for the class-data archive ({@code -Dgateway.class-archive-training=true}, set by
 * gateway.app's pom when it runs the launcher script once with {@code --demo} on a scratch folder). It waits for
 * readiness and for every demo device to be online, reads what the console and a script read first, and exits;
 * the JVM writes the classes it loaded to gateway.jsa on exit. So the README's first start already maps the archive
 * instead of recording it (#14: 2.1-2.3 s and 130 MB for a recording start, 1.75 s and 123 MB for a mapping one).
 */
final class ClassArchiveTraining {

    static final String PROPERTY = "gateway.class-archive-training";
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final List<String> ROUTES = List.of("/api/health", "/api/status", "/api/heatpumps",
            "/api/data/all", "/api/manufacturers", "/api/settings", "/api/bundles", "/", "/api/openapi.json");

    private ClassArchiveTraining() {
    }

    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Runs the training beside the gateway's start on a daemon thread; ends the JVM when done or after 90 s. */
    static void start(int port, Path data) {
        Thread t = new Thread(() -> {
            int status = 0;
            try {
                run("http://127.0.0.1:" + port, data);
                System.out.println("class-data archive training: done");
            } catch (IOException | RuntimeException e) {
                System.err.println("class-data archive training: " + e);
                status = 1;
            } catch (InterruptedException e) {
                status = 1;
            }
            System.exit(status); // the framework stops in the launcher's shutdown hook; the JVM then writes the archive
        }, "gateway-class-archive-training");
        t.setDaemon(true);
        t.start();
    }

    private static void run(String base, Path data) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(LIMIT);
        while (status(base + "/api/health", null) != 200) {
            pause(deadline, "readiness");
        }
        String password = System.getenv("GATEWAY_ADMIN_PASSWORD");
        if (password == null || password.isBlank()) {
            Path passwordFile = data.resolve("initial-admin-password");
            while (!Files.exists(passwordFile)) {
                pause(deadline, "the demo's admin password");
            }
            password = Files.readString(passwordFile).trim();
        }
        String auth = "Basic " + Base64.getEncoder().encodeToString(
                ("admin:" + password).getBytes(StandardCharsets.UTF_8));
        // the demo has created its devices (one per simulator, one after the other) and each is online, the same
        // for two seconds: each driver has connected and polled
        String last = "";
        Instant sameSince = Instant.now();
        while (true) {
            String now = onlineOfDevices(base, auth);
            if (!now.equals(last)) {
                last = now;
                sameSince = Instant.now();
            } else if (!now.isEmpty() && Duration.between(sameSince, Instant.now()).toMillis() >= 2000) {
                break;
            }
            pause(deadline, "the demo's devices online");
        }
        for (String route : ROUTES) {
            status(base + route, auth);
        }
    }

    /** "online/devices" while at least one device exists and all are online, else "". */
    private static String onlineOfDevices(String base, String auth) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(base + "/api/status").toURL().openConnection();
        c.setRequestProperty("Authorization", auth);
        if (c.getResponseCode() != 200) {
            return "";
        }
        String body;
        try (InputStream in = c.getInputStream()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // {"device_count": n, "online": m, ...}: no JSON library on the launcher's class path
        int devices = number(body, "\"device_count\":");
        int online = number(body, "\"online\":");
        return devices > 0 && online == devices ? online + "/" + devices : "";
    }

    private static int number(String json, String key) {
        int at = json.indexOf(key);
        if (at < 0) {
            return -1;
        }
        int i = at + key.length();
        int start = i;
        while (i < json.length() && Character.isDigit(json.charAt(i))) {
            i++;
        }
        return i > start ? Integer.parseInt(json.substring(start, i)) : -1;
    }

    private static int status(String url, String auth) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(10_000);
            if (auth != null) {
                c.setRequestProperty("Authorization", auth);
            }
            int code = c.getResponseCode();
            InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream();
            if (in != null) {
                try (in) {
                    in.readAllBytes();
                }
            }
            return code;
        } catch (IOException e) {
            return -1; // not listening yet
        }
    }

    private static void pause(Instant deadline, String what) throws InterruptedException {
        if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("no " + what + " within " + LIMIT.toSeconds() + " s");
        }
        Thread.sleep(100);
    }
}
