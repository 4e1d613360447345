package gateway.web.internal;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.MetricsExposition;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /metrics} for Prometheus (or VictoriaMetrics' scraper). Scrapers rarely carry user passwords, so this has its
 * own access rule: a request passes with the configured bearer token, or from an address on the allow-list (default:
 * loopback only). Anything else gets 401 (a token is configured) or 403.
 */
@Component(service = Servlet.class, configurationPid = MetricsServlet.PID)
@Designate(ocd = MetricsServlet.Config.class)
@HttpWhiteboardServletPattern("/metrics")
@RequireHttpWhiteboard
public class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServlet.class);

    static final String PID = "gateway.web.metrics";

    @ObjectClassDefinition(name = "Metrics endpoint", description = "Who may read /metrics")
    public @interface Config {
        @AttributeDefinition(name = "Bearer token", type = AttributeType.PASSWORD,
                description = "Scrapers sending Authorization: Bearer <token> are let in from any address; empty = "
                        + "no token")
        String bearer_token() default "";

        @AttributeDefinition(name = "Allowed addresses",
                description = "Addresses or CIDR ranges (127.0.0.1, ::1, 10.0.0.0/8) let in without a token; * = any")
        String[] allowed_addresses() default { "127.0.0.1", "::1" };
    }

    private final transient MetricsExposition exposition;
    private volatile byte[] token;
    private volatile List<Cidr> allowed = List.of();
    private volatile boolean anyAddress;

    @Activate
    public MetricsServlet(@Reference MetricsExposition exposition, Config config) {
        this.exposition = exposition;
        modified(config);
    }

    @Modified
    void modified(Config config) {
        configure(config.bearer_token(), config.allowed_addresses());
    }

    void configure(String bearerToken, String[] addresses) {
        token = bearerToken == null || bearerToken.isBlank() ? null
                : bearerToken.trim().getBytes(StandardCharsets.UTF_8);
        List<Cidr> list = new ArrayList<>();
        boolean any = false;
        for (String a : addresses == null ? new String[0] : addresses) {
            for (String part : a.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                if (p.equals("*")) {
                    any = true;
                    continue;
                }
                try {
                    list.add(Cidr.parse(p));
                } catch (IllegalArgumentException e) {
                    LOG.warn("/metrics: ignoring allowed address '{}': {}", p, e.getMessage());
                }
            }
        }
        allowed = List.copyOf(list);
        anyAddress = any;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if (!permitted(request)) {
            boolean tokenConfigured = token != null;
            response.setStatus(tokenConfigured ? 401 : 403);
            if (tokenConfigured) {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
            }
            response.setContentType("text/plain; charset=utf-8");
            response.getWriter().write(tokenConfigured ? "a valid bearer token is required\n"
                    : "this address may not read /metrics; see gateway.web.metrics allowed_addresses\n");
            return;
        }
        response.setStatus(200);
        response.setContentType(MetricsExposition.CONTENT_TYPE);
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        exposition.write(out);
        out.flush();
    }

    boolean permitted(HttpServletRequest request) {
        byte[] t = token;
        String auth = request.getHeader("Authorization");
        if (t != null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(t, auth.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        if (anyAddress) {
            return true;
        }
        String remote = request.getRemoteAddr();
        if (remote == null) {
            return false;
        }
        for (Cidr c : allowed) {
            if (c.matches(remote)) {
                return true;
            }
        }
        return false;
    }

    /** An address or a range; only literal addresses, never a name to resolve. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            byte[] bytes = literal(host);
            if (bytes == null) {
                throw new IllegalArgumentException("not an IP address");
            }
            int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("prefix out of range");
            }
            return new Cidr(bytes, prefix);
        }

        boolean matches(String address) {
            byte[] a = literal(address);
            if (a == null || a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (a[full] & mask) == (network[full] & mask);
        }

        private static byte[] literal(String host) {
            String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            if (!h.matches("[0-9a-fA-F:.%]+") || !(h.contains(".") || h.contains(":"))) {
                return null; // a name: never resolved
            }
            try {
                return InetAddress.getByName(h).getAddress(); // IPv4-mapped IPv6 comes back as IPv4
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }
}
