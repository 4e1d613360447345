package gateway.web.internal;

import java.io.IOException;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardResource;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The admin console: static files from this bundle's {@code /console} folder (plus the uPlot file bnd copies from its
 * webjar into {@code /console/vendor}), served by the whiteboard's resource servlet. This filter adds the security and
 * cache headers and sends {@code /console} to {@code /console/}; {@link ConsoleRedirect} sends {@code /} there.
 */
@Component(service = Filter.class)
@HttpWhiteboardResource(pattern = ConsoleResources.MOUNT + "/*", prefix = "/console")
@HttpWhiteboardFilterPattern(ConsoleResources.MOUNT + "/*")
@RequireHttpWhiteboard
public class ConsoleResources implements Filter {

    static final String MOUNT = "/console";

    /** Everything from our own origin, nothing inline: the console has no inline script or style at all. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        if (path.equals("/") && !request.getRequestURI().endsWith("/")) {
            response.sendRedirect(MOUNT + "/");
            return;
        }
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Cache-Control", cacheControl(path));
        String type = contentType(path.equals("/") ? "/index.html" : path);
        if (type != null) {
            // the resource servlet asks the container's mime table, which differs between Jetty versions
            response = new FixedContentType(response, type);
        }
        // the resource servlet serves files only; the folder itself means its index page
        chain.doFilter(path.equals("/") ? new IndexRequest(request) : request, response);
    }

    private static final class IndexRequest extends jakarta.servlet.http.HttpServletRequestWrapper {
        IndexRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getPathInfo() {
            return "/index.html";
        }

        @Override
        public String getRequestURI() {
            return MOUNT + "/index.html";
        }
    }

    /** Vendor files carry their version in the path, so they never change; our own files are revalidated. */
    static String cacheControl(String path) {
        return path.startsWith("/vendor/") ? "public, max-age=31536000, immutable" : "no-cache";
    }

    static String contentType(String path) {
        String p = path.endsWith("/") ? path + "index.html" : path;
        int dot = p.lastIndexOf('.');
        String ext = dot < 0 ? "" : p.substring(dot + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "json" -> "application/json";
            case "png" -> "image/png";
            default -> null;
        };
    }

    /** Keeps our content type whatever the resource servlet sets later. */
    private static final class FixedContentType extends jakarta.servlet.http.HttpServletResponseWrapper {
        private final String type;

        FixedContentType(HttpServletResponse response, String type) {
            super(response);
            this.type = type;
            response.setContentType(type);
        }

        @Override
        public void setContentType(String ignored) {
            super.setContentType(type);
        }
    }
}
