package gateway.core.runtime.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.GatewayReadiness;

/**
 * Start-up is done when every jar that lay in {@code deploy/} at start (the drivers) is installed from there and
 * active with its services registered. File Install picks them up a moment after the framework started, so without
 * this a client saw {@code /api/health} 200 and then "no driver installed". A bundle that does not settle within
 * {@link #SETTLE_LIMIT_MILLIS} (a hanging activator, a bundle that cannot resolve) does not hold the gateway back:
 * readiness is declared and the bundle's state is for {@code /api/bundles} to report.
 */
@Component(immediate = true)
public final class DeployFolderReadiness implements GatewayReadiness {

    static final long SETTLE_LIMIT_MILLIS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(DeployFolderReadiness.class);

    private final BundleContext context;
    private final List<Path> initialJars;
    private final long startNanos = System.nanoTime();
    private volatile boolean ready;

    @Activate
    public DeployFolderReadiness(BundleContext context) {
        this.context = context;
        String dir = context.getProperty("felix.fileinstall.dir");
        this.initialJars = dir == null || dir.isBlank() ? List.of() : jars(Path.of(dir.trim()));
        this.ready = initialJars.isEmpty();
    }

    private static List<Path> jars(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .map(p -> p.toAbsolutePath().normalize()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public Status status() {
        if (ready) {
            return new Status(true, List.of());
        }
        List<String> waiting = new ArrayList<>();
        for (Path jar : initialJars) {
            if (Files.exists(jar) && !settled(jar)) {
                waiting.add("deploy/" + jar.getFileName());
            }
        }
        long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
        if (waiting.isEmpty()) {
            ready = true;
            LOG.info("ready: the {} bundles found in deploy/ at start are active ({} ms)", initialJars.size(), elapsed);
        } else if (elapsed > SETTLE_LIMIT_MILLIS) {
            ready = true;
            LOG.warn("ready without {} after {} s: see /api/bundles for their state", waiting, elapsed / 1000);
        }
        return new Status(ready, ready ? List.of() : waiting);
    }

    /** Installed from that file, active, and (when it declares components) with its services registered. */
    private boolean settled(Path jar) {
        for (Bundle b : context.getBundles()) {
            if (jar.equals(fileOf(b))) {
                boolean hasComponents = b.getHeaders().get("Service-Component") != null;
                return b.getState() == Bundle.ACTIVE
                        && (!hasComponents || (b.getRegisteredServices() != null && b.getRegisteredServices().length > 0));
            }
        }
        return false;
    }

    private static Path fileOf(Bundle b) {
        String location = b.getLocation();
        if (location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            return Path.of(URI.create(location)).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
