package gateway.app.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import gateway.core.api.Notification;
import gateway.core.api.NotificationChannel;
import gateway.core.api.NotificationChannelStore.ChannelConfig;
import gateway.core.api.NotificationChannels;
import gateway.core.api.NotificationOutbox;

/**
 * The notification bundle in the real framework: every channel kind is registered, and an e-mail goes from the
 * outbox through Jakarta Mail and Angus (OSGi bundles wired by the resolver, providers found across bundles) to a
 * real SMTP server (Debian's python3-aiosmtpd, .ci/setup.d/smtp.sh).
 */
@ExtendWith(ServiceExtension.class)
class NotificationDeliveryTest {

    /** A minimal aiosmtpd server: prints "ready", writes each message's envelope recipients and body to a file. */
    static final String SMTP_SERVER = """
            import sys, os
            from aiosmtpd.controller import Controller
            port, maildir = int(sys.argv[1]), sys.argv[2]
            class Store:
                count = 0
                async def handle_DATA(self, server, session, envelope):
                    Store.count += 1
                    path = os.path.join(maildir, str(Store.count) + ".eml")
                    with open(path + ".tmp", "wb") as f:
                        f.write(("X-Envelope-To: " + ",".join(envelope.rcpt_tos) + "\\r\\n").encode())
                        f.write(envelope.original_content)
                    os.rename(path + ".tmp", path)
                    return "250 OK"
            controller = Controller(Store(), hostname="127.0.0.1", port=port)
            controller.start()
            print("ready", flush=True)
            sys.stdin.read()
            controller.stop()
            """;

    @InjectService
    NotificationChannels channels;

    @InjectService
    NotificationOutbox outbox;

    @InjectService(cardinality = 8, timeout = 10_000)
    List<NotificationChannel> kinds;

    @TempDir
    Path dir;

    @Test
    void everyChannelKindIsRegistered() {
        // mqtt: gateway.core.mqtt's kind
        assertEquals(List.of("discord", "email", "gotify", "mqtt", "ntfy", "signal", "telegram", "webhook"),
                channels.types().stream().map(NotificationChannels.ChannelType::type).toList());
        assertEquals(8, kinds.size());
    }

    @Test
    void anEmailLeavesTheOutboxThroughJakartaMailInTheFramework() throws Exception {
        Path script = Files.writeString(dir.resolve("smtp.py"), SMTP_SERVER);
        Path maildir = Files.createDirectories(dir.resolve("mail"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process smtp = new ProcessBuilder(python, script.toString(), String.valueOf(port), maildir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ChannelConfig channel = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(smtp.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    return null;
                }
            }).get(60, TimeUnit.SECONDS);
            assertEquals("ready", first, "aiosmtpd started (bash .ci/setup.d/smtp.sh installs it)");

            channel = channels.save(new ChannelConfig(null, "email", "Mail (itest)", true, Map.of(
                    "host", "127.0.0.1", "port", String.valueOf(port), "security", "none",
                    "from", "gateway@example.org", "to", "anna@example.org,ben@example.org"), null));
            String id = channel.id();
            // a key of its own: the framework's data folder (target/itest-data) outlives a run, and a key the outbox
            // already knows is not enqueued again
            String key = "itest-mail-" + java.util.UUID.randomUUID();
            List<NotificationOutbox.Entry> written = outbox.enqueue(new Notification(key,
                    "Hot water low", "Hot water is 38.5 °C", "warning", List.of(id), "hp-1", "itest", null));
            assertEquals(1, written.size());

            Await.until("the e-mail entry delivered", Duration.ofSeconds(30), () -> outbox
                    .entries(NotificationOutbox.State.DELIVERED, 50).stream()
                    .anyMatch(e -> e.notification().key().equals(key)));
            Path mail = maildir.resolve("1.eml");
            assertTrue(Files.exists(mail));
            String text = Files.readString(mail, StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("X-Envelope-To: anna@example.org,ben@example.org"), text);
            assertTrue(text.contains("Subject: Hot water low"), text);
            assertTrue(text.contains("Message-ID: <" + key + "_" + id + "@heatpump-gateway>"), text);
            assertTrue(!Files.exists(maildir.resolve("2.eml")), "sent once");
        } finally {
            if (channel != null) {
                channels.delete(channel.id());
            }
            smtp.getOutputStream().close();
            if (!smtp.waitFor(20, TimeUnit.SECONDS)) {
                smtp.destroyForcibly();
            }
        }
    }
}
