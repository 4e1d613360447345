package gateway.web.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.api.AuditLog;
import gateway.core.api.DeviceException;
import gateway.core.api.DeviceProtocolException;
import gateway.core.api.DeviceUnreachableException;
import gateway.core.api.HeatpumpManager;
import gateway.core.api.HistoryStore;
import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.ManufacturerRegistry;
import gateway.core.api.UnknownHeatpumpException;
import gateway.core.api.UserStore;
import gateway.core.api.UserStore.User;
import gateway.core.api.WriteRejectedException;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The REST API: one servlet at {@code /api/*} that authenticates, dispatches through the {@link Router}'s table and
 * turns every failure into a problem document.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(ApiServlet.MOUNT + "/*")
@RequireHttpWhiteboard
public class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);

    static final String MOUNT = "/api";
    static final String JSON = "application/json";

    private final transient GatewayServices services;
    private final transient BasicAuthenticator authenticator;
    private final transient ObjectMapper mapper = ApiJson.create();
    private final transient Router router = new Router();

    @Activate
    public ApiServlet(@Reference(name = "manager") HeatpumpManager manager,
                      @Reference(name = "registry") ManufacturerRegistry registry,
                      @Reference(name = "users") UserStore users, BundleContext context) {
        this(manager, registry, users, context.getBundle().getVersion().toString(), Clock.systemUTC());
    }

    ApiServlet(HeatpumpManager manager, ManufacturerRegistry registry, UserStore users, String version,
               Clock clock) {
        this.services = new GatewayServices(manager, registry, version, clock);
        this.authenticator = new BasicAuthenticator(users);
        new SystemResource(services).register(router);
        new CatalogResource(services).register(router);
        new HeatpumpResource(services).register(router);
        new DataResource(services).register(router);
        new ControlResource(services).register(router);
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

    /** Every route, for documentation and the OpenAPI consistency check. */
    List<Route> routes() {
        return router.routes();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Frame-Options", "DENY");
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        try {
            Router.Match match = router.match(method, path);
            User user = null;
            if (!(match.found() && match.route().isPublic())) {
                user = authenticate(request);
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
            if (route.role() != null && !user.role().atLeast(route.role())) {
                throw new ApiException(403, "forbidden", "Forbidden", "this needs the role "
                        + ApiModel.lower(route.role()) + "; user '" + user.name() + "' is "
                        + ApiModel.lower(user.role()), null);
            }
            Object result = route.handler().handle(new ApiRequest(request, match.params(), user, mapper));
            Reply reply = result instanceof Reply r ? r : new Reply(200, result, Map.of());
            reply.headers().forEach(response::setHeader);
            write(response, reply.status(), JSON, reply.body());
        } catch (Exception e) {
            ApiException problem = toProblem(e, request);
            problem.headers().forEach(response::setHeader);
            write(response, problem.status(), Problem.MEDIA_TYPE, problem.toProblem(request.getRequestURI()));
        }
    }

    private User authenticate(HttpServletRequest request) {
        Optional<User> user = authenticator.authenticate(request.getHeader("Authorization"));
        if (user.isEmpty()) {
            String detail = request.getHeader("Authorization") == null ? "authentication required"
                    : "user name or password not accepted";
            throw new ApiException(401, "unauthorized", "Unauthorized", detail, null)
                    .header("WWW-Authenticate", BasicAuthenticator.CHALLENGE);
        }
        return user.get();
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
