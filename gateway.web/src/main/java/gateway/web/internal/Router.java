package gateway.web.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import gateway.core.api.UserStore.Role;

/** The route table and its lookup; the table is public to the bundle so a test can compare it to the OpenAPI file. */
final class Router {

    /** The outcome of a lookup: a route, or the methods the path does allow (empty = unknown path). */
    record Match(Route route, Map<String, String> params, Set<String> allowed) {
        boolean found() {
            return route != null;
        }

        boolean pathKnown() {
            return route != null || !allowed.isEmpty();
        }
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String template, Role role, String summary, Route.Handler handler) {
        for (Route r : routes) {
            if (r.method().equals(method) && r.template().equals(template)) {
                throw new IllegalArgumentException("duplicate route " + method + " " + template);
            }
        }
        routes.add(new Route(method, template, role, summary, handler));
        return this;
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    Match match(String method, String path) {
        List<String> segments;
        try {
            segments = Route.segments(path == null || path.isEmpty() ? "/" : path);
        } catch (IllegalArgumentException e) {
            return new Match(null, Map.of(), Set.of());
        }
        Route best = null;
        Map<String, String> bestParams = Map.of();
        Set<String> allowed = new LinkedHashSet<>();
        List<Route> candidates = new ArrayList<>(routes);
        candidates.sort(Comparator.comparingInt(Route::literalCount).reversed());
        int matchedLiterals = -1;
        for (Route route : candidates) {
            Map<String, String> params = route.match(segments);
            if (params == null) {
                continue;
            }
            // a more specific template that matched the path hides less specific ones (/data/all vs /data/{id})
            if (matchedLiterals >= 0 && route.literalCount() < matchedLiterals) {
                break;
            }
            matchedLiterals = route.literalCount();
            allowed.add(route.method());
            if (best == null && route.method().equals(method)) {
                best = route;
                bestParams = params;
            }
        }
        return new Match(best, bestParams, allowed);
    }
}
