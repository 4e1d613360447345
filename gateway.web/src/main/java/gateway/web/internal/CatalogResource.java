package gateway.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import gateway.core.api.DashboardTemplate;
import gateway.core.api.DashboardTemplate.Chart;
import gateway.core.api.DeviceConfig;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.ManufacturerRegistry.Manufacturer;
import gateway.core.api.ManufacturerRegistry.Model;
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
                        this::manufacturers)
                .add("GET", "/manufacturers/{manufacturer}/models/{model}/setup", Role.VIEWER,
                        "Setup facts of a model: defaults, capabilities, instructions, dashboard template",
                        this::setup);
    }

    /** The models' names in the request's language (ids never change); English as the drivers name them. */
    private Object manufacturers(ApiRequest request) {
        Locale locale = Languages.of(request);
        List<Manufacturer> all = services.registry.manufacturers();
        if (locale.getLanguage().equals("en")) {
            return all;
        }
        return all.stream().map(m -> new Manufacturer(m.id(), m.name(), m.models().stream()
                .map(model -> new Model(model.id(), modelName(m.id(), model, locale), model.protocol(),
                        model.defaultPort()))
                .toList())).toList();
    }

    private String modelName(String manufacturer, Model model, Locale locale) {
        try {
            return services.registry.driver(manufacturer, model.id()).map(d -> d.modelName(locale))
                    .orElse(model.name());
        } catch (RuntimeException | LinkageError e) {
            return model.name(); // a driver going away (or built against an older API) keeps its English name
        }
    }

    /**
     * A driver's dashboard template in a language: its chart titles from the web bundle's catalog
     * ({@link MessageCatalog#dashboardTitle}), the model's name in its own name from the driver.
     */
    static DashboardTemplate template(DashboardTemplate template, HeatpumpDriver driver, Locale locale) {
        if (template == null || locale.getLanguage().equals("en")) {
            return template;
        }
        MessageCatalog texts = MessageCatalog.BUNDLE;
        return new DashboardTemplate(dashboardName(template.name(), driver, locale), template.charts().stream()
                .map(c -> new Chart(texts.dashboardTitle(c.title(), locale), c.type(), c.sensors(), c.hours()))
                .toList());
    }

    /** A dashboard's name in a language: the model's name in it replaced, else the catalog's title. */
    static String dashboardName(String name, HeatpumpDriver driver, Locale locale) {
        if (name == null || locale.getLanguage().equals("en")) {
            return name;
        }
        if (driver != null) {
            String english = driver.modelName();
            String local = driver.modelName(locale);
            if (english != null && !english.isEmpty() && name.contains(english) && !english.equals(local)) {
                return name.replace(english, local);
            }
        }
        return MessageCatalog.BUNDLE.dashboardTitle(name, locale);
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
        Locale locale = Languages.of(request);
        return new Setup(manufacturer, model, driver.modelName(locale), driver.protocol(), driver.defaultPort(),
                driver.minPollIntervalSeconds(), driver.defaultPollIntervalSeconds(), driver.capabilities(config),
                driver.setupInstructions(locale), template(driver.dashboardTemplate(config), driver, locale),
                driver.sensors(config).size());
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
