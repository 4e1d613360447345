package gateway.web.internal;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What is left of a request body when the API refuses the request before reading it (401, 403, 405, 413...). Jetty
 * closes a connection whose request body was left unread, possibly after the answer went out without saying so: a
 * client that sends its whole body before reading, or that reuses the kept-alive connection for its next request,
 * then meets a closed socket instead of the answer. Reading the rest (bounded) keeps the connection usable; beyond
 * the bound the answer says {@code Connection: close}, so the client does not reuse it.
 */
final class UnreadBody {

    /** How much of a refused body is read and dropped. */
    static final long LIMIT = 4L * 1024 * 1024;

    private UnreadBody() {
    }

    /** Call before writing a refusal. */
    static void discard(HttpServletRequest request, HttpServletResponse response) {
        if (request.getContentLengthLong() > LIMIT) {
            response.setHeader("Connection", "close");
            return;
        }
        try {
            InputStream in = request.getInputStream();
            byte[] buffer = new byte[65536];
            long drained = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                drained += n;
                if (drained > LIMIT) {
                    response.setHeader("Connection", "close");
                    return;
                }
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the body was read as characters already: nothing left to do
            response.setHeader("Connection", "close");
        }
    }
}
