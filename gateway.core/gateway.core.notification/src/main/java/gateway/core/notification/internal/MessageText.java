package gateway.core.notification.internal;

import gateway.core.api.Notification;

/** The plain text a chat service shows: the title on its own line, then the message. */
final class MessageText {

    private MessageText() {
    }

    static String of(Notification n) {
        return n.title().isBlank() ? n.message() : n.title() + "\n" + n.message();
    }

    /** Cut to a service's length limit, marking the cut. */
    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
