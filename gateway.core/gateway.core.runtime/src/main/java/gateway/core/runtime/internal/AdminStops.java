package gateway.core.runtime.internal;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundles from {@code deploy/} an admin stopped, by location, kept in this bundle's data area so they stay
 * stopped across launches until someone starts them again or their jar changes. Written through (forced to disk
 * before the stop returns), so the API's 2xx for a stop survives a kill -9.
 */
final class AdminStops {

    static final String FILE_NAME = "admin-stopped-deploy-bundles";
    private static final Logger LOG = LoggerFactory.getLogger(AdminStops.class);

    private final Path file;

    AdminStops(BundleContext context) {
        File f = context.getDataFile(FILE_NAME);
        this.file = f == null ? null : f.toPath();
    }

    synchronized Set<String> locations() {
        if (file == null || !Files.exists(file)) {
            return Set.of();
        }
        try {
            Set<String> out = new LinkedHashSet<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(line.strip());
                }
            }
            return out;
        } catch (IOException e) {
            LOG.warn("cannot read the stopped deploy bundles from {}: {}", file, e.toString());
            return Set.of();
        }
    }

    synchronized void add(String location) {
        Set<String> now = new LinkedHashSet<>(locations());
        if (now.add(location)) {
            write(now);
        }
    }

    synchronized void remove(String location) {
        Set<String> now = new LinkedHashSet<>(locations());
        if (now.remove(location)) {
            write(now);
        }
    }

    /** A new file beside the old, forced, then moved over it: a kill at any point leaves one whole list. */
    private void write(Set<String> locations) {
        if (file == null) {
            return;
        }
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                out.write(StandardCharsets.UTF_8.encode(String.join("\n", locations) + "\n"));
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("cannot record the stopped deploy bundles in {}: {}", file, e.toString());
        }
    }
}
