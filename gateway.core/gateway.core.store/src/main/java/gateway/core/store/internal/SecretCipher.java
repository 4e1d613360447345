package gateway.core.store.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest of secret device options (an OAuth refresh token, a password): AES-256-GCM with a random
 * 96-bit IV per value, the key in {@value #KEY_FILE} in the data folder (created on first use, owner-only). A stolen
 * database file alone does not reveal them. Values written before this existed stay readable as plain text and are
 * sealed when the device is next saved.
 */
final class SecretCipher {

    static final String KEY_FILE = "secrets.key";
    static final String PREFIX = "enc:v1:";
    /** The names the API masks too ({@code ApiModel} in gateway.web); {@code *_url} names an endpoint, not a secret. */
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|token|api_?key).*");
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private SecretCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The cipher of a data folder, creating its key file (0600) when there is none. */
    static SecretCipher forDataFolder(Path dataDir) {
        Path file = dataDir.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                try {
                    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                        Files.createFile(file, PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
                    } else {
                        Files.createFile(file);
                    }
                    Files.write(file, Base64.getEncoder().encode(fresh), StandardOpenOption.TRUNCATE_EXISTING);
                } catch (FileAlreadyExistsException e) {
                    // another store opened the folder first: use its key
                }
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
            if (key.length != 32) {
                throw new StoreException("key file " + file + " does not hold a 256-bit key");
            }
            return new SecretCipher(key);
        } catch (IOException | IllegalArgumentException e) {
            throw new StoreException("cannot read or create the key file " + file, e);
        }
    }

    static boolean isSecret(String optionName) {
        return SECRET_KEY.matcher(optionName).matches()
                && !optionName.toLowerCase(Locale.ROOT).endsWith("_url");
    }

    static boolean sealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    String seal(String plain) {
        if (sealed(plain)) {
            return plain;
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot encrypt a secret option", e);
        }
    }

    /** The plain value; a value stored before encryption existed comes back as it is. */
    String open(String stored) {
        if (!sealed(stored)) {
            return stored;
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            return new String(c.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // a database copied without its key file: say so rather than hand a driver garbage
            throw new StoreException("a secret option cannot be decrypted with " + KEY_FILE
                    + " (was the database copied without its key file?)", e);
        }
    }
}
