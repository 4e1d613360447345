package gateway.app.launch;

import java.util.Collection;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.hooks.bundle.EventHook;
import org.osgi.framework.hooks.bundle.FindHook;

/**
 * Keeps SPI Fly from weaving the Jetty bundle. The Felix Jetty bundle declares itself a ServiceLoader consumer, so
 * SPI Fly's weaving hook reads and rewrites each of its ~700 classes with ASM as they load, although Jetty gains
 * nothing from it here: its only lookups are HTTP field pre-encoders, where it falls back to its own HTTP/1 ones, and
 * ALPN, which needs TLS. Measured for #14: -0.3 s of start-up CPU, -45 MB of garbage, -4 MB RSS. SPI Fly still serves
 * SLF4J and Jakarta Mail.
 * <p>
 * SPI Fly finds consumers with a bundle tracker, so the bundle hooks hide Jetty from SPI Fly's bundle context only.
 * The bnd launcher starts this class on the system bundle once the framework is initialised, before any bundle
 * starts ({@code launch.activators}, set by the build).
 */
public final class JettyUnwoven implements BundleActivator {

    /** Read by the bnd launcher: true = start right after the framework's init. */
    public static final boolean IMMEDIATE = true;

    static final String SPI_FLY = "org.apache.aries.spifly.dynamic.bundle";
    static final String JETTY = "org.apache.felix.http.jetty12";

    @Override
    public void start(BundleContext system) {
        system.registerService(new String[] {FindHook.class.getName(), EventHook.class.getName()}, new Hook(), null);
    }

    @Override
    public void stop(BundleContext system) {
        // the registration ends with the framework
    }

    /** Both hooks act only for SPI Fly's bundle context and only on the Jetty bundle. */
    static final class Hook implements FindHook, EventHook {

        @Override
        public void find(BundleContext context, Collection<Bundle> bundles) {
            if (isSpiFly(context)) {
                bundles.removeIf(b -> JETTY.equals(b.getSymbolicName()));
            }
        }

        @Override
        public void event(BundleEvent event, Collection<BundleContext> contexts) {
            if (JETTY.equals(event.getBundle().getSymbolicName())) {
                contexts.removeIf(Hook::isSpiFly);
            }
        }

        private static boolean isSpiFly(BundleContext context) {
            try {
                return SPI_FLY.equals(context.getBundle().getSymbolicName());
            } catch (IllegalStateException stopped) {
                return false;
            }
        }
    }
}
