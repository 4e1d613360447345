package gateway.core.runtime.internal.blocking;

import java.util.concurrent.CountDownLatch;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * A third-party activator that blocks until the test counts down the latch it left in the system properties (an
 * object there is shared across the bundle's class loader). Packed into a jar of its own by DeployFolderStarterTest.
 */
public final class BlockingActivator implements BundleActivator {

    public static final String LATCH = "gateway.test.blocking.latch";

    @Override
    public void start(BundleContext context) throws InterruptedException {
        ((CountDownLatch) System.getProperties().get(LATCH)).await();
    }

    @Override
    public void stop(BundleContext context) {
    }
}
