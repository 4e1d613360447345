package gateway.core.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.BackupService;
import gateway.core.api.NotificationChannel;

/**
 * {@link BackupService}: backups of the database, our configurations, {@code deploy/} and the anomaly models, and
 * the schedule with its retention.
 *
 * <p>It lives with the database because a restore must close the database and bring it back on another file: it
 * disables the {@link Database} component through SCR, which takes every store and everything built on them (manager,
 * automation, anomaly detector, API) down in order, swaps the file and enables it again, so all of them start on the
 * restored state. The files (deploy/, models) and ConfigAdmin are gathered here too rather than by each owner: they
 * are plain folders under the data folder and ConfigAdmin entries, and one component doing all of it is what makes a
 * backup one consistent unit and a restore one step. The database is therefore a dynamic reference of this
 * component: it stays up while the database restarts.
 */
@Component(service = BackupService.class, immediate = true, configurationPid = Backups.PID)
@Designate(ocd = BackupConfig.class)
public final class Backups implements BackupService {

    public static final String PID = "gateway.backup";
    private static final Logger LOG = LoggerFactory.getLogger(Backups.class);
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(60);
    /** Written by FileInstall into configurations it created from deploy/*.cfg: those are restored as files. */
    private static final String FILEINSTALL_KEY = "felix.fileinstall.filename";
    private static final Set<String> CONFIG_ADMIN_KEYS = Set.of("service.pid", "service.factoryPid",
            "service.bundleLocation", FILEINSTALL_KEY);

    private final ConfigurationAdmin configAdmin;
    private final ServiceComponentRuntime scr;
    private final BundleContext context;
    private final BackupEngine engine;
    private final Map<NotificationChannel, Boolean> channels = new ConcurrentHashMap<>();
    private final ScheduledExecutorService schedule;
    private volatile Database database;
    private volatile BackupConfig config;

