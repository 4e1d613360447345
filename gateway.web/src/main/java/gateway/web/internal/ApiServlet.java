package gateway.web.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletMultipart;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.api.GatewayIdentity;
import gateway.core.api.GatewayReadiness;
import gateway.core.api.AlertStore;
import gateway.core.api.Automation;
import gateway.core.api.AnomalyStore;
import gateway.core.api.AuditLog;
import gateway.core.api.CopStore;
import gateway.core.api.BackupService;
import gateway.core.api.DashboardStore;
import gateway.core.api.JobStore;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceRateLimitedException;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.HistoryStore;
import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.NotificationChannels;
import gateway.core.api.NotificationOutbox;
import gateway.core.api.ManufacturerRegistry;
import gateway.core.api.ReadingListener;
import gateway.core.api.MetricsPush;
import gateway.core.api.MqttStatus;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.UserStore;
import gateway.core.api.UserStore.User;
import gateway.core.api.WriteRejectedException;
import jakarta.servlet.Filter;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The REST API: one servlet at {@code /api/*} that dispatches through the {@link Router}'s table and turns every
 * failure into a problem document. Who may call what is decided before the servlet runs, by the {@link SecurityFilter}
 * (which this servlet hands its route table); the user it admitted arrives as a request attribute.
 */
@Component(service = Servlet.class, configurationPid = ApiServlet.PID)
@Designate(ocd = WebConfig.class)
@HttpWhiteboardServletPattern(ApiServlet.MOUNT + "/*")
@HttpWhiteboardServletMultipart(enabled = true, fileSizeThreshold = ApiServlet.MULTIPART_MAX_BYTES,
        maxFileSize = ApiServlet.MULTIPART_MAX_BYTES, maxRequestSize = ApiServlet.MULTIPART_MAX_BYTES)
@RequireHttpWhiteboard
public class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);

    static final String MOUNT = "/api";
    static final String PID = "gateway.web";
    static final String CSRF_HEADER = SecurityFilter.CSRF_HEADER;
    static final String JSON = "application/json";
    /**
     * The container's hard ceiling for a multipart body (bundle uploads, field {@code bundle}); the configured
     * {@code max_bundle_mib} is checked below it, from the declared length before parsing and on the part after.
     * Parts stay in memory up to the ceiling (the threshold equals it): no temporary files to place or leak, and only
     * an admin's request gets as far as the parser, since the {@link SecurityFilter} runs first.
     */
    static final int MULTIPART_MAX_BYTES = 256 * 1024 * 1024;

    private final transient GatewayServices services;
    private final transient Authentication authentication;
    final transient BundleResource bundles;
    final transient EventResource events;
    private transient ServiceRegistration<ReadingListener> listenerRegistration;
    private final transient ObjectMapper mapper = ApiJson.create();
    private final transient Router router = new Router();
    private final transient MetricsResource metrics = new MetricsResource();
    private final transient NotificationResource notifications = new NotificationResource();
    private final transient MqttResource mqtt = new MqttResource();
    final transient BackupResource backups = new BackupResource();

    @Activate
    public ApiServlet(@Reference(name = "manager") HeatpumpManager manager,
                      @Reference(name = "registry") ManufacturerRegistry registry,
                      @Reference(name = "users") UserStore users,
                      @Reference(name = "security", service = Filter.class,
                              target = "(component.name=gateway.web.internal.SecurityFilter)") Filter security,
                      BundleContext context, WebConfig config) {
        this(manager, registry, users, (SecurityFilter) security, context.getBundle().getVersion().toString(),
                Clock.systemUTC(), context);
        modified(config);
        context.addFrameworkListener(bundles);
        listenerRegistration = context.registerService(ReadingListener.class, events, null);
    }

    @Deactivate
    void deactivate(BundleContext context) {
        events.closeAll();
        context.removeFrameworkListener(bundles);
        try {
            listenerRegistration.unregister();
        } catch (IllegalStateException e) {
            // gone with the bundle already
        }
    }

    ApiServlet(HeatpumpManager manager, ManufacturerRegistry registry, UserStore users, SecurityFilter security,
               String version, Clock clock) {
        this(manager, registry, users, security, version, clock, null);
    }

    ApiServlet(HeatpumpManager manager, ManufacturerRegistry registry, UserStore users, SecurityFilter security,
               String version, Clock clock, BundleContext context) {
        this.services = new GatewayServices(manager, registry, version, clock);
        this.authentication = security.authentication();
        new AuthResource(users, authentication.sessions, authentication.throttle).register(router);
        new UserResource(users, authentication.sessions, authentication::forgetVerifiedCredentials).register(router);
        new TokenResource(users, authentication::forgetVerifiedCredentials).register(router);
        new AccountResource(users, authentication.sessions, authentication.throttle,
                authentication::forgetVerifiedCredentials).register(router);
        new SystemResource(services).register(router);
        new CatalogResource(services).register(router);
        new HeatpumpResource(services).register(router);
        new DataResource(services).register(router);
        new ControlResource(services).register(router);
        new DefinitionResource(services).register(router);
        this.bundles = new BundleResource(context, 20L * 1024 * 1024);
        bundles.register(router);
        this.events = new EventResource(services);
        events.register(router);
        new OpenApiResource(router).register(router);
        new RegisterExportResource(services).register(router);
        new ExportResource(services).register(router);
        new EnergyResource(services).register(router);
        new AnomalyResource(services).register(router);
        new AutomationResource(services).register(router);
        metrics.register(router);
        notifications.register(router);
        mqtt.register(router, () -> services.configAdmin);
        backups.register(router);
        services.vicareSignIn.register(router);
        security.guard(router);
    }

    @Modified
    void modified(WebConfig config) {
        bundles.maxBytes = config.max_bundle_mib() * 1024L * 1024L;
        events.maxClients = config.max_event_clients();
    }

    @Reference(name = "cop", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setCop(CopStore cop) {
        services.cop = cop;
    }

    void unsetCop(CopStore cop) {
        if (services.cop == cop) {
            services.cop = null;
        }
    }

    @Reference(name = "history", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setHistory(HistoryStore history) {
        services.history = history;
    }

    void unsetHistory(HistoryStore history) {
        if (services.history == history) {
            services.history = null;
        }
    }

    @Reference(name = "audit", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAudit(AuditLog audit) {
        services.audit = audit;
    }

    void unsetAudit(AuditLog audit) {
        if (services.audit == audit) {
            services.audit = null;
        }
    }

    @Reference(name = "jobs", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setJobs(JobStore jobs) {
        services.jobs = jobs;
    }

    void unsetJobs(JobStore jobs) {
        if (services.jobs == jobs) {
            services.jobs = null;
        }
    }

    @Reference(name = "alerts", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAlerts(AlertStore alerts) {
        services.alerts = alerts;
    }

    void unsetAlerts(AlertStore alerts) {
        if (services.alerts == alerts) {
            services.alerts = null;
        }
    }

    @Reference(name = "automation", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAutomation(Automation automation) {
        services.automation = automation;
    }

    void unsetAutomation(Automation automation) {
        if (services.automation == automation) {
            services.automation = null;
        }
    }

    @Reference(name = "readiness", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setReadiness(GatewayReadiness readiness) {
        services.readiness = readiness;
    }

    void unsetReadiness(GatewayReadiness readiness) {
        if (services.readiness == readiness) {
            services.readiness = null;
        }
    }

    @Reference(name = "identity", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setIdentity(GatewayIdentity identity) {
        services.identity = identity;
    }

    void unsetIdentity(GatewayIdentity identity) {
        if (services.identity == identity) {
            services.identity = null;
        }
    }

    @Reference(name = "anomalies", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAnomalies(AnomalyStore anomalies) {
        services.anomalies = anomalies;
    }

    void unsetAnomalies(AnomalyStore anomalies) {
        if (services.anomalies == anomalies) {
            services.anomalies = null;
        }
    }

    @Reference(name = "dashboards", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setDashboards(DashboardStore dashboards) {
        services.dashboards = dashboards;
    }

    void unsetDashboards(DashboardStore dashboards) {
        if (services.dashboards == dashboards) {
            services.dashboards = null;
        }
    }

    @Reference(name = "metricsPush", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMetricsPush(MetricsPush push) {
        metrics.push = push;
    }

    void unsetMetricsPush(MetricsPush push) {
        if (metrics.push == push) {
            metrics.push = null;
        }
    }

    @Reference(name = "cloudSignIn", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCloudSignIn(gateway.core.api.CloudSignIn signIn) {
        services.vicareSignIn.signIns.put(signIn.manufacturerId(), signIn);
    }

    void removeCloudSignIn(gateway.core.api.CloudSignIn signIn) {
        services.vicareSignIn.signIns.remove(signIn.manufacturerId(), signIn);
    }

    @Reference(name = "mqtt", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMqtt(MqttStatus status) {
        mqtt.mqtt = status;
    }

    void unsetMqtt(MqttStatus status) {
        if (mqtt.mqtt == status) {
            mqtt.mqtt = null;
        }
    }

    @Reference(name = "notificationChannels", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setNotificationChannels(NotificationChannels channels) {
        notifications.channels = channels;
    }

    void unsetNotificationChannels(NotificationChannels channels) {
        if (notifications.channels == channels) {
            notifications.channels = null;
        }
    }

    @Reference(name = "notificationOutbox", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setNotificationOutbox(NotificationOutbox outbox) {
        notifications.outbox = outbox;
    }

    void unsetNotificationOutbox(NotificationOutbox outbox) {
        if (notifications.outbox == outbox) {
            notifications.outbox = null;
        }
    }

    @Reference(name = "configAdmin", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setConfigAdmin(org.osgi.service.cm.ConfigurationAdmin configAdmin) {
        services.configAdmin = configAdmin;
    }

    void unsetConfigAdmin(org.osgi.service.cm.ConfigurationAdmin configAdmin) {
        if (services.configAdmin == configAdmin) {
            services.configAdmin = null;
        }
    }

    @Reference(name = "backups", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setBackupService(BackupService service) {
        backups.backups = service;
    }

    void unsetBackupService(BackupService service) {
        if (backups.backups == service) {
            backups.backups = null;
        }
    }

    /** Every route, for documentation and the OpenAPI consistency check. */
    List<Route> routes() {
        return router.routes();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        Reply reply;
        try {
            Router.Match match = router.match(method, path);
            User user = request.getAttribute(SecurityFilter.USER) instanceof User u ? u : null;
            SessionStore.Session session = request.getAttribute(SecurityFilter.SESSION)
                    instanceof SessionStore.Session s ? s : null;
            if (user == null && !(match.found() && match.route().isPublic())) {
                // fail closed: without the filter in front (misconfigured whiteboard) nothing but public routes opens
                throw Authentication.unauthorized("authentication required");
            }
            if (!match.pathKnown()) {
                throw ApiException.notFound("no such resource: " + request.getRequestURI());
            }
            if (!match.found()) {
                throw new ApiException(405, "method-not-allowed", "Method not allowed",
                        method + " is not allowed here; use " + String.join(", ", match.allowed()), null)
                        .header("Allow", String.join(", ", match.allowed()));
            }
            Route route = match.route();
            if (route.isPublic()) {
                // public routes never see a caller, whatever credentials came along (as before the filter)
                user = null;
                session = null;
            }
            Object result = route.handler().handle(new ApiRequest(request, response, match.params(), user, session,
                    mapper));
            if (result == Reply.STREAMED) {
                return;
            }
            reply = result instanceof Reply r ? r : new Reply(200, result, Map.of());
        } catch (Exception e) {
            ApiException problem = toProblem(e, request);
            UnreadBody.discard(request, response);
            problem.headers().forEach(response::setHeader);
            write(response, problem.status(), Problem.MEDIA_TYPE,
                    problem.toProblem(request.getRequestURI(), Languages.of(request)));
            return;
        }
        // outside the try: a client that hangs up while the answer is written is not a failure of the handler
        reply.headers().forEach(response::setHeader);
        write(response, reply.status(), JSON, reply.body());
    }

    /** The multipart settings of the whiteboard registration, for a container set up by hand (tests). */
    static MultipartConfigElement multipartConfig() {
        return new MultipartConfigElement("", MULTIPART_MAX_BYTES, MULTIPART_MAX_BYTES, MULTIPART_MAX_BYTES);
    }

    /** The login state of the API: sessions, throttle and the verified-credential cache. */
    Authentication authentication() {
        return authentication;
    }

    private void write(HttpServletResponse response, int status, String contentType, Object body)
            throws IOException {
        response.setStatus(status);
        if (body == null) {
            return;
        }
        byte[] bytes = mapper.writeValueAsBytes(body);
        response.setContentType(contentType);
        response.setContentLength(bytes.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(bytes);
        }
    }

    /** The one place that decides which status an exception deserves. */
    ApiException toProblem(Exception e, HttpServletRequest request) {
        if (e instanceof ApiException api) {
            return api;
        }
        if (e instanceof UnknownHeatpumpException) {
            return new ApiException(404, "unknown-heatpump", "Unknown heat pump", e.getMessage(), null);
        }
        if (e instanceof InvalidConfigurationException invalid) {
            return invalid.conflict()
                    ? new ApiException(409, "conflict", "Conflict", invalid.getMessage(), invalid.problems())
                    : new ApiException(422, "invalid-configuration", "Invalid configuration",
                            invalid.getMessage(), invalid.problems());
        }
        if (e instanceof WriteRejectedException rejected) {
            return writeRejected(rejected);
        }
        if (e instanceof gateway.core.api.ValueTooLongException tooLong) {
            // the store's last word on lengths; InputLimits should have refused the value before it got there
            String field = "endpoint_key".equals(tooLong.field()) ? "connection_config.host" : tooLong.field();
            return ApiException.invalid(field + " is longer than the gateway stores",
                    List.of(field + ": too long to store")).with("field", field);
        }
        if (e instanceof DeviceRateLimitedException limited) {
            return rateLimited(limited, services.clock.instant());
        }
        if (e instanceof DeviceUnreachableException) {
            return ApiException.unavailable("device-unreachable", "Device unreachable", e.getMessage());
        }
        if (e instanceof DeviceProtocolException protocol) {
            return ApiException.unavailable("device-error", "Device error", e.getMessage())
                    .with("code", protocol.code());
        }
        if (e instanceof DeviceException) {
            return ApiException.unavailable("device-error", "Device error", e.getMessage());
        }
        if (e instanceof JsonProcessingException json) {
            return ApiRequest.fromJackson(json);
        }
        LOG.warn("unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return new ApiException(500, "internal-error", "Internal server error",
                "the gateway failed to answer; see its log", null);
    }

    /**
     * A device behind a quota (a cloud API's 429): 429 with the reset time, never 503, since nothing is broken and
     * the caller can tell exactly when a retry makes sense ({@code retry_at}, and {@code Retry-After} in seconds).
     */
    static ApiException rateLimited(DeviceRateLimitedException e, Instant now) {
        long seconds = Math.max(1, (Duration.between(now, e.retryAt()).toMillis() + 999) / 1000);
        return new ApiException(429, "rate-limited", "Device rate limited", e.getMessage(), null)
                .with("reason", "rate_limited").with("retry_at", e.retryAt().toString())
                .header("Retry-After", Long.toString(seconds));
    }

    /**
     * Write refusals. WRITES_DISABLED is 409, not 403: the user is allowed to write, but the gateway's state (its
     * global write switch) forbids it right now, and a 403 would read as a missing role to a client.
     */
    static ApiException writeRejected(WriteRejectedException e) {
        WriteRejectedException.Reason reason = e.reason();
        int status = switch (reason) {
            case WRITES_DISABLED -> 409;
            case UNKNOWN_SENSOR -> 404;
            case DEVICE_UNAVAILABLE -> 503;
            case NOT_WRITABLE, OUT_OF_RANGE, INVALID_VALUE, REFUSED_BY_DRIVER -> 422;
        };
        String slug = ApiModel.lower(reason).replace('_', '-');
        String title = switch (reason) {
            case WRITES_DISABLED -> "Writes disabled";
            case UNKNOWN_SENSOR -> "Unknown sensor";
            case DEVICE_UNAVAILABLE -> "Device unavailable";
            case NOT_WRITABLE -> "Sensor not writable";
            case OUT_OF_RANGE -> "Value out of range";
            case INVALID_VALUE -> "Invalid value";
            case REFUSED_BY_DRIVER -> "Refused by driver";
        };
        return new ApiException(status, slug, title, e.getMessage(), null).with("reason", ApiModel.lower(reason));
    }
}
