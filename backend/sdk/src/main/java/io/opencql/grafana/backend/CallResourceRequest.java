package io.opencql.grafana.backend;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A call to {@code /api/datasources/uid/<uid>/resources/<path>}. {@code path} has no leading slash;
 * {@code url} is the path plus the query string.
 */
public record CallResourceRequest(PluginContext context, String path, String method, String url,
                                  Map<String, List<String>> headers, byte[] body) {

    public CallResourceRequest {
        path = path == null ? "" : path;
        method = method == null || method.isEmpty() ? "GET" : method;
        url = url == null ? path : url;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** The decoded query parameters of {@code url} (first value of each). */
    public Map<String, String> queryParameters() {
        Map<String, String> params = new LinkedHashMap<>();
        int q = url.indexOf('?');
        if (q < 0) {
            return params;
        }
        for (String pair : url.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(k, v);
        }
        return params;
    }
}
