package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;

import gateway.app.itest.slow.SlowActivator;
import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpSimulator;

/**
 * Issue 14, readiness under a slow bundle: a third-party bundle whose activator blocks lies in deploy/ (sorted first)
 * when gateway.jar starts. The gateway still starts: /api/health/live answers, /api/health turns ready (about 10 s
 * after the drivers, not after the 60 s settle limit), every driver from deploy/ is active and a NIBE device polls
 * its simulator, while /api/bundles reports the blocked bundle as "starting". The same holds after a restart with
 * the bundle still there (the framework cache keeps it). Once released, the bundle becomes active.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class SlowBundleReadinessTest {

    private static final String PASSWORD = "slow-bundle-password";
    private static final String SLOW_BSN = "test.slow.activator";
    private static final Duration WAIT = Duration.ofSeconds(120);

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    @Test
    void aBlockingActivatorInDeployHoldsUpNeitherStartNorTheOtherDrivers() throws Exception {
        Bundle nibeDriver = DriverBundles.installed(context, "gateway.driver.nibe").isEmpty()
                ? DriverBundles.start(context, "gateway.driver.nibe") : null;
        Path data = Files.createTempDirectory("gateway-slow-bundle");
        Path deploy = Files.createDirectories(data.resolve("deploy"));
        Path slowJar = deploy.resolve("00-slow-activator.jar");
        Path release = data.resolve(slowJar.getFileName() + ".release");
        writeSlowBundle(slowJar);
        HeatpumpSimulator nibe = Await.value("NIBE S1155 simulator service", WAIT, () -> simulators.getServices()
                .stream().filter(s -> s.manufacturerId().equals("nibe") && s.modelId().equals("s1155"))
                .findFirst().orElse(null));
        String jar = context.getProperty("gateway.itest.jar");
        try (HeatpumpSimulator.Running sim = nibe.start(0, DeviceConfig.empty())) {
            String device;
            try (GatewayProcess gateway = startedWhileBlocked(jar, data, release)) {
                ApiClient admin = new ApiClient(gateway.port, "admin", PASSWORD);
                device = createNibe(admin, sim.port());
                String first = Await.value("NIBE polls while the activator blocks", WAIT,
                        () -> textOrNull(admin, device));
                assertEquals("starting", slowBundle(admin).path("state").asText(), "still blocked after a poll");
                assertFalse(Files.exists(release));
                System.out.printf("slow bundle: NIBE polled at %s with the activator still blocked%n", first);
            }

            // the framework cache keeps the bundles; the next launch must not start them one after the other
            try (GatewayProcess gateway = startedWhileBlocked(jar, data, release)) {
                ApiClient admin = new ApiClient(gateway.port, "admin", PASSWORD);
                String before = textOrNull(admin, device);
                Await.until("NIBE polls again after the restart while the activator blocks", WAIT, () -> {
                    String now = textOrNull(admin, device);
                    return now != null && !now.equals(before);
                });
                assertEquals("starting", slowBundle(admin).path("state").asText());

                Files.writeString(release, "go");
                Await.until("slow bundle active once released", WAIT,
                        () -> "active".equals(slowBundle(admin).path("state").asText()));
            }
        } finally {
            Files.writeString(release, "go");
            if (nibeDriver != null) {
                DriverBundles.uninstall(nibeDriver);
            }
        }
    }

    /**
     * Starts gateway.jar (returning at the first 200 of /api/health) and asserts what holds while the activator
     * still blocks: readiness came, live answers, the bundle is reported "starting", and every driver from deploy/
     * is active with its models listed, whatever its place after the blocked jar.
     */
    private static GatewayProcess startedWhileBlocked(String jar, Path data, Path release) throws IOException {
        long started = System.nanoTime();
        GatewayProcess gateway = GatewayProcess.start(jar, data, Map.of("GATEWAY_ADMIN_PASSWORD", PASSWORD));
        try {
            long readyMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            ApiClient admin = new ApiClient(gateway.port, "admin", PASSWORD);
            ApiClient anonymous = new ApiClient(gateway.port, null, null);
            assertFalse(Files.exists(release));
            assertEquals(200, anonymous.get("/api/health/live").status());
            assertEquals("starting", slowBundle(admin).path("state").asText(),
                    "the activator still blocks while the gateway is ready");
            List<String> drivers = new ArrayList<>();
            for (JsonNode b : admin.get("/api/bundles").json()) {
                String bsn = b.path("symbolic_name").asText();
                if (bsn.startsWith("gateway.driver.")) {
                    assertEquals("active", b.path("state").asText(), bsn + " held up by the blocked activator");
                    drivers.add(bsn);
                }
            }
            assertTrue(drivers.containsAll(List.of("gateway.driver.idm", "gateway.driver.nibe",
                    "gateway.driver.daikin", "gateway.driver.luxtronik")), drivers.toString());
            String manufacturers = admin.get("/api/manufacturers").body();
            for (String model : new String[] {"\"s1155\"", "\"altherma_3_ekrhh\"", "\"luxtronik_2_1\""}) {
                assertTrue(manufacturers.contains(model), model + " missing: " + manufacturers);
            }
            System.out.printf("slow bundle: /api/health ready after %d ms with the activator still blocked, "
                    + "drivers active: %s%n", readyMillis, drivers);
            return gateway;
        } catch (RuntimeException | AssertionError e) {
            System.out.println(gateway.tail());
            gateway.close();
            throw e;
        }
    }

    private static String createNibe(ApiClient admin, int port) {
        ApiClient.Response r = admin.post("/api/heatpumps", Map.of("name", "NIBE beside a blocked bundle",
                "manufacturer", "nibe", "model", "s1155", "connection_config",
                Map.of("host", "127.0.0.1", "port", port, "unit_id", 1), "poll_interval", 1, "enabled", true));
        assertEquals(201, r.status(), r.body());
        return r.json().get("id").asText();
    }

    private static String textOrNull(ApiClient admin, String device) {
        JsonNode last = admin.get("/api/heatpumps/" + device).json().path("status").path("last_success");
        return last.isTextual() ? last.asText() : null;
    }

    private static JsonNode slowBundle(ApiClient admin) {
        ApiClient.Response bundles = admin.get("/api/bundles");
        assertEquals(200, bundles.status(), bundles.body());
        for (JsonNode b : bundles.json()) {
            if (SLOW_BSN.equals(b.path("symbolic_name").asText())) {
                return b;
            }
        }
        throw new AssertionError(SLOW_BSN + " not in /api/bundles: " + bundles.body());
    }

    /** A bundle of its own around {@link SlowActivator}'s class file, as a third party would ship it. */
    private static void writeSlowBundle(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", SLOW_BSN);
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", SlowActivator.class.getName());
        main.putValue("Import-Package", "org.osgi.framework");
        String entry = SlowActivator.class.getName().replace('.', '/') + ".class";
        Path partial = jar.resolveSibling(jar.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(partial);
                JarOutputStream jarOut = new JarOutputStream(out, manifest);
                InputStream classFile = SlowActivator.class.getClassLoader().getResourceAsStream(entry)) {
            jarOut.putNextEntry(new JarEntry(entry));
            classFile.transferTo(jarOut);
            jarOut.closeEntry();
        }
        Files.move(partial, jar);
    }
}
