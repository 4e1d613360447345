package gateway.web.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import gateway.core.api.HeatpumpDriver;
import gateway.core.api.UserStore.Role;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;

/**
 * {@code /bundles} (admin): the framework's bundles, and installing, starting, stopping, updating and uninstalling
 * them at runtime. Only bundles that came through this API or the deploy folder may be stopped or removed; the
 * gateway's own runtime (framework, core, web, Jetty, SCR...) is refused with 409.
 */
final class BundleResource implements FrameworkListener {

    private static final Logger LOG = LoggerFactory.getLogger(BundleResource.class);
    /** Location prefix of bundles installed through the API; the framework keeps it across restarts. */
    static final String LOCATION_PREFIX = "gateway-api:";
    static final List<String> MEDIA_TYPES = List.of("application/java-archive", "application/octet-stream",
            "application/x-java-archive", "multipart/form-data");

    record BundleView(long id, String symbolicName, String version, String state, String location,
                      List<String> provides, String error) {
    }

    private final BundleContext context;
    volatile long maxBytes;
    /** Last start or resolve failure per bundle id, from this API and from the framework's own error events. */
    private final Map<Long, String> errors = new ConcurrentHashMap<>();

    BundleResource(BundleContext context, long maxBytes) {
        this.context = context;
        this.maxBytes = maxBytes;
    }

    void register(Router router) {
        router.add("GET", "/bundles", Role.ADMIN, "Installed bundles with state and the drivers they provide",
                        r -> bundles().stream().map(this::view).toList())
                .add("POST", "/bundles", Role.ADMIN,
                        "Install and start a bundle (body: the jar, or multipart field 'bundle')", this::install)
                .add("GET", "/bundles/{id}", Role.ADMIN, "One bundle", r -> view(bundle(r)))
                .add("PUT", "/bundles/{id}", Role.ADMIN, "Update a bundle with a new jar (body as for POST)",
                        this::update)
                .add("DELETE", "/bundles/{id}", Role.ADMIN, "Uninstall a bundle", this::uninstall)
                .add("POST", "/bundles/{id}/start", Role.ADMIN, "Start a bundle", this::start)
                .add("POST", "/bundles/{id}/stop", Role.ADMIN, "Stop a bundle", this::stop);
    }

