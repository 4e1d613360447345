package gateway.core.notification.internal;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.osgi.service.component.annotations.Component;

import gateway.core.api.InvalidConfigurationException;
import gateway.core.api.Notification;
import gateway.core.api.NotificationChannel;
import gateway.core.api.NotificationDeliveryException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * E-mail over SMTP with Jakarta Mail (Eclipse Angus): STARTTLS (required, not opportunistic), implicit TLS or plain,
 * with login when a user name is set, to several recipients. The Message-ID is derived from the delivery key, so a
 * message retried after a lost answer carries the same id and mail clients that group by Message-ID show it once.
 */
@Component(service = NotificationChannel.class, property = NotificationChannel.TYPE_PROPERTY + "=email")
public final class EmailChannel implements NotificationChannel {

    static final int TIMEOUT_MILLIS = 15_000;

    @Override
    public String type() {
        return "email";
    }

    @Override
    public String description() {
        return "E-mail over SMTP (STARTTLS, TLS or plain; login); stable Message-ID per notification";
    }

    @Override
    public List<Setting> settings() {
        return List.of(new Setting("host", "SMTP server host name", true, false, null),
                new Setting("port", "SMTP port (default 587 for starttls, 465 for tls, 25 for none)", false, false,
                        null),
                new Setting("security", "starttls, tls or none", false, false, "starttls"),
                new Setting("username", "login name (optional: no login when empty)", false, false, null),
                new Setting("password", "login password", false, true, null),
                new Setting("from", "sender address", true, false, null),
                new Setting("to", "recipient addresses, comma-separated", true, false, null),
                new Setting("trusted_host", "trust this host's certificate without a CA (a self-signed relay)",
                        false, false, null));
    }

    @Override
    public void validate(Map<String, String> settings) throws InvalidConfigurationException {
        SettingsCheck check = new SettingsCheck(settings(), settings).integer("port", 1, 65535)
                .oneOf("security", "starttls", "tls", "none");
        address(check, "from", SettingsCheck.value(settings, "from"));
        for (String to : SettingsCheck.list(settings, "to")) {
            address(check, "to", to);
        }
        if (SettingsCheck.value(settings, "username") != null && SettingsCheck.value(settings, "password") == null) {
            check.problem("'password' is required with 'username'");
        }
        check.done();
    }

    private static void address(SettingsCheck check, String name, String value) {
        if (value == null) {
            return;
        }
        try {
            new InternetAddress(value, true);
        } catch (AddressException e) {
            check.problem("'" + name + "': '" + value + "' is not an e-mail address");
        }
    }

    @Override
    public void send(Map<String, String> settings, Notification n, String deliveryKey)
            throws NotificationDeliveryException {
        String username = SettingsCheck.value(settings, "username");
        String password = SettingsCheck.value(settings, "password");
        // Jakarta Mail finds its provider (Angus) and stream provider through the context class loader; in OSGi
        // that must be Angus's bundle, which this bundle wires to.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SMTPTransport.class.getClassLoader());
        try {
            Session session = Session.getInstance(properties(settings));
            MimeMessage message = new KeyedMessage(session, messageId(deliveryKey));
            message.setFrom(new InternetAddress(SettingsCheck.value(settings, "from"), true));
            message.setRecipients(Message.RecipientType.TO,
                    InternetAddress.parse(String.join(",", SettingsCheck.list(settings, "to")), true));
            message.setSubject(n.title().isBlank() ? "Heatpump Gateway" : n.title(),
                    StandardCharsets.UTF_8.name());
            message.setText(n.message(), StandardCharsets.UTF_8.name());
            message.setSentDate(Date.from(n.createdAt()));
            message.setHeader("X-Gateway-Delivery-Key", deliveryKey);
            if (username != null) {
                Transport.send(message, username, password);
            } else {
                Transport.send(message);
            }
        } catch (AuthenticationFailedException e) {
            throw new NotificationDeliveryException("SMTP login refused", false);
        } catch (MessagingException e) {
            throw classify(e, password);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    static Properties properties(Map<String, String> settings) {
        String security = SettingsCheck.value(settings, "security");
        security = security == null ? "starttls" : security.toLowerCase(Locale.ROOT);
        String port = SettingsCheck.value(settings, "port");
        if (port == null) {
            port = switch (security) {
                case "tls" -> "465";
                case "none" -> "25";
                default -> "587";
            };
        }
        boolean tls = security.equals("tls");
        String protocol = tls ? "smtps" : "smtp";
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put("mail.transport.protocol", protocol);
        props.put(p + "host", SettingsCheck.value(settings, "host"));
        props.put(p + "port", port);
        props.put(p + "auth", String.valueOf(SettingsCheck.value(settings, "username") != null));
        props.put(p + "connectiontimeout", String.valueOf(TIMEOUT_MILLIS));
        props.put(p + "timeout", String.valueOf(TIMEOUT_MILLIS));
        props.put(p + "writetimeout", String.valueOf(TIMEOUT_MILLIS));
        if (security.equals("starttls")) {
            // required: never fall back to sending the password in clear when the server offers no STARTTLS
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (tls) {
            props.put(p + "ssl.enable", "true");
        }
        if (!security.equals("none")) {
            props.put(p + "ssl.checkserveridentity", "true");
            String trusted = SettingsCheck.value(settings, "trusted_host");
            if (trusted != null) {
                props.put(p + "ssl.trust", trusted);
            }
        }
        return props;
    }

    /** A 4xx reply (mailbox busy, greylisting) or a broken connection can pass; a 5xx reply will not. */
    static NotificationDeliveryException classify(MessagingException e, String password) {
        int code = replyCode(e);
        String text = JsonPost.scrub("SMTP: " + (code > 0 ? code + " " : "") + describe(e),
                password == null ? List.of() : List.of(password));
        if (code >= 500) {
            return new NotificationDeliveryException(text, false);
        }
        if (code == 0 && e instanceof SendFailedException sf && sf.getInvalidAddresses() != null
                && sf.getInvalidAddresses().length > 0) {
            return new NotificationDeliveryException(text, false);
        }
        return new NotificationDeliveryException(text, true);
    }

    private static int replyCode(Throwable e) {
        for (Throwable t = e; t != null; t = t instanceof MessagingException m && m.getNextException() != null
                ? m.getNextException() : t.getCause()) {
            if (t instanceof SMTPSendFailedException s) {
                return s.getReturnCode();
            }
            if (t instanceof SMTPAddressFailedException s) {
                return s.getReturnCode();
            }
            if (t == t.getCause()) {
                break;
            }
        }
        return 0;
    }

    private static String describe(MessagingException e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        Exception next = e.getNextException();
        if (next != null && next.getMessage() != null && !text.contains(next.getMessage())) {
            text += " (" + next.getMessage().strip() + ")";
        }
        return text.length() > JsonPost.MAX_ANSWER ? text.substring(0, JsonPost.MAX_ANSWER) + "..." : text;
    }

    /** {@code <key@heatpump-gateway>} with the key reduced to characters a Message-ID may hold. */
    static String messageId(String deliveryKey) {
        return "<" + deliveryKey.replaceAll("[^A-Za-z0-9._-]", "_") + "@heatpump-gateway>";
    }

    /** Keeps the Message-ID set from the key instead of a fresh random one on every save. */
    private static final class KeyedMessage extends MimeMessage {
        private final String messageId;

        KeyedMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
