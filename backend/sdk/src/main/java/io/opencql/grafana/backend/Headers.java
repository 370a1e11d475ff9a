package io.opencql.grafana.backend;

import java.util.Map;

final class Headers {
    private Headers() {
    }

    /** Grafana forwards headers bare (older versions) or prefixed with {@code http_}; read both, any case. */
    static String find(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            String k = e.getKey();
            if (k.equalsIgnoreCase(name) || (k.length() == name.length() + 5 && k.regionMatches(true, 0, "http_", 0, 5)
                    && k.regionMatches(true, 5, name, 0, name.length()))) {
                return e.getValue();
            }
        }
        return null;
    }
}