    private BundleContext ctx() {
        if (context == null) {
            throw ApiException.unavailable("bundles-unavailable", "Bundle management unavailable",
                    "bundle management needs the OSGi framework");
        }
        return context;
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.ERROR && event.getBundle() != null) {
            Throwable t = event.getThrowable();
            errors.put(event.getBundle().getBundleId(), t == null ? "error" : describe(t));
        }
    }

    private List<Bundle> bundles() {
        List<Bundle> out = new ArrayList<>(List.of(ctx().getBundles()));
        out.sort((a, b) -> Long.compare(a.getBundleId(), b.getBundleId()));
        return out;
    }

    private Bundle bundle(ApiRequest request) {
        String text = request.param("id");
        long id;
        try {
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no bundle '" + text + "'");
        }
        Bundle b = ctx().getBundle(id);
        if (b == null || b.getState() == Bundle.UNINSTALLED) {
            throw ApiException.notFound("no bundle " + id);
        }
        return b;
    }

    BundleView view(Bundle b) {
        return new BundleView(b.getBundleId(), b.getSymbolicName(), b.getVersion().toString(), state(b),
                b.getLocation(), provides(b), errors.get(b.getBundleId()));
    }

    static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.INSTALLED -> "installed";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.STARTING -> "starting";
            case Bundle.ACTIVE -> "active";
            case Bundle.STOPPING -> "stopping";
            default -> "uninstalled";
        };
    }

    /** "manufacturer/model" of each driver the bundle registers, from the service properties (no service call). */
    private static List<String> provides(Bundle b) {
        List<String> out = new ArrayList<>();
        ServiceReference<?>[] refs = b.getState() == Bundle.ACTIVE ? b.getRegisteredServices() : null;
        if (refs == null) {
            return out;
        }
        for (ServiceReference<?> ref : refs) {
            Object classes = ref.getProperty(Constants.OBJECTCLASS);
            if (classes instanceof String[] names && List.of(names).contains(HeatpumpDriver.class.getName())) {
                Object m = ref.getProperty(HeatpumpDriver.MANUFACTURER_PROPERTY);
                Object model = ref.getProperty(HeatpumpDriver.MODEL_PROPERTY);
                out.add(m + "/" + model);
            }
        }
        out.sort(null);
        return out;
    }

    /** The gateway's runtime, which the API will not stop or remove. */
    private static boolean managed(Bundle b) {
        String bsn = b.getSymbolicName() == null ? "" : b.getSymbolicName();
        if (b.getBundleId() == 0 || bsn.startsWith("gateway.core.") || bsn.equals("gateway.web")
                || bsn.equals("gateway.app")) {
            return false;
        }
        String location = b.getLocation();
        return location.startsWith(LOCATION_PREFIX) || deployFile(b) != null;
    }

    private Path deployFileOf(Bundle b) {
        return deployFile(b);
    }

    /** The file in the watched deploy folder a bundle came from (File Install uses the file URI), or null. */
    private static Path deployFile(Bundle b) {
        String location = b.getLocation();
        if (!location.startsWith("file:")) {
            return null;
        }
        try {
            Path p = Path.of(URI.create(location));
            return p.getParent() != null && p.getParent().getFileName() != null
                    && p.getParent().getFileName().toString().equals("deploy") ? p : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void requireManaged(Bundle b, String action) {
        if (!managed(b)) {
            throw new ApiException(409, "protected-bundle", "Protected bundle", "bundle " + b.getBundleId() + " ("
                    + b.getSymbolicName() + ") is part of the gateway runtime and cannot be " + action, null);
        }
    }

    // --- upload

    /** The jar from the body (raw or multipart), checked to be a bundle; 400/413/415 otherwise. */
    private byte[] jar(ApiRequest request) throws IOException {
        String contentType = request.contentType() == null ? "" : request.contentType();
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!MEDIA_TYPES.contains(media)) {
            throw new ApiException(415, "unsupported-media-type", "Unsupported media type",
                    "upload the jar as application/java-archive, application/octet-stream or multipart/form-data"
                            + " (field 'bundle'), not '" + contentType + "'", null)
                    .header("Accept-Post", "application/java-archive, multipart/form-data");
        }
        byte[] body = media.equals("multipart/form-data") ? multipartField(request, "bundle") : readLimited(request);
        if (body.length == 0) {
            throw ApiException.badRequest("the request body must be the bundle jar");
        }
        return body;
    }

    /** Multipart framing (boundaries, part headers) on top of the file itself that a declared length may carry. */
    private static final long MULTIPART_FRAMING = 64 * 1024;

    /** One file field of a multipart/form-data body, parsed by the servlet container (the servlet's multipart config). */
    private byte[] multipartField(ApiRequest request, String field) throws IOException {
        HttpServletRequest servletRequest = request.servletRequest();
        if (servletRequest.getContentLengthLong() > maxBytes + MULTIPART_FRAMING) {
            throw tooLarge();
        }
        Part part;
        try {
            part = servletRequest.getPart(field);
        } catch (ServletException | IOException | IllegalStateException e) {
            throw multipartFailure(e);
        }
        if (part == null) {
            throw ApiException.badRequest("the multipart body has no field '" + field + "'");
        }
        try {
            if (part.getSize() > maxBytes) {
                throw tooLarge();
            }
            try (InputStream in = part.getInputStream()) {
                return in.readAllBytes();
            }
        } finally {
            part.delete();
        }
    }

    /**
     * What a failed multipart parse means. Jetty 12 wraps everything in a ServletException ("400: bad multipart")
     * and says why only at the bottom of the chain: an IllegalStateException "max length exceeded" when the
     * container's ceiling ({@link ApiServlet#MULTIPART_MAX_BYTES}) is crossed (413), "No multipart configuration"
     * when the servlet was registered without multipart support (our fault, so not a 4xx), anything else a broken
     * body (400).
     */
    private ApiException multipartFailure(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        if (root instanceof IllegalStateException && lower.contains("exceeded")) {
            return tooLarge();
        }
        if (lower.contains("no multipart config")) {
            throw new IllegalStateException("the API servlet is registered without multipart support", e);
        }
        return ApiException.badRequest("the body is not valid multipart/form-data: " + message);
    }

    private byte[] readLimited(ApiRequest request) throws IOException {
        long declared = request.servletRequest().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = request.servletRequest().getInputStream()) {
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (out.size() > maxBytes) {
                    throw tooLarge();
                }
            }
        }
        return out.toByteArray();
    }

    private ApiException tooLarge() {
        return new ApiException(413, "payload-too-large", "Payload too large",
                "bundles are limited to " + (maxBytes / (1024 * 1024)) + " MiB", null);
    }

    /** Symbolic name and version from the manifest; 400 when the bytes are not a jar or not a bundle. */
    static String[] identity(byte[] jar) {
        String bad = "the upload is not an OSGi bundle: ";
        if (jar.length < 4 || jar[0] != 'P' || jar[1] != 'K') {
            throw ApiException.badRequest(bad + "not a jar (zip) file");
        }
        Manifest manifest;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            manifest = in.getManifest();
        } catch (ZipException e) {
            throw ApiException.badRequest(bad + "broken zip (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw ApiException.badRequest(bad + "unreadable jar (" + e.getMessage() + ")");
        }
        if (manifest == null) {
            throw ApiException.badRequest(bad + "no META-INF/MANIFEST.MF");
        }
        String bsn = manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (bsn == null || bsn.isBlank()) {
            throw ApiException.badRequest(bad + "the manifest has no Bundle-SymbolicName");
        }
        String version = manifest.getMainAttributes().getValue(Constants.BUNDLE_VERSION);
        return new String[] {bsn.split(";", 2)[0].trim(), version == null ? "0.0.0" : version.trim()};
    }

    private Object install(ApiRequest request) throws Exception {
        byte[] jar = jar(request);
        String[] id = identity(jar);
        for (Bundle b : ctx().getBundles()) {
            if (id[0].equals(b.getSymbolicName())) {
                throw new ApiException(409, "bundle-exists", "Bundle exists", "bundle " + b.getBundleId() + " ("
                        + id[0] + " " + b.getVersion() + ") is installed already; update it with PUT /api/bundles/"
                        + b.getBundleId(), null).with("id", b.getBundleId());
            }
        }
        Bundle bundle;
        try {
            bundle = ctx().installBundle(LOCATION_PREFIX + id[0], new ByteArrayInputStream(jar));
        } catch (BundleException e) {
            throw ApiException.badRequest("the framework refused the bundle: " + e.getMessage());
        }
        LOG.info("bundle installed id={} bsn={} version={} by={}", bundle.getBundleId(), id[0], id[1],
                request.actor());
        try {
            startChecked(bundle);
        } catch (ApiException unresolved) {
            // nothing half-installed stays behind
            bundle.uninstall();
            errors.remove(bundle.getBundleId());
            LOG.info("bundle uninstalled again id={} bsn={}: does not resolve", bundle.getBundleId(), id[0]);
            throw unresolved;
        }
        return Reply.created(ApiServlet.MOUNT + "/bundles/" + bundle.getBundleId(), view(bundle));
    }

    /**
     * Starts; a bundle that does not resolve is a 409 naming the missing requirement; one whose activator throws
     * stays installed and reports the error in its view.
     */
    private void startChecked(Bundle bundle) {
        try {
            bundle.start();
            errors.remove(bundle.getBundleId());
        } catch (BundleException e) {
            if (e.getType() == BundleException.RESOLVE_ERROR || bundle.getState() == Bundle.INSTALLED) {
                throw new ApiException(409, "unresolved-bundle", "Bundle does not resolve",
                        "bundle " + bundle.getSymbolicName() + " does not resolve: " + e.getMessage(), null)
                        .with("missing", missingRequirement(e.getMessage()));
            }
            errors.put(bundle.getBundleId(), describe(e));
            LOG.warn("bundle {} ({}) failed to start: {}", bundle.getBundleId(), bundle.getSymbolicName(),
                    describe(e));
        } catch (IllegalStateException e) {
            errors.put(bundle.getBundleId(), describe(e));
        }
    }

    /** Felix names it as {@code missing requirement [...] osgi.wiring.package; (osgi.wiring.package=x.y)}. */
    static String missingRequirement(String message) {
        if (message == null) {
            return null;
        }
        int i = message.lastIndexOf("missing requirement");
        return i < 0 ? message : message.substring(i).trim();
    }

    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 3; depth++, cause = cause.getCause()) {
            s.append(": ").append(cause.getClass().getSimpleName()).append(' ').append(cause.getMessage());
        }
        return s.toString();
    }

    private Object update(ApiRequest request) throws Exception {
        Bundle bundle = bundle(request);
        requireManaged(bundle, "updated");
        byte[] jar = jar(request);
        identity(jar);
        try {
            bundle.update(new ByteArrayInputStream(jar));
        } catch (BundleException e) {
            if (e.getType() == BundleException.RESOLVE_ERROR) {
                throw new ApiException(409, "unresolved-bundle", "Bundle does not resolve", e.getMessage(), null)
                        .with("missing", missingRequirement(e.getMessage()));
            }
            errors.put(bundle.getBundleId(), describe(e));
        }
        LOG.info("bundle updated id={} bsn={} by={}", bundle.getBundleId(), bundle.getSymbolicName(),
                request.actor());
        if (bundle.getState() != Bundle.ACTIVE) {
            startChecked(bundle);
        }
        return view(bundle);
    }

    private Object start(ApiRequest request) {
        Bundle bundle = bundle(request);
        if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
            throw new ApiException(409, "fragment", "Fragment", "a fragment cannot be started", null);
        }
        startChecked(bundle);
        LOG.info("bundle start id={} state={} by={}", bundle.getBundleId(), state(bundle), request.actor());
        return view(bundle);
    }

    private Object stop(ApiRequest request) throws BundleException {
        Bundle bundle = bundle(request);
        requireManaged(bundle, "stopped");
        bundle.stop();
        LOG.info("bundle stopped id={} bsn={} by={}", bundle.getBundleId(), bundle.getSymbolicName(),
                request.actor());
        return view(bundle);
    }

    private Object uninstall(ApiRequest request) throws BundleException, IOException {
        Bundle bundle = bundle(request);
        requireManaged(bundle, "uninstalled");
        Path file = deployFileOf(bundle);
        if (file != null) {
            // File Install would put it back from the folder otherwise
            Files.deleteIfExists(file);
        }
        long id = bundle.getBundleId();
        bundle.uninstall();
        errors.remove(id);
        LOG.info("bundle uninstalled id={} bsn={} by={}", id, bundle.getSymbolicName(), request.actor());
        return Reply.noContent();
    }

}