    @Activate
    public Backups(BundleContext context, @Reference ConfigurationAdmin configAdmin,
                   @Reference ServiceComponentRuntime scr, BackupConfig config) {
        this.context = context;
        this.configAdmin = configAdmin;
        this.scr = scr;
        this.config = config;
        Path dataDir = Database.dataFolder(storeSetting("dataFolder"), context.getProperty(Database.DATA_PROPERTY))
                .toAbsolutePath().normalize();
        String deploy = context.getProperty("felix.fileinstall.dir");
        Path deployDir = deploy == null || deploy.isBlank() ? dataDir.resolve("deploy") : Path.of(deploy.trim());
        String models = configValue("gateway.ml", "model_folder");
        Path modelDir = models == null || models.isBlank() ? dataDir.resolve("ml") : Path.of(models.trim());
        this.engine = new BackupEngine(dataDir, deployDir, modelDir, context.getBundle().getVersion().toString(),
                Clock.systemUTC(), SecretBox.DEFAULT_ITERATIONS, new OsgiEnvironment());
        this.schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-backup-schedule");
            t.setDaemon(true);
            return t;
        });
        // a minute's resolution is plenty for hours; the first look comes after the start settled
        schedule.scheduleWithFixedDelay(this::scheduledBackup, 120, 60, TimeUnit.SECONDS);
        LOG.info("backups in {} (scheduled every {} h, keeping {})", engine.backupDir(), config.interval_hours(),
                config.keep());
    }

    @Modified
    void modified(BackupConfig config) {
        this.config = config;
    }

    @Deactivate
    void deactivate() {
        schedule.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setDatabase(Database database) {
        this.database = database;
    }

    void unsetDatabase(Database database) {
        if (this.database == database) {
            this.database = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addChannel(NotificationChannel channel) {
        channels.put(channel, Boolean.TRUE);
    }

    void removeChannel(NotificationChannel channel) {
        channels.remove(channel);
    }

    private void scheduledBackup() {
        BackupConfig c = config;
        if (database == null) {
            return; // starting or restoring: the next minute will do
        }
        try {
            String pass = c.passphrase();
            engine.runSchedule(Duration.ofHours(Math.max(0, c.interval_hours())), Math.max(1, c.keep()),
                    pass == null || pass.isEmpty() ? null : pass.toCharArray());
        } catch (RuntimeException e) {
            LOG.warn("scheduled backup failed: {}", e.toString());
        }
    }

    @Override
    public Backup create(char[] passphrase) {
        return engine.create(passphrase, false);
    }

    @Override
    public List<Backup> list() {
        return engine.list();
    }

    @Override
    public Optional<Path> file(String name) {
        return engine.file(name);
    }

    @Override
    public boolean delete(String name) {
        return engine.delete(name);
    }

    @Override
    public RestoreResult restore(String name, char[] passphrase, boolean restoreSecrets) {
        return engine.restore(name, passphrase, restoreSecrets);
    }

    @Override
    public RestoreResult restore(InputStream zip, char[] passphrase, boolean restoreSecrets) {
        return engine.restore(zip, passphrase, restoreSecrets);
    }

    private String storeSetting(String key) {
        return configValue(Database.PID, key);
    }

    private String configValue(String pid, String key) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            if (found != null && found.length > 0 && found[0].getProperties() != null) {
                Object v = found[0].getProperties().get(key);
                return v == null ? null : v.toString();
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("cannot read configuration {}: {}", pid, e.toString());
        }
        return null;
    }

    /** The running gateway as the engine sees it. */
    private final class OsgiEnvironment implements BackupEngine.Environment {

        @Override
        public Database database() {
            Database db = database;
            if (db == null) {
                throw new IllegalStateException("the database is not running (starting or being restored)");
            }
            return db;
        }

        private ComponentDescriptionDTO databaseComponent() {
            ComponentDescriptionDTO d = scr.getComponentDescriptionDTO(context.getBundle(), Database.class.getName());
            if (d == null) {
                throw new IllegalStateException("no component " + Database.class.getName());
            }
            return d;
        }

        @Override
        public void stopServices() {
            await(scr.disableComponent(databaseComponent()), "disable");
            waitFor(() -> context.getServiceReference(Database.class) == null, "the database to stop");
        }

        @Override
        public void startServices() {
            await(scr.enableComponent(databaseComponent()), "enable");
            // the registry, not this component's reference: restored configurations may restart this component
            waitFor(() -> context.getServiceReference(Database.class) != null, "the database to start");
        }

        private void await(org.osgi.util.promise.Promise<Void> p, String what) {
            try {
                p.timeout(RESTART_TIMEOUT.toMillis()).getValue();
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw new IllegalStateException("cannot " + what + " the database component: " + e.getCause(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        /** SCR applies dynamic reference changes on its own schedule; this waits (bounded) for the one we need. */
        private void waitFor(java.util.function.BooleanSupplier condition, String what) {
            long deadline = System.nanoTime() + RESTART_TIMEOUT.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out waiting for " + what);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }

        @Override
        public Map<String, Map<String, Object>> configurations() {
            Map<String, Map<String, Object>> out = new LinkedHashMap<>();
            for (Configuration c : ours()) {
                Dictionary<String, Object> props = c.getProperties();
                if (props == null || props.get(FILEINSTALL_KEY) != null) {
                    continue;
                }
                Map<String, Object> values = new HashMap<>();
                for (Enumeration<String> keys = props.keys(); keys.hasMoreElements(); ) {
                    String key = keys.nextElement();
                    if (!CONFIG_ADMIN_KEYS.contains(key)) {
                        values.put(key, props.get(key));
                    }
                }
                out.put(c.getPid(), values);
            }
            return out;
        }

        @Override
        public void replaceConfigurations(Map<String, Map<String, Object>> wanted) {
            try {
                for (Configuration c : ours()) {
                    Dictionary<String, Object> props = c.getProperties();
                    if (props != null && props.get(FILEINSTALL_KEY) == null && !wanted.containsKey(c.getPid())) {
                        c.delete();
                    }
                }
                for (Map.Entry<String, Map<String, Object>> w : wanted.entrySet()) {
                    String pid = w.getKey();
                    int tilde = pid.indexOf('~');
                    Configuration c = tilde > 0
                            ? configAdmin.getFactoryConfiguration(pid.substring(0, tilde), pid.substring(tilde + 1),
                            "?")
                            : configAdmin.getConfiguration(pid, "?");
                    Dictionary<String, Object> current = c.getProperties();
                    if (current != null && current.get(FILEINSTALL_KEY) != null) {
                        continue; // deploy/*.cfg owns it: restored as a file
                    }
                    c.update(new java.util.Hashtable<>(w.getValue()));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("restoring configurations failed: {}", e.toString());
                throw new IllegalStateException("restoring configurations failed: " + e, e);
            }
        }

        private List<Configuration> ours() {
            try {
                Configuration[] all = configAdmin.listConfigurations("(service.pid=gateway.*)");
                return all == null ? List.of() : Arrays.asList(all);
            } catch (IOException | InvalidSyntaxException e) {
                throw new IllegalStateException("cannot list configurations: " + e, e);
            }
        }

        @Override
        public Set<String> secretChannelSettings(String type) {
            return channels.keySet().stream().filter(c -> c.type().equals(type)).findFirst()
                    .map(c -> c.settings().stream().filter(NotificationChannel.Setting::secret)
                            .map(NotificationChannel.Setting::name).collect(Collectors.toSet()))
                    .orElse(null);
        }
    }
}
