package gateway.ml.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.OperatingMode;

class ModelFilesTest {

    static final List<String> NAMES = List.of("flow", "return", "power");
    static final DetectorSettings SETTINGS = new DetectorSettings(10, 10, 50, 42, 0.7, 1, 20, 3, Duration.ofHours(1));

    @TempDir
    Path dir;

    static double[] sample(Random rnd) {
        return new double[] {35 + rnd.nextGaussian(), 30 + rnd.nextGaussian(), 1.2 + 0.1 * rnd.nextGaussian()};
    }

    static ModeModel trained(long seed, int n) {
        ModeModel m = new ModeModel(NAMES, SETTINGS);
        Random rnd = new Random(seed);
        for (int i = 0; i < n; i++) {
            m.process(sample(rnd), Instant.EPOCH);
        }
        return m;
    }

    @Test
    void restoredModelScoresExactlyLikeTheSavedOne() throws IOException {
        ModeModel original = trained(1, 173);
        ModelFiles files = new ModelFiles(dir);
        files.save("hp-1", OperatingMode.HEATING, original);
        ModeModel restored = files.load("hp-1", OperatingMode.HEATING, NAMES, SETTINGS).orElseThrow();
        assertEquals(173, restored.samples());
        Random a = new Random(9);
        Random b = new Random(9);
        for (int i = 0; i < 200; i++) {
            assertEquals(original.process(sample(a), Instant.EPOCH).score(),
                    restored.process(sample(b), Instant.EPOCH).score(), 0.0, "sample " + i);
        }
    }

    @Test
    void modelsAreKeptPerDeviceAndMode() throws IOException {
        ModelFiles files = new ModelFiles(dir);
        files.save("hp-1", OperatingMode.HEATING, trained(1, 60));
        files.save("hp-1", OperatingMode.STANDBY, trained(2, 70));
        files.save("hp-2", OperatingMode.HEATING, trained(3, 80));
        assertEquals(60, files.load("hp-1", OperatingMode.HEATING, NAMES, SETTINGS).orElseThrow().samples());
        assertEquals(70, files.load("hp-1", OperatingMode.STANDBY, NAMES, SETTINGS).orElseThrow().samples());
        assertEquals(80, files.load("hp-2", OperatingMode.HEATING, NAMES, SETTINGS).orElseThrow().samples());
        assertTrue(files.load("hp-2", OperatingMode.HOT_WATER, NAMES, SETTINGS).isEmpty());
    }

    @Test
    void fileOfAnotherFormatVersionMeansRetrainNotFailure() throws IOException {
        ModelFiles files = new ModelFiles(dir);
        Path f = files.file("hp-1", OperatingMode.HEATING);
        Files.createDirectories(f.getParent());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelFiles.write(new DataOutputStream(bytes), trained(1, 60), ModelFiles.FORMAT_VERSION + 1);
        Files.write(f, bytes.toByteArray());
        assertTrue(files.load("hp-1", OperatingMode.HEATING, NAMES, SETTINGS).isEmpty());
    }

    @Test
    void damagedFileOrOtherFeaturesOrSettingsMeanRetrain() throws IOException {
        ModelFiles files = new ModelFiles(dir);
        files.save("hp-1", OperatingMode.HEATING, trained(1, 60));
        assertTrue(files.load("hp-1", OperatingMode.HEATING, List.of("flow", "return"), SETTINGS).isEmpty(),
                "a driver update changed the features");
        assertTrue(files.load("hp-1", OperatingMode.HEATING, NAMES,
                new DetectorSettings(25, 10, 50, 42, 0.7, 1, 20, 3, Duration.ofHours(1))).isEmpty());
        Path f = files.file("hp-1", OperatingMode.HEATING);
        byte[] whole = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertTrue(files.load("hp-1", OperatingMode.HEATING, NAMES, SETTINGS).isEmpty(), "truncated");
        Files.writeString(f, "not a model");
        assertTrue(files.load("hp-1", OperatingMode.HEATING, NAMES, SETTINGS).isEmpty(), "garbage");
    }

    @Test
    void deviceIdsThatAreNotSafeFileNamesAreEncoded() {
        assertEquals("hp-1a2b", ModelFiles.safe("hp-1a2b"));
        assertTrue(ModelFiles.safe("../etc").startsWith("x-"));
        assertTrue(ModelFiles.safe("a/b").startsWith("x-"));
    }
}
