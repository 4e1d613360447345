package gateway.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.BackupService;
import gateway.core.api.BackupService.Backup;
import gateway.core.api.BackupService.InvalidBackupException;
import gateway.core.api.BackupService.RestoreResult;
import gateway.core.api.BackupService.UnknownBackupException;
import gateway.core.api.UserStore.Role;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

/**
 * {@code /backup} (admin only, reading included: a backup is the whole gateway): make, list, download, delete and
 * restore backups through the store's {@link BackupService}. While it is not running these endpoints answer 503.
 * A restore restarts the store and every service on it, this API included; the answer still arrives.
 */
final class BackupResource {

    private static final Logger LOG = LoggerFactory.getLogger(BackupResource.class);
    static final Set<String> ZIP_TYPES = Set.of("application/zip", "application/octet-stream",
            "application/x-zip-compressed");

    /** {@code POST /backup/create}; without a passphrase the secrets are left out. */
    record CreateInput(String passphrase) {
    }

    /** {@code POST /backup/restore} as JSON: a backup in the backup folder. */
    record RestoreInput(String name, String passphrase, Boolean restoreSecrets) {
    }

    volatile BackupService backups;

    void register(Router router) {
        router.add("POST", "/backup/create", Role.ADMIN,
                        "Make a backup now (body optional: {\"passphrase\": …} encrypts the secrets into it)",
                        this::create)
                .add("GET", "/backup/list", Role.ADMIN, "The backups in <data>/backups, newest first",
                        r -> service().list())
                .add("GET", "/backup/download/{name}", Role.ADMIN, "One backup zip", this::download)
                .add("DELETE", "/backup/delete/{name}", Role.ADMIN, "Delete a backup", this::delete)
                .add("POST", "/backup/restore", Role.ADMIN,
                        "Restore a backup: JSON {\"name\", \"passphrase\", \"restore_secrets\"} or an uploaded zip"
                                + " (multipart field 'backup', fields 'passphrase' and 'restore_secrets')",
                        this::restore);
    }

    private BackupService service() {
        BackupService b = backups;
        if (b == null) {
            throw ApiException.unavailable("backup-unavailable", "Backups unavailable",
                    "the backup service is not running");
        }
        return b;
    }

    private Object create(ApiRequest request) throws IOException {
        char[] passphrase = null;
        if (request.hasBody()) {
            CreateInput in = request.body(CreateInput.class);
            passphrase = in.passphrase() == null || in.passphrase().isEmpty() ? null : in.passphrase().toCharArray();
        }
        Backup made = call(service()::create, passphrase);
        LOG.info("backup {} made by {}", made.name(), request.actor());
        return Reply.created(ApiServlet.MOUNT + "/backup/download/" + made.name(), made);
    }

    private Object download(ApiRequest request) throws IOException {
        String name = request.param("name");
        Path file = service().file(name).orElseThrow(() -> ApiException.notFound("no backup '" + name + "'"));
        HttpServletResponse response = request.servletResponse();
        response.setStatus(200);
        response.setContentType("application/zip");
        response.setContentLengthLong(Files.size(file));
        response.setHeader("Content-Disposition", "attachment; filename=\"" + file.getFileName() + "\"");
        try (OutputStream out = response.getOutputStream()) {
            Files.copy(file, out);
        }
        return Reply.STREAMED;
    }

    private Object delete(ApiRequest request) {
        String name = request.param("name");
        if (!service().delete(name)) {
            throw ApiException.notFound("no backup '" + name + "'");
        }
        LOG.info("backup {} deleted by {}", name, request.actor());
        return Reply.noContent();
    }

    private Object restore(ApiRequest request) throws IOException {
        String contentType = request.contentType() == null ? "" : request.contentType();
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        RestoreResult result;
        if (media.equals("multipart/form-data")) {
            HttpServletRequest servletRequest = request.servletRequest();
            Part upload;
            try {
                upload = servletRequest.getPart("backup");
            } catch (ServletException | IllegalStateException | IOException e) {
                // Felix's multipart wrapper reports a body it cannot parse as an IOException, not a ServletException
                throw ApiException.badRequest("the body is not valid multipart/form-data: " + rootMessage(e));
            }
            if (upload == null) {
                throw ApiException.invalid("the multipart body has no field 'backup'", List.of("backup: required"));
            }
            String passphrase = field(servletRequest, "passphrase");
            boolean secrets = flag(field(servletRequest, "restore_secrets"));
            try (InputStream in = upload.getInputStream()) {
                result = restore(in, passphrase, secrets);
            } finally {
                upload.delete();
            }
        } else if (ZIP_TYPES.contains(media)) {
            // a raw zip body; options as query parameters
            try (InputStream in = request.servletRequest().getInputStream()) {
                result = restore(in, request.query("passphrase"), flag(request.query("restore_secrets")));
            }
        } else {
            RestoreInput in = request.body(RestoreInput.class);
            if (in.name() == null || in.name().isBlank()) {
                throw ApiException.invalid("name the backup to restore, or upload one", List.of("name: required"));
            }
            boolean secrets = Boolean.TRUE.equals(in.restoreSecrets());
            result = call(() -> service().restore(in.name(), chars(in.passphrase()), secrets));
        }
        LOG.info("backup {} restored by {} (schema {} → {})", result.name(), request.actor(),
                result.backupSchemaVersion(), result.schemaVersion());
        return result;
    }

    private RestoreResult restore(InputStream zip, String passphrase, boolean secrets) {
        return call(() -> service().restore(zip, chars(passphrase), secrets));
    }

    private static String field(HttpServletRequest request, String name) throws IOException {
        try {
            Part p = request.getPart(name);
            if (p == null) {
                return null;
            }
            try (InputStream in = p.getInputStream()) {
                return new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (ServletException e) {
            throw ApiException.badRequest("the body is not valid multipart/form-data: " + rootMessage(e));
        }
    }

    private static boolean flag(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "on", "yes" -> true;
            case "false", "0", "off", "no" -> false;
            default -> throw ApiException.invalid("'restore_secrets' must be true or false",
                    List.of("restore_secrets: must be true or false"));
        };
    }

    private static char[] chars(String s) {
        return s == null || s.isEmpty() ? null : s.toCharArray();
    }

    private interface Call<T> {
        T run();
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (InvalidBackupException e) {
            String field = e.field() == null ? "backup" : e.field();
            throw new ApiException(422, "invalid-backup", "Invalid backup", e.getMessage(),
                    List.of(field + ": " + e.getMessage())).with("field", field);
        } catch (UnknownBackupException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (IllegalStateException e) {
            throw ApiException.unavailable("backup-unavailable", "Backups unavailable", e.getMessage());
        }
    }

    private static <T> T call(java.util.function.Function<char[], T> f, char[] arg) {
        return call(() -> f.apply(arg));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
