package gateway.app.launch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * gateway.jar carries the driver bundles under {@code drivers/}. At the first start of a data folder they are copied
 * into its deploy folder, where the runtime installs them like any driver a user drops in: each can then be removed,
 * replaced or added while the gateway runs. Later starts leave the folder alone, so a driver the user deleted stays
 * deleted.
 */
final class BundledDrivers {

    static final String MARKER = ".drivers-seeded";
    private static final String PREFIX = "drivers/";

    private BundledDrivers() {
    }

    static List<Path> seedOnce(Path data, Path deploy) throws IOException {
        Path marker = data.resolve(MARKER);
        if (Files.exists(marker)) {
            return List.of();
        }
        List<Path> copied = new ArrayList<>();
        Path self = ownJar();
        if (self != null) {
            try (JarFile jar = new JarFile(self.toFile())) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    String name = e.getName();
                    if (name.startsWith(PREFIX) && name.endsWith(".jar") && name.indexOf('/', PREFIX.length()) < 0) {
                        Path target = deploy.resolve(name.substring(PREFIX.length()));
                        // write outside the watched folder, then move: the deploy watcher must never see half a jar
                        Path partial = data.resolve(target.getFileName() + ".partial");
                        try (InputStream in = jar.getInputStream(e)) {
                            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                        }
                        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                        copied.add(target);
                    }
                }
            }
        }
        Files.writeString(marker, "driver bundles from gateway.jar were copied to deploy/ once: " + copied + "\n");
        return copied;
    }

    /** The jar this class was loaded from, or null when running from classes (tests, IDE). */
    private static Path ownJar() {
        try {
            Path location = Path.of(BundledDrivers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? location : null;
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }
}
