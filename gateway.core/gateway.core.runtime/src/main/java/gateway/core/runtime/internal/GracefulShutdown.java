package gateway.core.runtime.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the OSGi framework when the JVM is asked to end (SIGTERM, Ctrl-C). The launcher does not do this, and
 * without it no component is deactivated: buffered history is lost, sessions and sockets are not closed and the
 * database is not shut down cleanly.
 */
@Component(immediate = true)
public class GracefulShutdown {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);
    static final long STOP_TIMEOUT_MILLIS = 20_000;

    private final Thread hook;

    @Activate
    public GracefulShutdown(BundleContext context) {
        Bundle system = context.getBundle(0);
        this.hook = new Thread(() -> stop(system), "gateway-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private static void stop(Bundle system) {
        LOG.info("shutdown requested: stopping the framework");
        try {
            system.stop();
            if (system instanceof Framework framework) {
                framework.waitForStop(STOP_TIMEOUT_MILLIS);
            }
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("framework did not stop cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Deactivate
    void deactivate() {
        if (Thread.currentThread() == hook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running (or about to): it is what is stopping us
        }
    }
}
