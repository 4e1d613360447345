package gateway.core.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;

import gateway.core.runtime.internal.blocking.BlockingActivator;

/**
 * The starter in a real Felix framework, with bundles installed from a deploy folder the way File Install installs
 * them (location {@code file:<path>}, File Install's start disabled).
 */
class DeployFolderStarterTest {

    /** A failure bound only: every wait ends as soon as the framework reports the state. */
    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path tmp;

    private Path deploy;
    private Framework framework;
    private BundleContext context;
    private DeployFolderStarter starter;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void startFramework() throws Exception {
        deploy = Files.createDirectories(tmp.resolve("deploy"));
        launch(true);
        System.getProperties().put(BlockingActivator.LATCH, release);
    }

    /** Starts a framework on the test's cache folder, emptied first or kept from the previous launch. */
    private void launch(boolean clean) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("org.osgi.framework.storage", tmp.resolve("cache").toString());
        if (clean) {
            config.put("org.osgi.framework.storage.clean", "onFirstInit");
        }
        config.put("felix.fileinstall.dir", deploy.toString());
        framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(config);
        framework.start();
        context = framework.getBundleContext();
    }

    /** An orderly stop (the bundles stopped with the system bundle STOPPING) and a launch on the same cache. */
    private void relaunch() throws Exception {
        starter.deactivate();
        framework.stop();
        framework.waitForStop(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        launch(false);
        starter = null;
    }

    /** Waits for every start thread of the starter: after it, a bundle it was asked to start is started. */
    private static void joinStartThreads() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("deploy-start ")) {
                t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            }
        }
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(bsn + " not installed");
    }

    @AfterEach
    void stopFramework() throws Exception {
        release.countDown();
        if (starter != null) {
            starter.deactivate();
        }
        framework.stop();
        framework.waitForStop(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        System.getProperties().remove(BlockingActivator.LATCH);
    }

    @Test
    void aBlockingActivatorHoldsUpNoBundleInstalledAfterIt() throws Exception {
        starter = new DeployFolderStarter(context);
        Bundle blocking = install(blockingJar("00-blocking.jar"), 1);
        awaitState(blocking, Bundle.STARTING);
        Bundle driver = install(jar("10-driver.jar", "test.driver", null), 1);

        awaitState(driver, Bundle.ACTIVE);
        assertEquals(Bundle.STARTING, blocking.getState(), "still blocked");
        assertFalse(driver.adapt(BundleStartLevel.class).isPersistentlyStarted(), "started transiently");

        release.countDown();
        awaitState(blocking, Bundle.ACTIVE);
    }

    @Test
    void atActivationStartsWhatIsInstalledOnceTheFrameworkReachesItsLevel() throws Exception {
        Bundle blocking = install(blockingJar("00-blocking.jar"), 3);
        Bundle driver = install(jar("10-driver.jar", "test.driver", null), 3);
        driver.start(); // persistently, as File Install did before: the framework would start it on its own thread
        starter = new DeployFolderStarter(context);
        assertFalse(driver.adapt(BundleStartLevel.class).isPersistentlyStarted(), "left to the starter");
        assertEquals(Bundle.INSTALLED, driver.getState(), "not before level 3");

        setFrameworkLevel(3);
        awaitState(driver, Bundle.ACTIVE);
        awaitState(blocking, Bundle.STARTING);
    }

    @Test
    void aBundleInstalledAboveTheActiveLevelStartsWhenTheFrameworkGetsThere() throws Exception {
        starter = new DeployFolderStarter(context);
        Bundle driver = install(jar("10-driver.jar", "test.driver", null), 2);
        assertEquals(Bundle.INSTALLED, driver.getState());

        setFrameworkLevel(2);
        awaitState(driver, Bundle.ACTIVE);
    }

    @Test
    void aBundleThatDoesNotResolveStartsOnceItsProviderIsInstalled() throws Exception {
        starter = new DeployFolderStarter(context);
        Bundle consumer = install(jar("10-consumer.jar", "test.consumer", "Import-Package: test.provided"), 1);
        Bundle provider = install(jar("20-provider.jar", "test.provider", "Export-Package: test.provided"), 1);

        awaitState(provider, Bundle.ACTIVE);
        awaitState(consumer, Bundle.ACTIVE);
    }

    @Test
    void aBundleAnAdminStoppedStaysStoppedWhileOthersComeAndGo() throws Exception {
        starter = new DeployFolderStarter(context);
        Bundle stopped = install(jar("10-stopped.jar", "test.stopped", null), 1);
        awaitState(stopped, Bundle.ACTIVE);
        stopped.stop();

        Bundle other = install(jar("20-other.jar", "test.other", null), 1);
        awaitState(other, Bundle.ACTIVE);
        other.uninstall();
        Bundle third = install(jar("30-third.jar", "test.third", null), 1);
        awaitState(third, Bundle.ACTIVE);
        assertEquals(Bundle.RESOLVED, stopped.getState());
    }

    @Test
    void aBundleAnAdminStoppedStaysStoppedAtTheNextLaunchUntilStartedAgain() throws Exception {
        Bundle stopped = startTwoAndStopOne();
        Bundle other = bundle("test.other");
        refresh(other); // the framework stops and starts it again: no admin's stop
        awaitState(other, Bundle.ACTIVE);
        assertEquals(Set.of(stopped.getLocation()), new AdminStops(context).locations());

        relaunch(); // the shutdown's stops are not recorded either
        starter = new DeployFolderStarter(context);
        joinStartThreads();
        assertEquals(Bundle.ACTIVE, bundle("test.other").getState());
        int state = bundle("test.stopped").getState();
        assertTrue(state == Bundle.INSTALLED || state == Bundle.RESOLVED, "still stopped after the launch: " + state);

        bundle("test.stopped").start(); // an admin starts it again: from now on it starts at every launch
        relaunch();
        starter = new DeployFolderStarter(context);
        awaitState(bundle("test.stopped"), Bundle.ACTIVE);
        assertEquals(Set.of(), new AdminStops(context).locations());
    }

    @Test
    void readinessDoesNotWaitForABundleAnAdminStopped() throws Exception {
        startTwoAndStopOne();
        relaunch();
        DeployFolderReadiness readiness = new DeployFolderReadiness(context);
        assertFalse(readiness.status().ready(), "the drivers from deploy/ are not started yet");
        starter = new DeployFolderStarter(context);
        awaitState(bundle("test.other"), Bundle.ACTIVE);
        assertTrue(readiness.status().ready(), "waits for test.other only: " + readiness.status());
    }

    @Test
    void aBundleARefreshStoppedAndCouldNotStartAgainIsNoAdminsStop() throws Exception {
        starter = new DeployFolderStarter(context);
        Bundle provider = install(jar("10-provider.jar", "test.provider", "Export-Package: test.provided"), 1);
        Bundle consumer = install(jar("20-consumer.jar", "test.consumer", "Import-Package: test.provided"), 1);
        awaitState(consumer, Bundle.ACTIVE);
        provider.uninstall(); // its jar deleted: File Install uninstalls and refreshes
        refresh(provider);
        assertFalse(consumer.getState() == Bundle.ACTIVE, "the refresh could not start it without its provider");
        assertEquals(Set.of(), new AdminStops(context).locations(), "it starts again at the next launch");
    }

    @Test
    void aNewJarForAStoppedBundleStartsIt() throws Exception {
        starter = new DeployFolderStarter(context);
        Bundle b = install(jar("10-driver.jar", "test.driver", null), 1);
        awaitState(b, Bundle.ACTIVE);
        b.stop();
        try (InputStream in = Files.newInputStream(deploy.resolve("10-driver.jar"))) {
            b.update(in); // File Install's update of a changed jar
        }
        refresh(b);
        awaitState(b, Bundle.ACTIVE);
        assertEquals(Set.of(), new AdminStops(context).locations());
    }

    @Test
    void anUpdatedBundleIsStartedAgainAndFragmentsAndOtherLocationsAreLeftAlone() throws Exception {
        starter = new DeployFolderStarter(context);
        Bundle elsewhere = context.installBundle("gateway-api:test.elsewhere",
                Files.newInputStream(jar("elsewhere.jar", "test.elsewhere", null)));
        Bundle host = install(jar("10-host.jar", "test.host", null), 1);
        awaitState(host, Bundle.ACTIVE);
        Bundle fragment = install(jar("20-fragment.jar", "test.fragment", "Fragment-Host: test.host"), 1);

        host.stop();
        try (InputStream in = Files.newInputStream(deploy.resolve("10-host.jar"))) {
            host.update(in);
        }
        refresh(host); // as File Install does after an update
        awaitState(host, Bundle.ACTIVE);
        assertEquals(Bundle.INSTALLED, elsewhere.getState());
        assertFalse(fragment.getState() == Bundle.ACTIVE || fragment.getState() == Bundle.STARTING);
    }

    @Test
    void aBundleInstalledWhileTheGatewayRunsStartsOnceAfterFileInstallsRefresh() throws Exception {
        // no settle timeout in this test's time: only the refresh may release the bundle
        starter = new DeployFolderStarter(context, TimeUnit.SECONDS.toMillis(10 * WAIT_SECONDS));
        AtomicInteger starts = new AtomicInteger();
        context.addBundleListener((SynchronousBundleListener) e -> {
            if (e.getType() == BundleEvent.STARTED && "test.driver".equals(e.getBundle().getSymbolicName())) {
                starts.incrementAndGet();
            }
        });
        Bundle driver = installOnly(jar("10-driver.jar", "test.driver", null), 1);
        // started before the refresh, the refresh would stop and start it again: two starts, devices reconnecting
        refresh(driver);
        awaitState(driver, Bundle.ACTIVE);
        assertEquals(1, starts.get(), "started once, after the refresh");
    }

    @Test
    void withoutARefreshAHotInstalledBundleStartsAfterTheSettleTime() throws Exception {
        starter = new DeployFolderStarter(context, 50);
        Bundle driver = installOnly(jar("10-driver.jar", "test.driver", null), 1);
        awaitState(driver, Bundle.ACTIVE);
    }

    /** test.stopped and test.other from deploy/, both started, then test.stopped stopped as the API's stop does. */
    private Bundle startTwoAndStopOne() throws Exception {
        starter = new DeployFolderStarter(context);
        Bundle stopped = install(jar("10-stopped.jar", "test.stopped", null), 1);
        Bundle other = install(jar("20-other.jar", "test.other", null), 1);
        awaitState(stopped, Bundle.ACTIVE);
        awaitState(other, Bundle.ACTIVE);
        stopped.stop(); // recorded before stop() returns
        return stopped;
    }

    /** Installs and refreshes, as File Install does with every bundle it installs. */
    private Bundle install(Path jar, int startLevel) throws Exception {
        Bundle b = installOnly(jar, startLevel);
        refresh(b);
        return b;
    }

    private Bundle installOnly(Path jar, int startLevel) throws Exception {
        // installed at its level: File Install sets it just after installing, when the framework is at level 9
        framework.adapt(FrameworkStartLevel.class).setInitialBundleStartLevel(startLevel);
        try (InputStream in = Files.newInputStream(jar)) {
            return context.installBundle(jar.toUri().toString(), in);
        }
    }

    private void refresh(Bundle b) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        framework.adapt(FrameworkWiring.class).refreshBundles(List.of(b), e -> done.countDown());
        if (!done.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("refresh of " + b.getSymbolicName() + " did not end");
        }
    }

    private void setFrameworkLevel(int level) throws InterruptedException {
        CountDownLatch changed = new CountDownLatch(1);
        FrameworkListener listener = e -> {
            if (e.getType() == FrameworkEvent.STARTLEVEL_CHANGED) {
                changed.countDown();
            }
        };
        framework.adapt(FrameworkStartLevel.class).setStartLevel(level, listener);
        if (!changed.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("framework did not reach level " + level);
        }
    }

    /** Waits for the framework to report the state (ACTIVE, STARTING, ...) through its bundle events. */
    private void awaitState(Bundle b, int state) throws InterruptedException {
        CountDownLatch reached = new CountDownLatch(1);
        SynchronousBundleListener listener = (BundleEvent e) -> {
            if (e.getBundle().equals(b) && b.getState() == state) {
                reached.countDown();
            }
        };
        context.addBundleListener(listener);
        try {
            if (b.getState() != state && !reached.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(b.getSymbolicName() + " in state " + b.getState() + ", not " + state);
            }
        } finally {
            context.removeBundleListener(listener);
        }
    }

    private Path blockingJar(String name) throws IOException {
        String entry = BlockingActivator.class.getName().replace('.', '/') + ".class";
        return jar(name, "test.blocking", "Bundle-Activator: " + BlockingActivator.class.getName()
                + "\nImport-Package: org.osgi.framework", entry);
    }

    /** A bundle jar in the deploy folder; extra holds more manifest lines ("Name: value", one a line). */
    private Path jar(String name, String bsn, String extra, String... classEntries) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", bsn);
        main.putValue("Bundle-Version", "1.0.0");
        if (extra != null) {
            for (String line : extra.split("\n")) {
                String[] kv = line.split(": ", 2);
                main.putValue(kv[0], kv[1]);
            }
        }
        Path jar = deploy.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            for (String entry : classEntries) {
                jarOut.putNextEntry(new JarEntry(entry));
                try (InputStream classFile = getClass().getClassLoader().getResourceAsStream(entry)) {
                    classFile.transferTo(jarOut);
                }
                jarOut.closeEntry();
            }
        }
        return jar;
    }
}
