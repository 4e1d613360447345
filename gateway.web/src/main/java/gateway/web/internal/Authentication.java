package gateway.web.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import gateway.core.api.UserStore;
import gateway.core.api.UserStore.User;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Who a request is: bearer token, Basic, or the session cookie, in that order. It holds the state every way in
 * shares: the one {@link VerifiedCredentials} cache (Basic and tokens), the browser {@link SessionStore} and the
 * {@link LoginThrottle}. Used by the {@link SecurityFilter} in front of the API, by the login resources and by the
 * system console's {@link ConsoleSecurityProvider}.
 */
final class Authentication {

    final SessionStore sessions;
    final LoginThrottle throttle;
    private final VerifiedCredentials verified;
    private final BasicAuthenticator basic;
    private final TokenAuthenticator tokens;

    /** Who a request is: the user, and the browser session when it came by cookie (then CSRF applies). */
    record Authenticated(User user, SessionStore.Session session) {
    }

    Authentication(UserStore users, Clock clock) {
        this.verified = new VerifiedCredentials(clock);
        this.basic = new BasicAuthenticator(users, verified);
        this.tokens = new TokenAuthenticator(users, verified);
        this.sessions = new SessionStore(users, clock, Duration.ofMinutes(30), Duration.ofHours(12));
        this.throttle = new LoginThrottle(clock, 5);
    }

    void configure(WebConfig config) {
        sessions.configure(Duration.ofMinutes(config.session_idle_minutes()),
                Duration.ofHours(config.session_absolute_hours()));
        throttle.configure(config.login_failures_per_minute());
    }

    /**
     * The caller, or an {@link ApiException} (401, or 429 while the user is throttled from this address). Failed
     * password checks count towards the {@link LoginThrottle}, Basic included, so Basic is no way around it.
     */
    Authenticated authenticate(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        String address = request.getRemoteAddr() == null ? "unknown" : request.getRemoteAddr();
        if (authorization != null) {
            String header = authorization.trim();
            if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                Optional<User> user = tokens.authenticate(header.substring(7).trim());
                if (user.isEmpty()) {
                    throw unauthorized("token not accepted (unknown or revoked)")
                            .header("WWW-Authenticate", "Bearer realm=\"" + BasicAuthenticator.REALM + "\"");
                }
                return new Authenticated(user.get(), null);
            }
            Optional<User> user = basic.authenticate(authorization, throttle, address);
            if (user.isEmpty()) {
                throw challenge(request, unauthorized("user name or password not accepted"));
            }
            return new Authenticated(user.get(), null);
        }
        String sessionId = SessionStore.cookie(request.getHeader("Cookie"), SessionStore.COOKIE);
        if (sessionId != null) {
            Optional<SessionStore.Session> session = sessions.find(sessionId);
            if (session.isPresent()) {
                return new Authenticated(session.get().user, session.get());
            }
            throw unauthorized("session expired or logged out; log in again");
        }
        throw challenge(request, unauthorized("authentication required"));
    }

    /** A token was revoked or a user changed: no cached credential may outlive that. */
    void forgetVerifiedCredentials() {
        verified.forget();
    }

    static ApiException unauthorized(String detail) {
        return new ApiException(401, "unauthorized", "Unauthorized", detail, null);
    }

    /**
     * The Basic challenge, except for scripts in a browser (fetch sends Sec-Fetch-Mode other than navigate): a
     * challenge there would pop up the browser's own password dialog over the console's login page.
     */
    private static ApiException challenge(HttpServletRequest request, ApiException e) {
        String mode = request.getHeader("Sec-Fetch-Mode");
        boolean browserScript = (mode != null && !mode.equalsIgnoreCase("navigate"))
                || request.getHeader("X-Requested-With") != null;
        return browserScript ? e : e.header("WWW-Authenticate", BasicAuthenticator.CHALLENGE);
    }
}
