package gateway.web.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import gateway.core.api.UserStore;
import gateway.core.api.UserStore.User;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Authentication, roles and CSRF for the REST API, as one whiteboard filter in front of every servlet of the
 * gateway's context ({@code /*}). It guards what the {@link ApiServlet} serves ({@code /api/*}), with the access
 * rules of the API's route table (public routes pass, others need a user with the route's role, and browser sessions
 * need the CSRF header on state-changing methods); on refusal it answers the problem document itself and the servlet
 * never runs. Everything else passes untouched: the console's static files are public, {@code /metrics} keeps its own
 * bearer/allow-list rule ({@link MetricsServlet}), and the Felix system console asks {@link ConsoleSecurityProvider}.
 * The authenticated user and session travel to the servlet as request attributes.
 */
@Component(service = Filter.class, configurationPid = ApiServlet.PID)
@HttpWhiteboardFilterPattern("/*")
@RequireHttpWhiteboard
public class SecurityFilter implements Filter {

    static final String USER = SecurityFilter.class.getName() + ".user";
    static final String SESSION = SecurityFilter.class.getName() + ".session";
    static final String CSRF_HEADER = "X-CSRF-Token";

    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "DELETE", "PATCH");

    private final Authentication authentication;
    private final ObjectMapper mapper = ApiJson.create();
    /** The API's route table, handed over by the servlet when it starts; until then everything needs a user. */
    private volatile Router routes;

    @Activate
    public SecurityFilter(@Reference(name = "users") UserStore users, WebConfig config) {
        this(users, Clock.systemUTC());
        modified(config);
    }

    SecurityFilter(UserStore users, Clock clock) {
        this.authentication = new Authentication(users, clock);
    }

    @Modified
    void modified(WebConfig config) {
        authentication.configure(config);
    }

    Authentication authentication() {
        return authentication;
    }

    /** Applies the access rules of {@code table} to the API from now on. */
    void guard(Router table) {
        this.routes = table;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (req instanceof HttpServletRequest request && res instanceof HttpServletResponse response
                && ApiServlet.MOUNT.equals(request.getServletPath())) {
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Frame-Options", "DENY");
            try {
                admit(request);
            } catch (ApiException refused) {
                UnreadBody.discard(request, response);
                refused.headers().forEach(response::setHeader);
                writeProblem(response, refused.status(),
                        refused.toProblem(request.getRequestURI(), Languages.of(request)));
                return;
            }
        }
        chain.doFilter(req, res);
    }

    /**
     * Lets the request through, with its user and session as attributes, or throws the refusal. An unknown path or
     * method is left to the servlet (404, 405), but only after authentication, so an anonymous caller learns nothing
     * about which paths exist.
     */
    void admit(HttpServletRequest request) {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        Router table = routes;
        Router.Match match = table == null ? null : table.match(method, path);
        if (match != null && match.found() && match.route().isPublic()) {
            return;
        }
        Authentication.Authenticated who = authentication.authenticate(request);
        User user = who.user();
        if (match != null && match.found()) {
            Route route = match.route();
            if (!user.role().atLeast(route.role())) {
                throw new ApiException(403, "forbidden", "Forbidden", "this needs the role "
                        + ApiModel.lower(route.role()) + "; user '" + user.name() + "' is "
                        + ApiModel.lower(user.role()), null);
            }
            if (who.session() != null && STATE_CHANGING.contains(method)
                    && !who.session().csrfMatches(request.getHeader(CSRF_HEADER))) {
                throw new ApiException(403, "csrf", "CSRF token missing or wrong",
                        "a browser session must send header " + CSRF_HEADER + " with the token from login or /api/me"
                                + " on " + method + " requests", null);
            }
        }
        request.setAttribute(USER, user);
        if (who.session() != null) {
            request.setAttribute(SESSION, who.session());
        }
    }

    private void writeProblem(HttpServletResponse response, int status, Problem problem) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(problem);
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE);
        response.setContentLength(bytes.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(bytes);
        }
    }
}
