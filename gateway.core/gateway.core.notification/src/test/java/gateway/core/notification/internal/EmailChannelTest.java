package gateway.core.notification.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.NotificationDeliveryException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/** The e-mail channel against a real SMTP server (aiosmtpd), plain with login and with STARTTLS. */
class EmailChannelTest {

    @TempDir
    Path dir;

    private static Map<String, String> settings(SmtpServer server, String security, String password) {
        Map<String, String> s = new HashMap<>(Map.of("host", "127.0.0.1", "port", String.valueOf(server.port),
                "security", security, "username", "gw", "password", password,
                "from", "Heatpump Gateway <gateway@example.org>", "to", "anna@example.org, ben@example.org"));
        return s;
    }

    @Test
    void sendsOneMessageToEveryRecipientAfterLoginWithAStableMessageId() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir, "gw", "pa55word", null)) {
            new EmailChannel().send(settings(server, "none", "pa55word"), HttpChannelsTest.ALERT,
                    "alert-event-7/ch-mail");
            List<SmtpServer.Received> received = server.received();
            assertEquals(1, received.size());
            SmtpServer.Received mail = received.get(0);
            assertEquals("gw", mail.envelopeValue("login"));
            assertEquals("gateway@example.org", mail.envelopeValue("from"));
            assertEquals(List.of("anna@example.org", "ben@example.org"), mail.envelopeValues("to"));
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(mail.message()));
            assertEquals("Hot water low", message.getSubject());
            assertEquals("Hot water is 38.5 °C", message.getContent().toString().strip());
            assertEquals("<alert-event-7_ch-mail@heatpump-gateway>", message.getMessageID());
            assertEquals("alert-event-7/ch-mail", message.getHeader("X-Gateway-Delivery-Key")[0]);
        }
    }

    @Test
    void startTlsProtectsTheLoginWhenTheServerCertificateIsTrusted() throws Exception {
        Path[] tls = SmtpServer.selfSignedCertificate(dir);
        try (SmtpServer server = SmtpServer.start(dir, "gw", "pa55word", tls)) {
            Map<String, String> s = settings(server, "starttls", "pa55word");
            // an unknown self-signed certificate is refused: nothing is sent, and a retry may help once trusted
            NotificationDeliveryException untrusted = assertThrows(NotificationDeliveryException.class,
                    () -> new EmailChannel().send(s, HttpChannelsTest.ALERT, "k/1"));
            assertFalse(untrusted.getMessage().contains("pa55word"));
            assertTrue(server.received().isEmpty());

            s.put("trusted_host", "127.0.0.1");
            new EmailChannel().send(s, HttpChannelsTest.ALERT, "k/2");
            SmtpServer.Received mail = server.received().get(0);
            assertEquals("True", mail.envelopeValue("tls"));
            assertEquals("gw", mail.envelopeValue("login"));
        }
    }

    @Test
    void aPlainServerIsRefusedWhenStartTlsIsAskedForSoThePasswordNeverTravelsInClear() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir, "gw", "pa55word", null)) {
            assertThrows(NotificationDeliveryException.class,
                    () -> new EmailChannel().send(settings(server, "starttls", "pa55word"), HttpChannelsTest.ALERT,
                            "k/1"));
            assertTrue(server.received().isEmpty());
        }
    }

    @Test
    void aWrongPasswordIsNotRetriedAndNeverShown() throws Exception {
        try (SmtpServer server = SmtpServer.start(dir, "gw", "pa55word", null)) {
            NotificationDeliveryException e = assertThrows(NotificationDeliveryException.class,
                    () -> new EmailChannel().send(settings(server, "none", "wrong-secret"), HttpChannelsTest.ALERT,
                            "k/1"));
            assertFalse(e.retryable());
            assertFalse(e.getMessage().contains("wrong-secret"));
            assertTrue(server.received().isEmpty());
        }
    }

    @Test
    void anUnreachableServerIsRetryable() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        NotificationDeliveryException e = assertThrows(NotificationDeliveryException.class,
                () -> new EmailChannel().send(Map.of("host", "127.0.0.1", "port", String.valueOf(port),
                        "security", "none", "from", "gw@example.org", "to", "a@example.org"),
                        HttpChannelsTest.ALERT, "k/1"));
        assertTrue(e.retryable(), e.getMessage());
    }

    @Test
    void validationRejectsBadAddressesAndALoginWithoutPassword() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new EmailChannel().validate(Map.of("host", "smtp.example.org", "from", "not an address",
                        "to", "a@example.org, @@", "username", "gw", "security", "ssl")));
        assertEquals(4, e.problems().size(), e.problems().toString());
    }
}
