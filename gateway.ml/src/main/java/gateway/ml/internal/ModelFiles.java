package gateway.ml.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.OperatingMode;

/**
 * Model state on disk: {@code <folder>/<device>/<mode>.hst}, one file per device and operating mode, written to a
 * temporary file and moved into place so a crash never leaves half a model.
 *
 * <p>A file starts with a magic number and {@link #FORMAT_VERSION}, then the model's shape (trees, height, window,
 * seed, feature names). A file of another format version or shape (a driver update that changed the features, a new
 * default) is not an error: {@link #load} answers empty and the model retrains from scratch.
 */
public final class ModelFiles {

    static final int MAGIC = 0x47574D4C; // "GWML"
    public static final int FORMAT_VERSION = 3; // 2: time of the last learned sample; 3: mode share and alarm episode
    static final String SUFFIX = ".hst";

    private static final Logger LOG = LoggerFactory.getLogger(ModelFiles.class);

    private final Path folder;

    public ModelFiles(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /** A file-system-safe folder name for a device id (ids are {@code hp-…}; anything else is hex-encoded). */
    static String safe(String deviceId) {
        if (deviceId.matches("[A-Za-z0-9_.-]{1,64}") && !deviceId.startsWith(".")) {
            return deviceId;
        }
        return "x-" + HexFormat.of().formatHex(deviceId.getBytes(StandardCharsets.UTF_8));
    }

    Path file(String deviceId, OperatingMode mode) {
        return folder.resolve(safe(deviceId)).resolve(mode.name().toLowerCase(Locale.ROOT) + SUFFIX);
    }

    public void save(String deviceId, OperatingMode mode, ModeModel model) throws IOException {
        Path target = file(deviceId, mode);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
            write(out, model, FORMAT_VERSION);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void write(DataOutputStream out, ModeModel model, int formatVersion) throws IOException {
        DetectorSettings s = model.settings();
        out.writeInt(MAGIC);
        out.writeInt(formatVersion);
        out.writeInt(s.trees());
        out.writeInt(s.height());
        out.writeInt(s.window());
        out.writeLong(s.seed());
        out.writeInt(model.trees().sizeLimit());
        out.writeInt(model.names().size());
        for (String n : model.names()) {
            out.writeUTF(n);
        }
        model.writeTo(out);
    }

    /**
     * The stored model for this device and mode if it exists and fits {@code names} and {@code settings}; empty when
     * there is none or it must be retrained (other format version, other shape, damaged file).
     */
    public Optional<ModeModel> load(String deviceId, OperatingMode mode, List<String> names,
                                    DetectorSettings settings) {
        Path f = file(deviceId, mode);
        try (InputStream is = Files.newInputStream(f);
             DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16))) {
            if (in.readInt() != MAGIC) {
                LOG.warn("model {} of {} is not a model file; retraining", mode, deviceId);
                return Optional.empty();
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                LOG.info("model {} of {} has format version {} (this bundle writes {}); retraining", mode, deviceId,
                        version, FORMAT_VERSION);
                return Optional.empty();
            }
            int trees = in.readInt();
            int height = in.readInt();
            int window = in.readInt();
            long seed = in.readLong();
            int sizeLimit = in.readInt();
            int n = in.readInt();
            if (n < 0 || n > 10_000) {
                throw new IOException("bad feature count " + n);
            }
            List<String> stored = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                stored.add(in.readUTF());
            }
            if (trees != settings.trees() || height != settings.height() || window != settings.window()
                    || seed != settings.seed() || !stored.equals(names)
                    || sizeLimit != HalfSpaceTrees.effectiveSizeLimit(settings.window(), settings.sizeLimit())) {
                LOG.info("model {} of {} was built for other settings or features; retraining", mode, deviceId);
                return Optional.empty();
            }
            ModeModel model = new ModeModel(names, settings);
            model.readFrom(in);
            return Optional.of(model);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.warn("model {} of {} could not be read ({}); retraining", mode, deviceId, e.toString());
            return Optional.empty();
        }
    }

    /** Removes every stored model of a device (the device was deleted). */
    public void delete(String deviceId) throws IOException {
        Path dir = folder.resolve(safe(deviceId));
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }
}
