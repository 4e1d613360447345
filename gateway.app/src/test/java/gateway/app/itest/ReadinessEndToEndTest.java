package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * Issue 14: /api/health says ready only when start-up has settled. A client that saw 200 used to get "no driver
 * installed" for a NIBE because the drivers in deploy/ were still being installed (1 start in 7).
 */
@ExtendWith(BundleContextExtension.class)
class ReadinessEndToEndTest {

    private static final String PASSWORD = "readiness-test-password";

    @InjectBundleContext
    BundleContext context;

    @Test
    void theFirst200OfHealthMeansEveryDriverFromDeployIsThere() throws Exception {
        Path data = Files.createTempDirectory("gateway-ready");
        // start() returns at the first 200 of /api/health
        try (GatewayProcess gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data,
                Map.of("GATEWAY_ADMIN_PASSWORD", PASSWORD))) {
            ApiClient admin = new ApiClient(gateway.port, "admin", PASSWORD);
            String manufacturers = admin.get("/api/manufacturers").body();
            for (String make : new String[] {"\"idm\"", "\"nibe\"", "\"daikin\"", "\"luxtronik\""}) {
                assertTrue(manufacturers.contains(make), make + " missing right after health said ok: " + manufacturers);
            }
            ApiClient anonymous = new ApiClient(gateway.port, null, null);
            ApiClient.Response health = anonymous.get("/api/health");
            assertEquals(200, health.status());
            assertEquals("ok", health.json().path("status").asText());
            assertEquals(0, health.json().path("waiting_for").size());
            assertEquals(200, anonymous.get("/api/health/ready").status());
            assertEquals(200, anonymous.get("/api/health/live").status());
        }
    }
}
