package gateway.web.internal;

import java.util.ArrayList;
import java.util.List;

import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.UserStore.Role;
import gateway.web.internal.ApiModel.Setup;

/** {@code /manufacturers}: the models whose drivers are installed, and what the setup wizard needs for one. */
final class CatalogResource {

    private final GatewayServices services;

    CatalogResource(GatewayServices services) {
        this.services = services;
    }

    void register(Router router) {
        router.add("GET", "/manufacturers", Role.VIEWER, "Manufacturers and models with an installed driver",
                        r -> services.registry.manufacturers())
                .add("GET", "/manufacturers/{manufacturer}/models/{model}/setup", Role.VIEWER,
                        "Setup facts of a model: defaults, capabilities, instructions, dashboard template",
                        this::setup);
    }

    /** Optional {@code ?circuits=A,B&zones=0,1} describe the installation the capabilities and template are for. */
    private Object setup(ApiRequest request) {
        String manufacturer = request.param("manufacturer");
        String model = request.param("model");
        HeatpumpDriver driver = services.registry.driver(manufacturer, model)
                .orElseThrow(() -> new ApiException(404, "unknown-model", "Unknown model",
                        "no driver installed for manufacturer '" + manufacturer + "' and model '" + model + "'",
                        null));
        DeviceConfig config = DeviceConfig.of(list(request.query("circuits")), zones(request.query("zones")));
        List<String> problems = driver.validate(config);
        if (!problems.isEmpty()) {
            throw ApiException.invalid("circuits/zones do not fit this model", problems);
        }
        return new Setup(manufacturer, model, driver.modelName(), driver.protocol(), driver.defaultPort(),
                driver.minPollIntervalSeconds(), driver.defaultPollIntervalSeconds(), driver.capabilities(config),
                driver.setupInstructions(), driver.dashboardTemplate(config), driver.sensors(config).size());
    }

    private static List<String> list(String csv) {
        List<String> out = new ArrayList<>();
        if (csv != null) {
            for (String part : csv.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static List<Integer> zones(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String part : list(csv)) {
            try {
                out.add(Integer.parseInt(part));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("zones: '" + part + "' is not an integer");
            }
        }
        return out;
    }
}
