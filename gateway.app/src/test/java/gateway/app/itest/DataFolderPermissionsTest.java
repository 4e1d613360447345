package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * Issue 14: the data folder (password hashes, the configuration store with push passwords, deployed code) is readable
 * by its owner only: folders 0700 and files 0600 whatever the umask, including a secret that arrived through a .cfg
 * file in deploy/ and was copied into the framework's configuration store.
 */
@ExtendWith(BundleContextExtension.class)
class DataFolderPermissionsTest {

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    @InjectBundleContext
    BundleContext context;

    @Test
    void nothingInTheDataFolderIsReadableByOtherUsers() throws Exception {
        Path data = Files.createTempDirectory("gateway-perms");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x")); // as a umask 022 leaves it
        Path deploy = Files.createDirectories(data.resolve("deploy"));
        Path cfg = deploy.resolve("gateway.metrics.push.cfg");
        Files.writeString(cfg, "url=http://127.0.0.1:9/\nusername=gw\npassword=secret-for-permissions-test\n");
        Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString("rw-r--r--"));

        try (GatewayProcess gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data, Map.of())) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)),
                    "the data folder is closed to others while the gateway runs");
            Await.until("the push configuration reached the configuration store", Duration.ofSeconds(30),
                    () -> !filesContaining(data.resolve("framework"), "secret-for-permissions-test").isEmpty());
        }
        // the next start locks down whatever the first run and the configuration store created
        try (GatewayProcess gateway = GatewayProcess.start(context.getProperty("gateway.itest.jar"), data, Map.of())) {
            List<String> open = new ArrayList<>();
            try (Stream<Path> all = Files.walk(data)) {
                all.filter(p -> !p.getFileName().toString().equals("gateway-stdout.log")).forEach(p -> {
                    try {
                        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                        if (perms.stream().anyMatch(OTHERS::contains)) {
                            open.add(data.relativize(p) + " " + PosixFilePermissions.toString(perms));
                        }
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
            }
            assertEquals(List.of(), open, "files or folders others can use");
            List<Path> secrets = filesContaining(data.resolve("framework"), "secret-for-permissions-test");
            assertTrue(!secrets.isEmpty(), "the secret is in the configuration store (the case this test is about)");
        }
    }

    private static List<Path> filesContaining(Path dir, String text) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(Files::isRegularFile).forEach(p -> {
                try {
                    if (Files.size(p) < 1_000_000 && new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1)
                            .contains(text)) {
                        out.add(p);
                    }
                } catch (IOException e) {
                    // a file the framework is replacing right now
                }
            });
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
