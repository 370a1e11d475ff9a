package io.opencql.grafana.resource;

import io.opencql.grafana.backend.CallResourceHandler;
import io.opencql.grafana.backend.CallResourceRequest;
import io.opencql.grafana.backend.CallResourceResponse;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.backend.ResourceSender;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CallResource by method and path pattern ({@code keyspaces}, {@code tables/{keyspace}}: a {@code {name}} segment
 * matches any one segment and is handed to the route). What no route answers is answered here alike for every data
 * source, as JSON {@code {"error": "..."}}: 404 for an unknown path (naming the paths there are), 405 with
 * {@code Allow} for a known path and another method, 500 "internal error" for a route that threw (logged; the
 * client never sees the exception).
 */
public final class ResourceRouter implements CallResourceHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceRouter.class);

    /** Answers one resource call a pattern matched. */
    @FunctionalInterface
    public interface Route {
        CallResourceResponse answer(ResourceCall call) throws Exception;
    }

    private record Entry(String method, String pattern, String[] segments, Route route) {
        /** The path parameters when {@code path} matches, else null. */
        Map<String, String> match(String[] path) {
            if (path.length != segments.length) {
                return null;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < segments.length; i++) {
                String s = segments[i];
                if (s.startsWith("{") && s.endsWith("}")) {
                    params.put(s.substring(1, s.length() - 1), path[i]);
                } else if (!s.equals(path[i])) {
                    return null;
                }
            }
            return params;
        }
    }

    private final List<Entry> routes = new ArrayList<>();

    /** Adds a route; the first route that matches a call's method and path answers it. */
    public ResourceRouter route(String method, String pattern, Route route) {
        String p = normalise(pattern);
        routes.add(new Entry(method.toUpperCase(java.util.Locale.ROOT), p, segments(p), route));
        return this;
    }

    public ResourceRouter get(String pattern, Route route) {
        return route("GET", pattern, route);
    }

    @Override
    public void callResource(CallResourceRequest request, ResourceSender sender, RequestContext context) {
        sender.send(answer(request, context));
    }

    /** The one response to {@code request}. */
    public CallResourceResponse answer(CallResourceRequest request, RequestContext context) {
        String path = normalise(request.path());
        String[] segments = segments(path);
        Set<String> allowed = new LinkedHashSet<>();
        for (Entry e : routes) {
            Map<String, String> params = e.match(segments);
            if (params == null) {
                continue;
            }
            if (!e.method().equalsIgnoreCase(request.method())) {
                allowed.add(e.method());
                continue;
            }
            try {
                return e.route().answer(new ResourceCall(request, params, context));
            } catch (Exception ex) {
                LOG.error("resource {} failed", request.path(), ex);
                return CallResourceResponse.error(500, "internal error");
            }
        }
        if (allowed.isEmpty()) {
            Set<String> known = new LinkedHashSet<>();
            routes.forEach(e -> known.add(e.pattern()));
            return CallResourceResponse.error(404, "unknown resource \"" + path + "\"; available: " + String.join(", ", known));
        }
        CallResourceResponse denied = CallResourceResponse.error(405, "method " + request.method() + " not allowed on " + path
                + "; use " + String.join(" or ", allowed));
        return new CallResourceResponse(405, Map.of("Content-Type", List.of("application/json"),
                "Allow", List.of(String.join(", ", allowed))), denied.body());
    }

    /** The path without its query string and without leading or trailing slashes. */
    static String normalise(String path) {
        String p = path == null ? "" : path;
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        int from = 0;
        int to = p.length();
        while (from < to && p.charAt(from) == '/') {
            from++;
        }
        while (to > from && p.charAt(to - 1) == '/') {
            to--;
        }
        return p.substring(from, to);
    }

    private static String[] segments(String normalised) {
        return normalised.isEmpty() ? new String[] {""} : normalised.split("/", -1);
    }
}
