package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpSimulator;

/**
 * Issue 14's device churn, through gateway.jar in its own JVM: one IDM controller is killed (SIGKILL) and restarted 50
 * times, then hung (SIGSTOP) past its request timeout and resumed, while a second IDM keeps its 1 s schedule within
 * 10 %, and the gateway ends with no more threads, sockets or file descriptors than before the churn.
 *
 * <p>The churned "controller" is a real separate process: a small TCP forwarder (python3, which CI has) in front of
 * an IDM simulator. Killing it resets the gateway's connection as a power cut of the controller's network module
 * would; stopping it leaves the connection open and silent, as a hung controller does. The simulator itself stays up,
 * so every restart answers with the real register map at once.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceChurnEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ADMIN_PASSWORD = "churn-e2e-Pass-4481";
    private static final int RESTARTS = 50;
    /** Threads, descriptors or sockets a gateway may add without leaking (pools settling, an HTTP keep-alive). */
    private static final int SLACK = 4;

    /** Accepts on one port, forwards each connection to the simulator; prints one line per accepted connection. */
    private static final String FORWARDER = """
            import socket, sys, threading
            listen_port, target_port = int(sys.argv[1]), int(sys.argv[2])
            server = socket.socket()
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(('127.0.0.1', listen_port))
            server.listen(16)
            print('listening', flush=True)
            def pipe(source, sink):
                try:
                    while True:
                        data = source.recv(65536)
                        if not data:
                            break
                        sink.sendall(data)
                except OSError:
                    pass
                for s in (source, sink):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
            while True:
                client, _ = server.accept()
                upstream = socket.create_connection(('127.0.0.1', target_port))
                print('accepted', flush=True)
                threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
                threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
            """;

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    private HeatpumpSimulator.Running churnedSim;
    private HeatpumpSimulator.Running steadySim;
    private Path forwarderScript;
    private int forwarderPort;
    private Process forwarder;
    private GatewayProcess gateway;
    private ApiClient admin;
    private String churned;
    private String steady;

    @BeforeAll
    void start() throws Exception {
        HeatpumpSimulator idm = Await.value("IDM simulator service", WAIT, () -> simulators.getServices().stream()
                .filter(s -> s.manufacturerId().equals("idm")).findFirst().orElse(null));
        churnedSim = idm.start(0, DeviceConfig.of(List.of("A"), List.of()));
        steadySim = idm.start(0, DeviceConfig.of(List.of("A"), List.of()));
        Path data = Files.createTempDirectory("gateway-churn-e2e");
        forwarderScript = data.resolve("forwarder.py");
        Files.writeString(forwarderScript, FORWARDER);
        forwarderPort = GatewayProcess.freePort();
        startForwarder();

        Path deploy = GatewayProcess.deployOnly(context, data, "gateway.driver.idm.jar");
        // reconnect within a fraction of a second instead of the 1 s..60 s default, as an installer may set it
        Files.writeString(deploy.resolve("gateway.manager.cfg"), "backoff.min.millis=100\nbackoff.max.millis=400\n");
        gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data,
                Map.of("GATEWAY_ADMIN_PASSWORD", ADMIN_PASSWORD));
        admin = new ApiClient(gateway.port, "admin", ADMIN_PASSWORD);
        Await.until("IDM driver installed from deploy/", WAIT,
                () -> admin.get("/api/manufacturers").body().contains("\"navigator_2_0\""));
        // the churned device times out fast so a hang is seen quickly; the steady one has room for a busy machine
        churned = create("Churned", forwarderPort, 1000);
        steady = create("Steady", steadySim.port(), 5000);
    }

    @AfterAll
    void stop() {
        if (forwarder != null) {
            forwarder.destroyForcibly();
        }
        if (gateway != null) {
            gateway.close();
        }
        for (HeatpumpSimulator.Running sim : new HeatpumpSimulator.Running[] {churnedSim, steadySim}) {
            if (sim != null) {
                sim.close();
            }
        }
    }

    @Test
    void killedRestartedAndHungDeviceDisturbsNeitherTheOtherDeviceNorTheGatewaysResources() throws Exception {
        Await.until("both devices online", WAIT, () -> online(churned) && online(steady));
        // warm up: a few cycles first, so pools and caches that grow once are at their size before the baseline
        for (int i = 0; i < 3; i++) {
            killAndRestart();
        }
        Resources before = resources();
        long steadyRequestsBefore = steadySim.requestCount();
        long startNanos = System.nanoTime();

        for (int i = 0; i < RESTARTS; i++) {
            killAndRestart();
        }
        hangPastTheTimeoutAndResume();

        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long steadyRequests = steadySim.requestCount() - steadyRequestsBefore;
        int requestsPerPoll = status(steady).path("requests_last_poll").asInt();
        assertTrue(requestsPerPoll > 0, "the steady device reports its requests per poll");
        double polls = (double) steadyRequests / requestsPerPoll;
        // 1 s interval: as many polls as seconds passed, within 10 %
        assertTrue(Math.abs(polls - seconds) <= 0.10 * seconds,
                String.format("steady device polled %.1f times in %.1f s (1 s interval)", polls, seconds));
        assertEquals("online", state(steady));
        assertTrue(status(steady).path("total_errors").asLong() == 0, "steady device never failed: " + status(steady));

        Await.until("churned device back online", WAIT, () -> online(churned));
        // let the worker pools idle down to their size again before counting
        Resources after = Await.value("resources back to the baseline", WAIT, () -> {
            Resources now = resources();
            return now.within(before, SLACK) ? now : null;
        });
        assertTrue(after.within(before, SLACK), "before " + before + ", after " + after);
        System.out.printf("device churn: %d restarts + a hang in %.1f s; steady device %.1f polls; %s -> %s%n",
                RESTARTS, seconds, polls, before, after);
    }

    /** SIGKILL the forwarder, wait until the gateway has seen the loss, start it again, wait until it polls again. */
    private void killAndRestart() throws Exception {
        long errors = status(churned).path("total_errors").asLong();
        forwarder.destroyForcibly();
        assertTrue(forwarder.waitFor(10, TimeUnit.SECONDS), "forwarder ended after SIGKILL");
        Await.until("gateway noticed the controller gone", WAIT,
                () -> status(churned).path("total_errors").asLong() > errors);
        startForwarder();
        long requests = churnedSim.requestCount();
        Await.until("gateway polled the restarted controller", WAIT,
                () -> churnedSim.requestCount() > requests && online(churned));
    }

    /** SIGSTOP: the socket stays open and silent; the gateway must time out on its own, then recover on SIGCONT. */
    private void hangPastTheTimeoutAndResume() throws Exception {
        long errors = status(churned).path("total_errors").asLong();
        signal("STOP");
        try {
            Await.until("gateway timed out on the hung controller", WAIT,
                    () -> status(churned).path("total_errors").asLong() > errors && !online(churned));
        } finally {
            signal("CONT");
        }
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(forwarder.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + name);
    }

    private void startForwarder() throws IOException {
        forwarder = new ProcessBuilder("python3", forwarderScript.toString(), Integer.toString(forwarderPort),
                Integer.toString(churnedSim.port())).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(forwarder.getInputStream(),
                StandardCharsets.UTF_8));
        String first = out.readLine();
        assertEquals("listening", first, "forwarder started");
        // drain its "accepted" lines so a full pipe never blocks it
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // nothing: only its liveness matters
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "forwarder-output");
        drain.setDaemon(true);
        drain.start();
    }

    private String create(String name, int port, int timeoutMillis) {
        ApiClient.Response r = admin.post("/api/heatpumps", Map.of("name", name, "manufacturer", "idm",
                "model", "navigator_2_0", "connection_config", Map.of("host", "127.0.0.1", "port", port,
                        "unit_id", 1, "timeout", timeoutMillis),
                "device_config", Map.of("circuits", List.of("A"), "zones", List.of()),
                "poll_interval", 1, "enabled", true));
        assertEquals(201, r.status(), r.body());
        return r.json().get("id").asText();
    }

    private JsonNode status(String device) {
        ApiClient.Response r = admin.get("/api/heatpumps/" + device);
        assertEquals(200, r.status(), r.body());
        return r.json().path("status");
    }

    private String state(String device) {
        return status(device).path("state").asText();
    }

    private boolean online(String device) {
        return "online".equals(state(device));
    }

    private Resources resources() {
        Path proc = Path.of("/proc", Long.toString(gateway.pid()));
        try (Stream<Path> tasks = Files.list(proc.resolve("task")); Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            List<Path> descriptors = fds.toList();
            long sockets = descriptors.stream().filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed while we looked
                }
            }).count();
            return new Resources(tasks.count(), descriptors.size(), sockets);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + proc, e);
        }
    }

    record Resources(long threads, long descriptors, long sockets) {
        boolean within(Resources baseline, int slack) {
            return threads <= baseline.threads + slack && descriptors <= baseline.descriptors + slack
                    && sockets <= baseline.sockets + slack;
        }
    }
}
