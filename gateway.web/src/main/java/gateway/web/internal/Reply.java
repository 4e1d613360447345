package gateway.web.internal;

import java.util.Map;

/** A handler's answer when 200 with a JSON body is not enough: another status, no body, extra headers. */
record Reply(int status, Object body, Map<String, String> headers) {

    Reply {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** The handler wrote the response itself (a stream); the servlet adds nothing. */
    static final Reply STREAMED = new Reply(0, null, Map.of());

    static Reply created(String location, Object body) {
        return new Reply(201, body, Map.of("Location", location));
    }

    static Reply noContent() {
        return new Reply(204, null, Map.of());
    }
}
