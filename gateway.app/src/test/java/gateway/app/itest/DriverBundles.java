package gateway.app.itest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * The driver jars gateway.jar carries (folder named by the framework property {@code gateway.itest.bundled}),
 * installed into the test framework as a user drops them into deploy/: the in-framework tests use them for the
 * simulators they offer and to prove hot deployment. IDM is part of the test framework itself.
 */
final class DriverBundles {

    private DriverBundles() {
    }

    static Path jar(BundleContext context, String symbolicName) {
        Path jar = Path.of(context.getProperty("gateway.itest.bundled"), symbolicName + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("driver jar missing: " + jar);
        }
        return jar;
    }

    static Optional<Bundle> installed(BundleContext context, String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst();
    }

    /** Installs (if needed) and starts the driver bundle from its jar; returns it. */
    static Bundle start(BundleContext context, String symbolicName) throws IOException, BundleException {
        Bundle bundle = installed(context, symbolicName).orElse(null);
        if (bundle == null) {
            Path jar = jar(context, symbolicName);
            try (InputStream in = Files.newInputStream(jar)) {
                bundle = context.installBundle(jar.toUri().toString(), in);
            }
        }
        bundle.start();
        return bundle;
    }

    /** Re-reads the bundle from its jar (what replacing the file in deploy/ does). */
    static void update(BundleContext context, Bundle bundle) throws IOException, BundleException {
        try (InputStream in = Files.newInputStream(jar(context, bundle.getSymbolicName()))) {
            bundle.update(in);
        }
    }

    static void uninstall(Bundle bundle) throws BundleException {
        if (bundle != null && bundle.getState() != Bundle.UNINSTALLED) {
            bundle.uninstall();
        }
    }
}
