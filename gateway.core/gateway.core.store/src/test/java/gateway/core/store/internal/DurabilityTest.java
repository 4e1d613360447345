package gateway.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a change the store has acknowledged is on disk. A second JVM writes settings in a loop and prints each
 * one after its commit returned; this test kills it with SIGKILL at once and reopens the file: every acknowledged
 * change must be there. (With H2's default background commit of the MVStore, the last half second was lost.)
 */
class DurabilityTest {

    /** Runs in the child JVM: writes key i = value i forever, printing "acked i" after each commit. */
    public static void main(String[] args) throws Exception {
        try (Database db = Database.open(Path.of(args[0]))) {
            H2SettingsStore settings = new H2SettingsStore(db);
            System.out.println("open");
            System.out.flush();
            for (int i = 0; ; i++) {
                settings.put("durability." + i, "value " + i);
                System.out.println("acked " + i);
                System.out.flush();
            }
        }
    }

    @Test
    void everyAcknowledgedChangeSurvivesKillDashNine(@TempDir Path dir) throws Exception {
        for (int round = 0; round < 3; round++) {
            Path data = dir.resolve("round-" + round);
            int lastAcked = writeUntilKilled(data, 150 + round * 40);
            try (Database db = Database.open(data)) {
                H2SettingsStore settings = new H2SettingsStore(db);
                List<Integer> lost = new ArrayList<>();
                for (int i = 0; i <= lastAcked; i++) {
                    if (!("value " + i).equals(settings.get("durability." + i).orElse(null))) {
                        lost.add(i);
                    }
                }
                assertEquals(List.of(), lost, "round " + round + ": acknowledged writes lost of 0.." + lastAcked);
            }
        }
    }

    /** Starts the writer, kills it (SIGKILL) right after the given number of acknowledgements; the last one seen. */
    private static int writeUntilKilled(Path data, int acks) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", DurabilityTest.class.getName(), data.toString())
                .redirectErrorStream(true).start();
        int last = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("acked ")) {
                    last = Integer.parseInt(line.substring(6).trim());
                    if (last >= acks) {
                        p.destroyForcibly(); // SIGKILL: no shutdown hook, no close
                        break;
                    }
                }
            }
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "writer gone");
        }
        assertTrue(last >= acks, "the writer acknowledged " + last + " changes before it ended");
        return last;
    }
}
