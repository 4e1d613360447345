package gateway.web.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.annotation.JsonInclude;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.UserStore;
import gateway.core.api.UserStore.Role;
import gateway.core.api.UserStore.User;

/** First-run setup, login, logout and "who am I". */
final class AuthResource {

    private static final Logger LOG = LoggerFactory.getLogger(AuthResource.class);

    record SetupNeeded(boolean needed) {
    }

    record Credentials(String username, String password) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Me(String name, String role, String csrfToken) {
    }

    private final UserStore users;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    private final Object setupLock = new Object();

    AuthResource(UserStore users, SessionStore sessions, LoginThrottle throttle) {
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    void register(Router router) {
        router.add("GET", "/setup", null, "Whether the first admin still has to be created (no authentication)",
                        r -> new SetupNeeded(!users.hasUsers()))
                .add("POST", "/setup", null, "Create the first admin ({\"username\",\"password\"}); refused once any"
                        + " user exists", this::setup)
                .add("POST", "/login", null, "Log in ({\"username\",\"password\"}); sets the session cookie",
                        this::login)
                .add("POST", "/logout", Role.VIEWER, "End the browser session", this::logout)
                .add("GET", "/me", Role.VIEWER, "The current user, role and (for a session) the CSRF token",
                        this::me);
    }

    private static Credentials credentials(ApiRequest request) throws Exception {
        Credentials in = request.body(Credentials.class);
        List<String> problems = new ArrayList<>();
        if (in.username() == null || in.username().isBlank()) {
            problems.add("username: required");
        }
        if (in.password() == null || in.password().isEmpty()) {
            problems.add("password: required");
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("username and password are required", problems);
        }
        return in;
    }

    private Object setup(ApiRequest request) throws Exception {
        Credentials in = credentials(request);
        // one at a time: two first-run pages must not both create an admin
        synchronized (setupLock) {
            if (users.hasUsers()) {
                throw new ApiException(409, "setup-done", "Setup already done",
                        "the first admin exists already; log in instead", null);
            }
            char[] password = in.password().toCharArray();
            try {
                User created = users.create(in.username().trim(), password, Role.ADMIN);
                LOG.info("first admin '{}' created through setup from {}", created.name(), request.remoteAddress());
                return Reply.created(ApiServlet.MOUNT + "/users/" + created.name(),
                        new Me(created.name(), ApiModel.lower(created.role()), null));
            } catch (InvalidConfigurationException e) {
                throw e.conflict() ? e : ApiException.invalid("the first admin is not valid", e.problems());
            } finally {
                Arrays.fill(password, '\0');
            }
        }
    }

    private Object login(ApiRequest request) throws Exception {
        String address = request.remoteAddress();
        Credentials in = credentials(request);
        // the digest of "name:password", as Basic computes it: a credential a script proved also logs in a browser
        char[] both = (in.username() + ":" + in.password()).toCharArray();
        String digest = VerifiedCredentials.sha256(both);
        Arrays.fill(both, '\0');
        long wait = throttle.retryAfterSeconds(in.username(), address, digest);
        if (wait > 0) {
            throw throttle.tooMany(wait);
        }
        char[] password = in.password().toCharArray();
        Optional<User> user;
        try {
            user = users.authenticate(in.username(), password);
        } finally {
            Arrays.fill(password, '\0');
        }
        if (user.isPresent()) {
            throttle.succeeded(in.username(), address, digest);
        } else {
            throttle.failed(in.username(), address);
            LOG.info("login failed from {}", address);
            throw new ApiException(401, "unauthorized", "Unauthorized", "user name or password not accepted", null);
        }
        SessionStore.Session session = sessions.create(user.get());
        LOG.info("login user={} from {}", user.get().name(), address);
        return new Reply(200, new Me(user.get().name(), ApiModel.lower(user.get().role()), session.csrfToken),
                Map.of("Set-Cookie", SessionStore.setCookie(session.id, request.secure(), sessions.absolute())));
    }

    private Object logout(ApiRequest request) {
        SessionStore.Session session = request.session();
        if (session != null) {
            sessions.invalidate(session);
            LOG.info("logout user={}", session.user.name());
        }
        return new Reply(204, null, Map.of("Set-Cookie", SessionStore.clearCookie(request.secure())));
    }

    private Object me(ApiRequest request) {
        User u = request.user();
        SessionStore.Session s = request.session();
        return new Me(u.name(), ApiModel.lower(u.role()), s == null ? null : s.csrfToken);
    }
}
