package gateway.web.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.DeviceConfig;
import gateway.core.api.Heatpump;
import gateway.core.api.HeatpumpDriver;
import gateway.core.api.RegisterImport;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.UserStore.Role;

/**
 * {@code /heatpumps/{id}/register-export}: a register list the device exported itself (NIBE's "Modbus list"),
 * uploaded as a file. The device's driver parses it ({@link HeatpumpDriver#importRegisters}); the text is stored in
 * the device option {@value RegisterImport#DEVICE_OPTION} through the manager, so it lives in H2 with the device and
 * the driver offers its registers on the next poll. Malformed rows are reported by line and skipped.
 */
final class RegisterExportResource {

    private static final Logger LOG = LoggerFactory.getLogger(RegisterExportResource.class);
    static final Set<String> MEDIA_TYPES = Set.of("text/csv", "text/plain", "text/tab-separated-values");

    /**
     * @param stored       whether a list is stored (GET); uploads answer true
     * @param rowsAccepted rows that became sensors; null while the device's driver is missing
     * @param errors       skipped rows; null while the device's driver is missing
     * @param sensorCount  sensors the device offers now (built-in map plus the list)
     */
    record ImportView(String heatpumpId, boolean stored, Integer rowsAccepted, List<ErrorView> errors,
                      int sensorCount, Integer bytes) {
    }

    record ErrorView(int line, String message) {
    }

    private final GatewayServices services;

    RegisterExportResource(GatewayServices services) {
        this.services = services;
    }

    void register(Router router) {
        router.add("GET", "/heatpumps/{id}/register-export", Role.VIEWER,
                        "Summary of the register list uploaded for a heat pump", this::get)
                .add("PUT", "/heatpumps/{id}/register-export", Role.ADMIN,
                        "Upload the register list the heat pump exported (text/csv, text/plain or "
                                + "text/tab-separated-values, at most 1 MiB)", this::put)
                .add("DELETE", "/heatpumps/{id}/register-export", Role.ADMIN,
                        "Remove the uploaded register list; the device keeps its built-in map", this::delete);
    }

    private Object put(ApiRequest request) throws Exception {
        String id = request.param("id");
        Heatpump old = device(id);
        String text = request.text(MEDIA_TYPES);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        RegisterImport report = importer(old).importRegisters(text).orElseThrow();
        if (report.rowsAccepted() == 0) {
            throw ApiException.invalid("the register list has no usable rows; nothing was stored",
                    report.errors().stream().limit(50).map(e -> "line " + e.line() + ": " + e.message()).toList());
        }
        Map<String, String> options = new LinkedHashMap<>(old.deviceConfig().options());
        options.put(RegisterImport.DEVICE_OPTION, text);
        services.manager.update(with(old, options));
        LOG.info("register export stored id={} rows={} skipped={} by={}", id, report.rowsAccepted(),
                report.errors().size(), request.actor());
        return view(id, report, text);
    }

    private Object get(ApiRequest request) throws Exception {
        String id = request.param("id");
        Heatpump h = device(id);
        String text = h.deviceConfig().options().get(RegisterImport.DEVICE_OPTION);
        if (text == null) {
            throw ApiException.notFound("heat pump '" + id + "' has no register list; PUT one to this path");
        }
        RegisterImport report = services.registry.driver(h.manufacturer(), h.model())
                .flatMap(d -> d.importRegisters(text)).orElse(null);
        return view(id, report, text);
    }

    private Object delete(ApiRequest request) throws Exception {
        String id = request.param("id");
        Heatpump old = device(id);
        if (old.deviceConfig().options().containsKey(RegisterImport.DEVICE_OPTION)) {
            Map<String, String> options = new LinkedHashMap<>(old.deviceConfig().options());
            options.remove(RegisterImport.DEVICE_OPTION);
            services.manager.update(with(old, options));
            LOG.info("register export removed id={} by={}", id, request.actor());
        }
        return Reply.noContent();
    }

    private Heatpump device(String id) throws UnknownHeatpumpException {
        return services.manager.heatpump(id).orElseThrow(() -> new UnknownHeatpumpException(id));
    }

    /** The device's driver, if it reads register lists; a missing driver cannot check the file, so it is a 409. */
    private HeatpumpDriver importer(Heatpump h) {
        HeatpumpDriver driver = services.registry.driver(h.manufacturer(), h.model()).orElseThrow(
                () -> new ApiException(409, "driver-missing", "Driver missing", "the driver for '"
                        + h.manufacturer() + "/" + h.model() + "' is not installed; the list cannot be checked",
                        null));
        if (driver.importRegisters("").isEmpty()) {
            throw new ApiException(409, "not-supported", "Not supported", "the " + driver.manufacturerName() + " "
                    + driver.modelName() + " driver does not import register lists", null);
        }
        return driver;
    }

    private static Heatpump with(Heatpump h, Map<String, String> options) {
        DeviceConfig d = h.deviceConfig();
        return new Heatpump(h.id(), h.name(), h.manufacturer(), h.model(), h.connection(),
                new DeviceConfig(d.circuits(), d.zones(), options), h.pollIntervalSeconds(), h.enabled(),
                h.createdAt(), h.updatedAt());
    }

    private static List<ErrorView> errors(RegisterImport report) {
        return report.errors().stream().map(e -> new ErrorView(e.line(), e.message())).toList();
    }

    private ImportView view(String id, RegisterImport report, String text) throws UnknownHeatpumpException {
        return new ImportView(id, true, report == null ? null : report.rowsAccepted(),
                report == null ? null : errors(report), services.manager.sensors(id).size(),
                text.getBytes(StandardCharsets.UTF_8).length);
    }
}
