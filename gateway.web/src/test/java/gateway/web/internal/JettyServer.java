package gateway.web.internal;

import java.net.URI;
import java.util.EnumSet;
import java.util.Map;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;

/**
 * The API as deployed, on a real Jetty 12 on 127.0.0.1: the {@link SecurityFilter} on {@code /*} in front of the
 * {@link ApiServlet} on {@code /api/*}, with the servlet's multipart configuration, as the Felix whiteboard registers
 * them from the components' properties.
 */
final class JettyServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;

    JettyServer(SecurityFilter security, ApiServlet api) throws Exception {
        this(security, Map.of(ApiServlet.MOUNT + "/*", api));
    }

    /** The filter in front of servlets by pattern; the API servlet gets its multipart configuration. */
    JettyServer(SecurityFilter security, Map<String, ? extends Servlet> servlets) throws Exception {
        this(security, servlets, ApiServlet.multipartConfig());
    }

    /** As deployed, but with the API servlet's multipart limits replaced (to reach the container's ceiling). */
    JettyServer(SecurityFilter security, Map<String, ? extends Servlet> servlets, MultipartConfigElement multipart)
            throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        if (security != null) { // null: a misconfigured deployment without the filter
            context.addFilter(new FilterHolder(security), "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        servlets.forEach((pattern, servlet) -> {
            ServletHolder holder = new ServletHolder(servlet);
            if (servlet instanceof ApiServlet) {
                holder.getRegistration().setMultipartConfig(multipart);
            }
            context.addServlet(holder, pattern);
        });
        server.setHandler(context);
        server.start();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + pathAndQuery);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
