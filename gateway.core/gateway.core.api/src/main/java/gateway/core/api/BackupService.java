package gateway.core.api;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Backups of the gateway's state as one zip each (database, configuration, deployed bundles, anomaly models, and a
 * manifest with checksums), kept in {@code <data>/backups}, and restoring one. Secrets (notification channel secrets,
 * passwords and tokens in configuration) go into the zip only encrypted with a passphrase the user gives, or not at
 * all; users' password hashes and the hashes of API tokens stay in the database as they are.
 */
@ProviderType
public interface BackupService {

    /**
     * One backup file.
     *
     * @param name            the file name, {@code gateway-backup-<time>[-auto].zip}
     * @param secrets         {@code encrypted} (a passphrase was given) or {@code omitted}
     * @param scheduled       made by the schedule (and pruned by its retention), not by a user
     */
    record Backup(String name, long size, Instant createdAt, String gatewayVersion, int schemaVersion,
                  String secrets, boolean scheduled) {
    }

    /** What a restore did. */
    record RestoreResult(String name, Instant createdAt, int backupSchemaVersion, int schemaVersion,
                         boolean secretsRestored, int files, int configurations) {
    }

    /**
     * Makes a backup now.
     *
     * @param passphrase encrypts the secrets into the backup; null or empty leaves them out
     */
    Backup create(char[] passphrase);

    /** The backups in the backup folder, newest first. */
    List<Backup> list();

    /** The file of a backup, for download; empty for an unknown or invalid name. */
    Optional<Path> file(String name);

    /** @return false when there was no such backup */
    boolean delete(String name);

    /**
     * Restores a backup from the backup folder.
     *
     * @param passphrase     needed only with {@code restoreSecrets}
     * @param restoreSecrets take the secrets from the backup; when false, the gateway's current secrets are kept
     *                       for what exists on both sides (same channel, same configuration key)
     * @throws InvalidBackupException when the backup is corrupt, foreign, tampered with, from a newer schema, or the
     *                                passphrase is wrong; nothing has changed then
     */
    RestoreResult restore(String name, char[] passphrase, boolean restoreSecrets);

    /** Restores an uploaded backup zip; as {@link #restore(String, char[], boolean)}. */
    RestoreResult restore(InputStream zip, char[] passphrase, boolean restoreSecrets);

    /** A backup that cannot be restored; {@link #field()} names the input at fault, if one is. */
    final class InvalidBackupException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String field;

        public InvalidBackupException(String field, String message) {
            super(message);
            this.field = field;
        }

        public InvalidBackupException(String field, String message, Throwable cause) {
            super(message, cause);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** The backup names no backup in the folder. */
    final class UnknownBackupException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnknownBackupException(String name) {
            super("no backup '" + name + "'");
        }
    }
}
