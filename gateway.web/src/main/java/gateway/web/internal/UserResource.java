package gateway.web.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.UserStore;
import gateway.core.api.UserStore.Role;
import gateway.core.api.UserStore.User;

/** {@code /users} (admin): accounts and their roles. Passwords go in, never out. */
final class UserResource {

    private static final Logger LOG = LoggerFactory.getLogger(UserResource.class);

    record UserView(String name, String role) {
        static UserView of(User u) {
            return new UserView(u.name(), ApiModel.lower(u.role()));
        }
    }

    record UserInput(String name, String password, String role) {
    }

    record UserUpdate(String role, String password) {
    }

    private final UserStore users;
    private final SessionStore sessions;
    /** Clears the verified-credential caches (Basic, tokens) so a change takes effect at once. */
    private final Runnable credentialsChanged;

    UserResource(UserStore users, SessionStore sessions, Runnable credentialsChanged) {
        this.users = users;
        this.sessions = sessions;
        this.credentialsChanged = credentialsChanged;
    }

    void register(Router router) {
        router.add("GET", "/users", Role.ADMIN, "List users and roles", r -> users.users().stream()
                        .map(UserView::of).toList())
                .add("POST", "/users", Role.ADMIN, "Create a user ({\"name\",\"password\",\"role\"})", this::create)
                .add("PUT", "/users/{name}", Role.ADMIN, "Change a user's role and/or password", this::update)
                .add("DELETE", "/users/{name}", Role.ADMIN, "Delete a user (not the last admin)", this::delete);
    }

    static Role role(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Role.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("unknown role '" + text + "'", List.of("role: one of viewer, operator, admin"));
        }
    }

    private Object create(ApiRequest request) throws Exception {
        UserInput in = request.body(UserInput.class);
        if (in.role() == null) {
            throw ApiException.invalid("role is required", List.of("role: one of viewer, operator, admin"));
        }
        Role role = role(in.role());
        char[] password = in.password() == null ? null : in.password().toCharArray();
        try {
            User created = users.create(in.name(), password, role);
            LOG.info("user created name={} role={} by={}", created.name(), created.role(), request.actor());
            return Reply.created(ApiServlet.MOUNT + "/users/" + created.name(), UserView.of(created));
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private Object update(ApiRequest request) throws Exception {
        String name = request.param("name");
        UserUpdate in = request.body(UserUpdate.class);
        if (in.role() == null && in.password() == null) {
            throw ApiException.badRequest("nothing to change; give role and/or password");
        }
        Role role = role(in.role());
        char[] password = in.password() == null ? null : in.password().toCharArray();
        try {
            User updated = users.update(name, role, password)
                    .orElseThrow(() -> ApiException.notFound("no user '" + name + "'"));
            // a changed role or password must not live on in an open browser session
            sessions.invalidateUser(name);
            credentialsChanged.run();
            LOG.info("user updated name={} role={} password_changed={} by={}", name, updated.role(),
                    password != null, request.actor());
            return UserView.of(updated);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private Object delete(ApiRequest request) throws InvalidConfigurationException {
        String name = request.param("name");
        if (!users.delete(name)) {
            throw ApiException.notFound("no user '" + name + "'");
        }
        sessions.invalidateUser(name);
        credentialsChanged.run();
        LOG.info("user deleted name={} by={}", name, request.actor());
        return Reply.noContent();
    }
}
