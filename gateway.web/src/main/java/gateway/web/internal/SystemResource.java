package gateway.web.internal;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.GatewayIdentity;
import gateway.core.api.GatewayReadiness;
import gateway.core.api.DeviceState;
import gateway.core.api.DeviceStatus;
import gateway.core.api.Heatpump;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.UserStore.Role;
import gateway.web.internal.ApiModel.DeviceSummary;
import gateway.web.internal.ApiModel.GatewayStatus;
import gateway.web.internal.ApiModel.Health;
import gateway.web.internal.ApiModel.SettingsInput;
import gateway.web.internal.ApiModel.SettingsView;
import gateway.web.internal.ApiModel.Version;

/** Health, version, gateway status, the global settings and the audit trail. */
final class SystemResource {

    private static final Logger LOG = LoggerFactory.getLogger(SystemResource.class);
    static final String API_VERSION = "1";
    static final int DEFAULT_AUDIT_LIMIT = 100;
    static final int MAX_AUDIT_LIMIT = 1000;

    private final GatewayServices services;

    SystemResource(GatewayServices services) {
        this.services = services;
    }

    void register(Router router) {
        router.add("GET", "/health", null,
                        "Readiness and device counts: 503 {\"status\": \"starting\"} until start-up has settled "
                                + "(no authentication)", this::health)
                .add("GET", "/health/ready", null, "The same as /health (no authentication)", this::health)
                .add("GET", "/health/live", null, "200 as soon as the process serves HTTP (no authentication)",
                        this::live)
                .add("GET", "/version", null, "Gateway and API version (no authentication)",
                        r -> new Version(services.version, API_VERSION))
                .add("GET", "/status", Role.VIEWER, "Gateway status: devices, uptime, version, write switch",
                        this::status)
                .add("GET", "/settings", Role.VIEWER, "Gateway settings: write switch, time zone of the jobs, gateway_id and site",
                        r -> settings())
                .add("PUT", "/settings", Role.ADMIN,
                        "Change gateway settings ({\"write_enabled\", \"time_zone\"}; \"\" = the system's zone)",
                        this::putSettings)
                .add("GET", "/audit", Role.VIEWER, "Audit trail, newest first (?heatpump_id=&limit=)", this::audit);
    }

    private List<DeviceSummary> devices() {
        List<DeviceSummary> out = new ArrayList<>();
        for (Heatpump h : services.manager.heatpumps()) {
            try {
                DeviceStatus s = services.manager.status(h.id());
                out.add(new DeviceSummary(h.id(), h.name(), h.manufacturer(), h.model(), h.enabled(),
                        ApiModel.lower(s.state()), s.lastSuccess(), s.errorCount(), s.lastError()));
            } catch (UnknownHeatpumpException e) {
                // deleted while listing
            }
        }
        return out;
    }

    /** Devices that answer count as online, including those with some failed requests (degraded). */
    private static int online(List<DeviceSummary> devices) {
        return (int) devices.stream().filter(d -> d.state().equals(ApiModel.lower(DeviceState.ONLINE))
                || d.state().equals(ApiModel.lower(DeviceState.DEGRADED))).count();
    }

    /** Ready: 200 once start-up has settled (drivers from deploy/ active), 503 {"status": "starting"} before. */
    private Object health(ApiRequest request) {
        List<DeviceSummary> devices = devices();
        GatewayReadiness readiness = services.readiness;
        GatewayReadiness.Status status = readiness == null ? new GatewayReadiness.Status(true, List.of())
                : readiness.status();
        Health health = new Health(status.ready() ? "ok" : "starting", devices.size(), online(devices),
                status.waitingFor());
        return status.ready() ? health : new Reply(503, health, Map.of("Retry-After", "1"));
    }

    /** Live: the process serves HTTP (for orchestrators that restart what does not answer). */
    private Object live(ApiRequest request) {
        return Map.of("status", "ok");
    }

    private Object status(ApiRequest request) {
        List<DeviceSummary> devices = devices();
        long uptime = Duration.between(services.startedAt, services.clock.instant()).toSeconds();
        return new GatewayStatus(services.version, API_VERSION, services.startedAt, uptime,
                services.manager.writeEnabled(), devices.size(), online(devices), services.history != null,
                services.audit != null, devices);
    }

    private SettingsView settings() {
        GatewayIdentity id = services.identity;
        return new SettingsView(services.manager.writeEnabled(),
                TimeZoneSetting.effective(services.configAdmin).getId(), ZoneId.systemDefault().getId(),
                id == null ? null : id.gatewayId(), id == null || id.site().isEmpty() ? null : id.site());
    }

    private Object putSettings(ApiRequest request) throws Exception {
        SettingsInput in = request.body(SettingsInput.class);
        if (in.writeEnabled() == null && in.timeZone() == null) {
            throw ApiException.badRequest("nothing to change; known settings: write_enabled, time_zone",
                    List.of("write_enabled or time_zone: required"));
        }
        // checked before anything changes, so a bad zone leaves the write switch as it was too
        ZoneId zone = in.timeZone() == null ? null : TimeZoneSetting.parse(in.timeZone());
        if (in.timeZone() != null) {
            TimeZoneSetting.store(services.configAdmin, zone);
            LOG.info("time zone set to {} by={}", zone == null ? "the system's" : zone.getId(), request.actor());
        }
        if (in.writeEnabled() != null) {
            services.manager.setWriteEnabled(in.writeEnabled(), request.actor());
            LOG.info("write switch set to {} by={}", in.writeEnabled(), request.actor());
        }
        return settings();
    }

    private Object audit(ApiRequest request) {
        String heatpumpId = request.query("heatpump_id");
        String limitText = request.query("limit");
        int limit = DEFAULT_AUDIT_LIMIT;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_AUDIT_LIMIT) {
                throw ApiException.badRequest("'limit' must be 1.." + MAX_AUDIT_LIMIT + ", got '" + limitText + "'");
            }
        }
        return services.audit().recent(heatpumpId, limit);
    }
}
