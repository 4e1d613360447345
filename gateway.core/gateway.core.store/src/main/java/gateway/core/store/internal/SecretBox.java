package gateway.core.store.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a backup's secrets with a passphrase: AES-256-GCM under a key from PBKDF2-HMAC-SHA256 (the JDK's own
 * providers, no extra library). Layout: {@code "GWS1" | iterations (int) | salt (16) | nonce (12) | ciphertext+tag}.
 * GCM's tag makes a wrong passphrase and a changed byte the same failure: {@link WrongPassphraseException}.
 */
final class SecretBox {

    private static final byte[] MAGIC = "GWS1".getBytes(StandardCharsets.US_ASCII);
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about 0.3 s on the 2-core reference machine. */
    static final int DEFAULT_ITERATIONS = 600_000;
    private static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    static final class WrongPassphraseException extends Exception {
        private static final long serialVersionUID = 1L;

        WrongPassphraseException(String message) {
            super(message);
        }
    }

    private SecretBox() {
    }

    static byte[] seal(byte[] plain, char[] passphrase, int iterations) {
        byte[] salt = random(SALT_BYTES);
        byte[] nonce = random(NONCE_BYTES);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(passphrase, salt, iterations), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(MAGIC);
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(MAGIC.length + 4 + SALT_BYTES + NONCE_BYTES + sealed.length)
                    .put(MAGIC).putInt(iterations).put(salt).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable: " + e, e);
        }
    }

    static byte[] open(byte[] box, char[] passphrase) throws WrongPassphraseException {
        ByteBuffer in = ByteBuffer.wrap(box);
        if (box.length < MAGIC.length + 4 + SALT_BYTES + NONCE_BYTES + TAG_BITS / 8
                || !Arrays.equals(Arrays.copyOf(box, MAGIC.length), MAGIC)) {
            throw new WrongPassphraseException("the encrypted secrets are damaged");
        }
        in.position(MAGIC.length);
        int iterations = in.getInt();
        if (iterations < 10_000 || iterations > 10_000_000) {
            throw new WrongPassphraseException("the encrypted secrets are damaged");
        }
        byte[] salt = new byte[SALT_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        in.get(salt).get(nonce);
        byte[] sealed = new byte[in.remaining()];
        in.get(sealed);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(passphrase, salt, iterations), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(MAGIC);
            return cipher.doFinal(sealed);
        } catch (AEADBadTagException e) {
            throw new WrongPassphraseException("wrong passphrase (or the encrypted secrets were changed)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable: " + e, e);
        }
    }

    private static SecretKeySpec key(char[] passphrase, byte[] salt, int iterations) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
        try {
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return new SecretKeySpec(key, "AES");
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static char[] chars(String s) {
        return s == null ? null : s.toCharArray();
    }

    static byte[] utf8(char[] chars) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        return Arrays.copyOf(b.array(), b.limit());
    }
}
