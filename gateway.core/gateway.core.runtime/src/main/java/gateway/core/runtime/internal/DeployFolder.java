package gateway.core.runtime.internal;

import java.net.URI;
import java.nio.file.Path;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The folder File Install watches ({@code felix.fileinstall.dir}) and which bundles came from it: File Install
 * installs a jar under the location {@code file:<absolute path>}.
 */
record DeployFolder(Path dir) {

    /** The configured folder, or null when File Install watches none. */
    static DeployFolder of(BundleContext context) {
        String dir = context.getProperty("felix.fileinstall.dir");
        return dir == null || dir.isBlank() ? null
                : new DeployFolder(Path.of(dir.trim()).toAbsolutePath().normalize());
    }

    /** True for a bundle installed from a file in this folder. */
    boolean holds(Bundle bundle) {
        Path file = fileOf(bundle);
        return file != null && dir.equals(file.getParent());
    }

    /** The file a bundle was installed from, or null when its location is not a file. */
    static Path fileOf(Bundle bundle) {
        String location = bundle.getLocation();
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
