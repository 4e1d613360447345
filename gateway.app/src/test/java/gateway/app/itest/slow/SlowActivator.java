package gateway.app.itest.slow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The activator of a misbehaving third-party bundle: its start blocks until a file named like its jar with the
 * suffix {@code .release} appears beside the deploy folder (not in it: File Install would take it for a bundle) (at most ten minutes). Packed into a jar of its own by
 * {@code SlowBundleReadinessTest}; never started inside the test framework.
 */
public final class SlowActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) throws Exception {
        Path jar = Path.of(URI.create(context.getBundle().getLocation()));
        Path release = jar.getParent().resolveSibling(jar.getFileName() + ".release");
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (!Files.exists(release) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Override
    public void stop(BundleContext context) {
    }
}
