package gateway.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;

/**
 * Bundle uploads as multipart/form-data, parsed by Jetty's servlet multipart support (the servlet's multipart
 * configuration) rather than by hand: the field is found, bad bodies are 400, and the size limit is 413 whether the
 * client declares the length or streams the body chunked.
 */
class BundleUploadTest extends ApiTestBase {

    private static final String BOUNDARY = "----gatewayTestBoundary7MA4YWxk";

    private static byte[] multipart(String field, String fileName, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] bundleJar(String bsn) throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", "1.0.0");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        return out.toByteArray();
    }

    private Response upload(byte[] body, boolean chunked) throws Exception {
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return execute(HttpRequest.newBuilder(server.uri("/api/bundles"))
                .header("Authorization", basic("ada", "pw-ada"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(publisher).build());
    }

    private static void assertProblem(Response r, int status, String detailPart) {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertTrue(r.json().get("detail").asText().contains(detailPart), r.body());
    }

    @Test
    void theBundleFieldOfAMultipartUploadReachesTheBundleCheck() throws Exception {
        // past parsing and the manifest check, the unit test has no framework to install into: 503 proves the jar
        // came out of the part intact (a mangled one would be 400 "not an OSGi bundle")
        Response r = upload(multipart("bundle", "driver.jar", bundleJar("acme.driver")), false);
        assertEquals(503, r.status(), r.body());
        assertEquals(Problem.type("bundles-unavailable"), r.json().get("type").asText());
    }

    @Test
    void aMultipartUploadWithoutTheBundleFieldIs400() throws Exception {
        assertProblem(upload(multipart("file", "driver.jar", bundleJar("acme.driver")), false), 400,
                "no field 'bundle'");
    }

    @Test
    void aPartThatIsNoJarIs400() throws Exception {
        assertProblem(upload(multipart("bundle", "notes.txt", "hello".getBytes(StandardCharsets.UTF_8)), false),
                400, "not a jar");
    }

    @Test
    void brokenMultipartFramingIs400() throws Exception {
        byte[] body = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"bundle\"\r\n\r\nPK and no end")
                .getBytes(StandardCharsets.UTF_8);
        Response r = upload(body, false);
        assertEquals(400, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
    }

    @Test
    void anUploadOverTheLimitIs413WhetherDeclaredOrChunked() throws Exception {
        servlet.bundles.maxBytes = 200 * 1024;
        byte[] body = multipart("bundle", "big.jar", new byte[300 * 1024]);
        assertProblem(upload(body, false), 413, "limited to");
        assertProblem(upload(body, true), 413, "limited to");
    }

    @Test
    void crossingTheContainersMultipartCeilingIs413() throws Exception {
        // the configured limit is far above; the container's own ceiling (here 4 KiB) stops the parse
        servlet.bundles.maxBytes = 1024 * 1024;
        server.close();
        server = new JettyServer(security, java.util.Map.of(ApiServlet.MOUNT + "/*", servlet),
                new jakarta.servlet.MultipartConfigElement("", 4096, 4096, 4096));
        byte[] body = multipart("bundle", "big.jar", new byte[8192]);
        assertProblem(upload(body, true), 413, "limited to");
    }
}
