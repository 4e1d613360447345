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

/**
 * {@code /users/me/…}: what every user may do to their own account. Changing one's password needs the current one,
 * so a browser left signed in cannot be used to take the account over.
 */
final class AccountResource {

    private static final Logger LOG = LoggerFactory.getLogger(AccountResource.class);

    /** The store's own floor (H2UserStore.MIN_PASSWORD_LENGTH); checked here too, to name the field. */
    static final int MIN_PASSWORD_LENGTH = 8;

    record PasswordChangeInput(String currentPassword, String newPassword) {
    }

    private final UserStore users;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    /** Clears the verified-credential caches (Basic, tokens) so the old password stops working at once. */
    private final Runnable credentialsChanged;

    AccountResource(UserStore users, SessionStore sessions, LoginThrottle throttle, Runnable credentialsChanged) {
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.credentialsChanged = credentialsChanged;
    }

    void register(Router router) {
        router.add("PUT", "/users/me/password", Role.VIEWER, "Change one's own password ({\"current_password\","
                + " \"new_password\"}); the user's other browser sessions end, API tokens stay", this::changePassword);
    }

    private Object changePassword(ApiRequest request) throws Exception {
        PasswordChangeInput in = request.body(PasswordChangeInput.class);
        String name = request.user().name();
        if (in.currentPassword() == null || in.currentPassword().isEmpty()) {
            throw field("current_password", "the current password is required", "current_password: required");
        }
        if (in.newPassword() == null) {
            throw field("new_password", "a new password is required", "new_password: required");
        }
        // a wrong current password is a guess like a failed login: it counts against the same throttle
        String address = request.remoteAddress();
        long wait = throttle.retryAfterSeconds(name, address, null);
        if (wait > 0) {
            throw throttle.tooMany(wait);
        }
        char[] current = in.currentPassword().toCharArray();
        char[] next = in.newPassword().toCharArray();
        try {
            if (users.authenticate(name, current).isEmpty()) {
                throttle.failed(name, address);
                LOG.info("password change refused (wrong current password) user={} from {}", name, address);
                throw field("current_password", "the current password is not correct",
                        "current_password: not correct");
            }
            String weak = weakness(name, in.currentPassword(), in.newPassword());
            if (weak != null) {
                throw field("new_password", "the new password is too weak", "new_password: " + weak);
            }
            User updated;
            try {
                updated = users.update(name, null, next)
                        .orElseThrow(() -> ApiException.notFound("no user '" + name + "'"));
            } catch (InvalidConfigurationException e) {
                throw field("new_password", "the new password is not accepted", "new_password: "
                        + String.join("; ", e.problems()));
            }
            // whoever else holds a session of this user (a forgotten browser, a thief) is signed out; the browser that
            // made the change stays signed in. API tokens are credentials of their own and are revoked one by one.
            sessions.invalidateUserExcept(updated.name(), request.session());
            credentialsChanged.run();
            LOG.info("password changed by its owner user={} from {}", name, address);
            return Reply.noContent();
        } finally {
            Arrays.fill(current, '\0');
            Arrays.fill(next, '\0');
        }
    }

    /** Why {@code candidate} is too weak, or null. */
    static String weakness(String user, String current, String candidate) {
        if (candidate.length() < MIN_PASSWORD_LENGTH) {
            return "at least " + MIN_PASSWORD_LENGTH + " characters";
        }
        if (candidate.equals(current)) {
            return "must differ from the current password";
        }
        if (candidate.toLowerCase(Locale.ROOT).equals(user.toLowerCase(Locale.ROOT))) {
            return "must not be the user name";
        }
        if (candidate.chars().distinct().count() < 3) {
            return "needs more than one or two different characters";
        }
        return null;
    }

    private static ApiException field(String field, String detail, String error) {
        return ApiException.invalid(detail, List.of(error)).with("field", field);
    }
}
