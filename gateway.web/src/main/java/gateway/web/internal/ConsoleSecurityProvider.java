package gateway.web.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import gateway.core.api.UserStore.Role;
import gateway.core.api.UserStore.User;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Guards the Felix Web Console ({@code /system/console}) with the gateway's own accounts: the same credentials as the
 * REST API (Basic, bearer token or the {@code gw_session} cookie, with the same login throttle) and only the admin
 * role gets in. The console's built-in admin:admin provider stays registered at the lowest ranking and is never asked
 * while this one is present; {@code felix.webconsole.security.providers=gateway} (app.bndrun) keeps the console
 * unregistered until this provider is there, so there is no window in which the default password works.
 */
@Component(service = SecurityProvider.class, property = SecurityProvider.PROPERTY_ID + "=" + ConsoleSecurityProvider.ID)
public class ConsoleSecurityProvider implements SecurityProvider {

    /** The id the console waits for (framework property {@code felix.webconsole.security.providers}). */
    static final String ID = "gateway";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final Authentication authentication;

    @Activate
    public ConsoleSecurityProvider(@Reference(name = "security", service = Filter.class,
            target = "(component.name=gateway.web.internal.SecurityFilter)") Filter security) {
        this(((SecurityFilter) security).authentication());
    }

    ConsoleSecurityProvider(Authentication authentication) {
        this.authentication = authentication;
    }

    /** The admin user, or null after answering 401 (no or wrong credentials), 403 (role, cross-site) or 429. */
    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        User user;
        try {
            user = authentication.authenticate(request).user();
        } catch (ApiException e) {
            refuse(response, e.status(), e);
            return null;
        }
        if (!user.role().atLeast(Role.ADMIN)) {
            refuse(response, 403, new ApiException(403, "forbidden", "Forbidden",
                    "the system console needs the role admin; user '" + user.name() + "' is "
                            + ApiModel.lower(user.role()), null));
            return null;
        }
        // The console's own forms carry no CSRF token, and browsers replay Basic credentials and (same-site) cookies:
        // a state-changing request must come from the console's own origin.
        if (!SAFE_METHODS.contains(request.getMethod().toUpperCase(Locale.ROOT)) && crossOrigin(request)) {
            refuse(response, 403, new ApiException(403, "csrf", "Cross-origin request refused",
                    "the system console accepts changes only from its own pages", null));
            return null;
        }
        return user;
    }

    /** Only admins get past {@link #authenticate}, and an admin may use every console page. */
    @Override
    public boolean authorize(Object user, String role) {
        return user instanceof User u && u.role().atLeast(Role.ADMIN);
    }

    /**
     * Ends a cookie session (the gateway's console shares it) and leads back to the gateway's login; for Basic the
     * response stays uncommitted, so the console answers with its usual 401 that makes a browser forget the password.
     */
    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        String session = SessionStore.cookie(request.getHeader("Cookie"), SessionStore.COOKIE);
        if (session != null && request.getHeader("Authorization") == null) {
            authentication.sessions.invalidate(session);
            response.addHeader("Set-Cookie", SessionStore.clearCookie(request.isSecure()));
            try {
                response.sendRedirect("/");
            } catch (IOException e) {
                // the client went away; the session is gone either way
            }
        }
    }

    /**
     * True when the browser says the request comes from another site: Sec-Fetch-Site when present, else an Origin
     * header whose host and port differ from the Host the request was sent to. Neither header (curl, scripts): not
     * a browser, nothing to forge.
     */
    static boolean crossOrigin(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return !(site.equalsIgnoreCase("same-origin") || site.equalsIgnoreCase("none"));
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        String host = request.getHeader("Host");
        try {
            URI o = URI.create(origin.trim());
            return host == null || o.getRawAuthority() == null || !o.getRawAuthority().equalsIgnoreCase(host.trim());
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static void refuse(HttpServletResponse response, int status, ApiException e) {
        response.setStatus(status);
        e.headers().forEach(response::setHeader);
        if (status == 401 && !e.headers().containsKey("WWW-Authenticate")) {
            // Unlike the REST API, the console has no login page of its own: always offer the browser's dialog.
            response.setHeader("WWW-Authenticate", BasicAuthenticator.CHALLENGE);
        }
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain;charset=utf-8");
        byte[] body = (status + " " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IOException ignored) {
            // the client went away
        }
    }
}
