package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
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

/** A user of the original single-IDM logger starts the gateway with their old IDM_HOST/IDM_PORT environment. */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class LegacyEnvironmentMigrationTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ServiceAware<HeatpumpSimulator> simulators;

    @Test
    void idmHostFromTheEnvironmentBecomesDeviceHpLegacyAndIsPolled() throws Exception {
        HeatpumpSimulator idm = Await.value("IDM simulator service", Duration.ofSeconds(20), () -> simulators
                .getServices().stream().filter(s -> s.manufacturerId().equals("idm")).findFirst().orElse(null));
        try (HeatpumpSimulator.Running sim = idm.start(0, DeviceConfig.of(List.of("A"), List.of()));
             GatewayProcess gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"),
                     Files.createTempDirectory("gateway-legacy"), Map.of("GATEWAY_ADMIN_PASSWORD", "legacy-admin-pw",
                             "IDM_HOST", "127.0.0.1", "IDM_PORT", Integer.toString(sim.port())))) {
            ApiClient admin = new ApiClient(gateway.port, "admin", "legacy-admin-pw");
            ApiClient.Response response = admin.get("/api/heatpumps/hp-legacy");
            assertEquals(200, response.status(), response.body());
            JsonNode legacy = response.json();
            assertEquals("idm", legacy.path("manufacturer").asText());
            assertEquals("navigator_2_0", legacy.path("model").asText());
            assertEquals(sim.port(), legacy.path("connection_config").path("port").asInt());
            Await.until("hp-legacy polled once its driver is installed", Duration.ofSeconds(30), () -> "online"
                    .equals(admin.get("/api/heatpumps/hp-legacy").json().path("status").path("state").asText()));
        }
    }
}
