package gateway.core.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * {@link #SETTLE_LIMIT_MILLIS} (a bundle that cannot resolve, components that never register) does not hold the
 * gateway back: readiness is declared and the bundle's state is for {@code /api/bundles} to report.
 *
 * <p>A bundle seen STARTING (its activator running) for more than {@link #STARTING_LIMIT_MILLIS} no longer holds
 * readiness once every other jar has settled: a driver's activator takes milliseconds (DS activates components
 * after STARTED), so one that runs for seconds hangs, and {@link DeployFolderStarter} keeps it from holding up the
 * other drivers. {@code /api/bundles} reports it as "starting". A bundle an admin stopped ({@link AdminStops}) is
 * not waited for.
 */
@Component(immediate = true)
public final class DeployFolderReadiness implements GatewayReadiness {

    static final long SETTLE_LIMIT_MILLIS = 60_000;
    static final long STARTING_LIMIT_MILLIS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(DeployFolderReadiness.class);

    private final BundleContext context;
    private final AdminStops adminStops;
    private final List<Path> initialJars;
    private final long startNanos = System.nanoTime();
    /** When each jar's bundle was first seen in state STARTING. */
    private final Map<Path, Long> startingSinceNanos = new ConcurrentHashMap<>();
    private volatile boolean ready;

    @Activate
    public DeployFolderReadiness(BundleContext context) {
        this.context = context;
        this.adminStops = new AdminStops(context);
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
        long now = System.nanoTime();
        List<String> waiting = new ArrayList<>();
        List<String> hanging = new ArrayList<>();
        var stoppedByAdmin = adminStops.locations();
        int keptStopped = 0;
        for (Path jar : initialJars) {
            if (!Files.exists(jar)) {
                continue;
            }
            Bundle b = bundleOf(jar);
            if (settled(b)) {
                continue;
            }
            if (b != null && stoppedByAdmin.contains(b.getLocation())) {
                keptStopped++; // an admin's stop outlives a restart: nothing to wait for
                continue;
            }
            String name = "deploy/" + jar.getFileName();
            if (b != null && b.getState() == Bundle.STARTING) {
                long since = startingSinceNanos.computeIfAbsent(jar, j -> now);
                (now - since > STARTING_LIMIT_MILLIS * 1_000_000 ? hanging : waiting).add(name);
            } else {
                startingSinceNanos.remove(jar);
                waiting.add(name);
            }
        }
        long elapsed = (now - startNanos) / 1_000_000;
        if (waiting.isEmpty() && hanging.isEmpty()) {
            ready = true;
            LOG.info("ready: the {} bundles found in deploy/ at start are active ({} ms){}",
                    initialJars.size() - keptStopped, elapsed,
                    keptStopped == 0 ? "" : "; " + keptStopped + " stay stopped as an admin left them");
        } else if (waiting.isEmpty()) {
            ready = true;
            LOG.warn("ready after {} ms while the activator of {} has run for more than {} s: see /api/bundles",
                    elapsed, hanging, STARTING_LIMIT_MILLIS / 1000);
        } else if (elapsed > SETTLE_LIMIT_MILLIS) {
            ready = true;
            LOG.warn("ready without {} after {} s: see /api/bundles for their state", waiting, elapsed / 1000);
        }
        if (!ready) {
            waiting.addAll(hanging);
        }
        return new Status(ready, ready ? List.of() : waiting);
    }

    private Bundle bundleOf(Path jar) {
        for (Bundle b : context.getBundles()) {
            if (jar.equals(DeployFolder.fileOf(b))) {
                return b;
            }
        }
        return null;
    }

    /** Installed, active, and (when it declares components) with its services registered. */
    private static boolean settled(Bundle b) {
        if (b == null) {
            return false;
        }
        boolean hasComponents = b.getHeaders().get("Service-Component") != null;
        return b.getState() == Bundle.ACTIVE
                && (!hasComponents || (b.getRegisteredServices() != null && b.getRegisteredServices().length > 0));
    }
}
