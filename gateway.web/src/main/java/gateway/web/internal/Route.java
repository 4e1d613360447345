package gateway.web.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import gateway.core.api.UserStore.Role;

/**
 * One entry of the API's route table: an HTTP method, a path template below the servlet's mount point
 * ({@code /heatpumps/{id}}), the least role it needs (null = no authentication) and what answers it.
 */
record Route(String method, String template, Role role, String summary, Handler handler) {

    /** Answers a matched request; returns the body of a 200 response or a {@link Reply}. */
    @FunctionalInterface
    interface Handler {
        Object handle(ApiRequest request) throws Exception;
    }

    Route {
        segments(template); // fails early on a malformed template
    }

    /** The full path as a client sees it, e.g. {@code /api/heatpumps/{id}}. */
    String path() {
        return ApiServlet.MOUNT + template;
    }

    boolean isPublic() {
        return role == null;
    }

    /** The path parameters when {@code path} fits this template, else null. */
    Map<String, String> match(List<String> path) {
        List<String> parts = segments(template);
        if (parts.size() != path.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            String actual = path.get(i);
            if (part.startsWith("{") && part.endsWith("}")) {
                if (actual.isEmpty()) {
                    return null;
                }
                params.put(part.substring(1, part.length() - 1), actual);
            } else if (!part.equals(actual)) {
                return null;
            }
        }
        return params;
    }

    /** Literal segments make a template more specific: {@code /data/all} wins over {@code /data/{id}}. */
    int literalCount() {
        return (int) segments(template).stream().filter(s -> !s.startsWith("{")).count();
    }

    static List<String> segments(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (trimmed.equals("/")) {
            return List.of();
        }
        return List.of(trimmed.substring(1).split("/", -1));
    }
}
