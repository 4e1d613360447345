package gateway.core.notification.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real SMTP server: Debian's python3-aiosmtpd (installed by .ci/setup.d/smtp.sh) running
 * {@code smtp_server.py} on a free loopback port, storing each accepted message as files the test reads.
 */
final class SmtpServer implements AutoCloseable {

    record Received(List<String> envelope, byte[] message) {
        String envelopeValue(String name) {
            return envelope.stream().filter(l -> l.startsWith(name + "=")).map(l -> l.substring(name.length() + 1))
                    .findFirst().orElse(null);
        }

        List<String> envelopeValues(String name) {
            return envelope.stream().filter(l -> l.startsWith(name + "=")).map(l -> l.substring(name.length() + 1))
                    .toList();
        }
    }

    final int port;
    final Path maildir;
    private final Process process;

    private SmtpServer(int port, Path maildir, Process process) {
        this.port = port;
        this.maildir = maildir;
        this.process = process;
    }

    /** @param tls a certificate and key for STARTTLS, or null for a plain server */
    static SmtpServer start(Path dir, String user, String password, Path[] tls) throws Exception {
        Path script = dir.resolve("smtp_server.py");
        try (InputStream in = SmtpServer.class.getResourceAsStream("/smtp/smtp_server.py")) {
            Files.copy(in, script);
        }
        Path maildir = Files.createDirectories(dir.resolve("mail"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(python(), script.toString(), String.valueOf(port),
                maildir.toString(), user, password));
        if (tls != null) {
            command.add(tls[0].toString());
            command.add(tls[1].toString());
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        if (!"ready".equals(first)) {
            process.destroyForcibly();
            throw new IllegalStateException("aiosmtpd did not start (is python3-aiosmtpd installed? "
                    + "bash .ci/setup.d/smtp.sh): " + first);
        }
        return new SmtpServer(port, maildir, process);
    }

    /** Debian's interpreter, which has the Debian package; a pyenv or venv python on the PATH may not. */
    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** A self-signed certificate for CN=localhost (IP SAN 127.0.0.1), made with openssl. */
    static Path[] selfSignedCertificate(Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl failed: " + output);
        }
        return new Path[] {cert, key};
    }

    /** Messages accepted so far, in order. */
    List<Received> received() throws IOException {
        List<Received> out = new ArrayList<>();
        for (int n = 1; Files.exists(maildir.resolve(n + ".env")); n++) {
            out.add(new Received(Files.readAllLines(maildir.resolve(n + ".env")),
                    Files.readAllBytes(maildir.resolve(n + ".eml"))));
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
