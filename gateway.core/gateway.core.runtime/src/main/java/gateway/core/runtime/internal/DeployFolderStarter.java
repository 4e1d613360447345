package gateway.core.runtime.internal;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the bundles installed from {@code deploy/}, each on a thread of its own, so an activator that blocks (a
 * third-party bug) holds up no other driver (issue 14). File Install only installs them
 * ({@code felix.fileinstall.bundles.new.start=false} in app.bndrun): left to itself it starts new bundles one after
 * the other on its single watcher thread.
 *
 * <p>The starts are transient ({@link Bundle#START_TRANSIENT}). A persistent start from here would fix the first
 * launch only: at every later launch the framework starts persistently started bundles one after the other on its
 * start-level thread, and a hanging one holds up the rest again. So the deploy folder, not the framework cache, says
 * what runs, and each launch starts every bundle found there again.
 *
 * <p>Nothing starts before the framework has finished its own start (system bundle ACTIVE, at its beginning level 9,
 * above File Install's level 6): File Install sets a bundle's start level just after installing it, and a bundle
 * started earlier at the default level would be stopped again by the framework once its level is above the active
 * one, or, with its activator blocking, hold the start-level thread on the bundle's lock. A bundle above the active
 * level waits too (its transient start would fail); the framework's STARTED and STARTLEVEL_CHANGED events release
 * the waiting ones. A bundle that does not resolve waits and is tried again when another bundle is installed,
 * updated or resolved, as File Install retried it before.
 *
 * <p>A bundle File Install installs or updates while the gateway runs is started after File Install's refresh
 * (it refreshes every bundle it installed, updated or uninstalled, and waits for the framework's
 * PACKAGES_REFRESHED). Started at once, it would be stopped and started again by that refresh: its devices would
 * connect, drop the connection and connect again. Should no refresh come, it starts after {@link #SETTLE_MILLIS}.
 *
 * <p>Left to the framework: an update of an active bundle (File Install's update, the API's PUT) stops and restarts
 * it transiently by itself, and a refresh after an uninstall or update restarts the dependants that were active.
 *
 * <p>A deploy bundle an admin stopped (through the API or the Web Console) stays stopped, also at later launches,
 * until it is started again or its jar changes: {@link AdminStops} records every stop of a deploy bundle while the
 * framework runs (not those of a shutdown), before the stop returns, and forgets it when the bundle starts, is
 * unresolved (a refresh's or an update's stop), updated or uninstalled.
 *
 * <p>Persistent starts from earlier versions (and from the API) are cleared at activation, at level 5 before the
 * framework reaches level 6, so a cache written by File Install's own starts does not start deploy bundles serially.
 */
@Component(immediate = true, service = {}) // the listeners are added by hand: no whiteboard for them
public final class DeployFolderStarter implements BundleListener, FrameworkListener {

    private static final Logger LOG = LoggerFactory.getLogger(DeployFolderStarter.class);
    /** How long a hot-installed bundle waits for File Install's refresh before it is started anyway. */
    static final long SETTLE_MILLIS = 5_000;

    private final BundleContext context;
    private final DeployFolder folder;
    private final Bundle system;
    private final FrameworkStartLevel framework;
    /** Deploy bundles to start once the framework reaches their start level or they may resolve. */
    private final Set<Long> waiting = ConcurrentHashMap.newKeySet();
    /** Bundles with a start thread running; one blocked activator keeps only its own thread. */
    private final Set<Long> starting = ConcurrentHashMap.newKeySet();
    /** Bundles already reported as not resolving, so the retries do not repeat the warning. */
    private final Set<Long> reportedUnresolved = ConcurrentHashMap.newKeySet();
    /** Bundles installed or updated while the framework runs, waiting for the refresh that follows. */
    private final Set<Long> settling = ConcurrentHashMap.newKeySet();
    private final long settleMillis;
    private final AdminStops adminStops;
    /** Synchronous, so a stop is on disk before {@code Bundle.stop()} returns to the API. */
    private final SynchronousBundleListener stopRecorder = this::recordStopsAndStarts;
    private volatile boolean closed;

    @Activate
    public DeployFolderStarter(BundleContext context) {
        this(context, SETTLE_MILLIS);
    }

    DeployFolderStarter(BundleContext context, long settleMillis) {
        this.context = context;
        this.settleMillis = settleMillis;
        this.folder = DeployFolder.of(context);
        this.system = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        this.framework = system.adapt(FrameworkStartLevel.class);
        this.adminStops = new AdminStops(context);
        if (folder == null) {
            return;
        }
        // listeners first: a level change during the scan below then still releases what the scan made wait
        context.addFrameworkListener(this);
        context.addBundleListener(this);
        context.addBundleListener(stopRecorder);
        var stoppedByAdmin = adminStops.locations();
        for (Bundle b : context.getBundles()) {
            if (folder.holds(b)) {
                clearPersistentStart(b);
                if (stoppedByAdmin.contains(b.getLocation())) {
                    LOG.info("deploy bundle {} ({}) stays stopped: an admin stopped it", b.getBundleId(),
                            b.getSymbolicName());
                } else {
                    request(b);
                }
            }
        }
    }

    @Deactivate
    void deactivate() {
        closed = true;
        try {
            context.removeBundleListener(this);
            context.removeBundleListener(stopRecorder);
            context.removeFrameworkListener(this);
        } catch (IllegalStateException stopping) {
            // the framework removes them with our bundle
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle b = event.getBundle();
        switch (event.getType()) {
            case BundleEvent.INSTALLED, BundleEvent.UPDATED -> {
                if (folder.holds(b)) {
                    if (system.getState() == Bundle.ACTIVE) {
                        settle(b);
                    } else {
                        request(b); // at launch: waits for the framework's STARTED anyway
                    }
                }
                retryWaiting();
            }
            case BundleEvent.RESOLVED -> retryWaiting();
            case BundleEvent.UNINSTALLED -> {
                settling.remove(b.getBundleId());
                waiting.remove(b.getBundleId());
                reportedUnresolved.remove(b.getBundleId());
            }
            default -> {
                // stops are an admin's or the framework's business
            }
        }
    }

    private void recordStopsAndStarts(BundleEvent event) {
        Bundle b = event.getBundle();
        if (closed || !folder.holds(b)) {
            return;
        }
        switch (event.getType()) {
            case BundleEvent.STOPPED -> {
                // a shutdown stops everything with the system bundle STOPPING: that is no admin's choice
                if (system.getState() == Bundle.ACTIVE) {
                    adminStops.add(b.getLocation());
                }
            }
            // UNRESOLVED: stopped by a refresh or an update (which unresolve it), not by an admin, even when the
            // framework then fails to start it again
            case BundleEvent.STARTED, BundleEvent.UNRESOLVED, BundleEvent.INSTALLED, BundleEvent.UPDATED,
                    BundleEvent.UNINSTALLED -> adminStops.remove(b.getLocation());
            default -> {
            }
        }
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        switch (event.getType()) {
            case FrameworkEvent.PACKAGES_REFRESHED -> {
                for (Long id : settling) {
                    release(id);
                }
                retryWaiting();
            }
            case FrameworkEvent.STARTED, FrameworkEvent.STARTLEVEL_CHANGED -> retryWaiting();
            default -> {
            }
        }
    }

    /** Holds a hot-installed bundle until the refresh that follows its install, or the settle time. */
    private void settle(Bundle b) {
        long id = b.getBundleId();
        if (settling.add(id)) {
            CompletableFuture.delayedExecutor(settleMillis, TimeUnit.MILLISECONDS).execute(() -> release(id));
        }
    }

    private void release(long id) {
        if (settling.remove(id) && !closed) {
            try {
                Bundle b = context.getBundle(id);
                if (b != null) {
                    request(b);
                }
            } catch (IllegalStateException stopping) {
                // our bundle is going: nothing to start
            }
        }
    }

    private void retryWaiting() {
        for (Long id : waiting) {
            Bundle b = context.getBundle(id);
            if (b == null) {
                waiting.remove(id);
            } else {
                request(b);
            }
        }
    }

    /** Starts the bundle on a thread of its own now, or makes it wait for its start level. */
    private void request(Bundle b) {
        if (closed || isFragment(b) || activeOrGone(b)) {
            return;
        }
        long id = b.getBundleId();
        waiting.add(id);
        if (system.getState() != Bundle.ACTIVE || levelOf(b) > framework.getStartLevel()) {
            return;
        }
        if (waiting.remove(id) && starting.add(id)) {
            Thread t = new Thread(() -> start(b), "deploy-start " + b.getSymbolicName() + " [" + id + "]");
            t.setDaemon(true);
            t.start();
        }
    }

    private void start(Bundle b) {
        long id = b.getBundleId();
        try {
            if (activeOrGone(b)) {
                return;
            }
            b.start(Bundle.START_TRANSIENT);
            reportedUnresolved.remove(id);
            LOG.info("deploy bundle {} ({} {}) started", id, b.getSymbolicName(), b.getVersion());
        } catch (BundleException e) {
            if (e.getType() == BundleException.START_TRANSIENT_ERROR) {
                waiting.add(id); // the level went down meanwhile (a shutdown)
            } else if (b.getState() == Bundle.INSTALLED) {
                waiting.add(id);
                if (reportedUnresolved.add(id)) {
                    LOG.warn("deploy bundle {} ({}) does not resolve; tried again when bundles change: {}", id,
                            b.getSymbolicName(), e.getMessage());
                }
            } else {
                LOG.warn("deploy bundle {} ({}) failed to start: {}", id, b.getSymbolicName(), e.getMessage(), e);
            }
        } catch (IllegalStateException uninstalled) {
            waiting.remove(id);
        } finally {
            starting.remove(id);
        }
    }

    /**
     * A bundle File Install or the API started persistently would be started by the framework on its start-level
     * thread, one after the other; clearing the flag of one not yet started leaves it to this class.
     */
    private void clearPersistentStart(Bundle b) {
        int state = b.getState();
        if ((state == Bundle.INSTALLED || state == Bundle.RESOLVED) && !isFragment(b)
                && b.adapt(BundleStartLevel.class).isPersistentlyStarted()) {
            try {
                b.stop();
            } catch (BundleException | IllegalStateException e) {
                LOG.warn("deploy bundle {} ({}): cannot clear its persistent start: {}", b.getBundleId(),
                        b.getSymbolicName(), e.getMessage());
            }
        }
    }

    private static boolean activeOrGone(Bundle b) {
        int state = b.getState();
        return state == Bundle.ACTIVE || state == Bundle.STARTING || state == Bundle.UNINSTALLED;
    }

    private static boolean isFragment(Bundle b) {
        try {
            return b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
        } catch (IllegalStateException uninstalled) {
            return true;
        }
    }

    private static int levelOf(Bundle b) {
        BundleStartLevel level = b.adapt(BundleStartLevel.class);
        return level == null ? Integer.MAX_VALUE : level.getStartLevel();
    }
}
