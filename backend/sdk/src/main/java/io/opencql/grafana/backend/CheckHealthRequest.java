package io.opencql.grafana.backend;

import java.util.Map;

/** A CheckHealth call (Save &amp; test): the data source's context and the headers Grafana forwarded. */
public record CheckHealthRequest(PluginContext context, Map<String, String> headers) {

    public CheckHealthRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** A forwarded header, bare or with Grafana's {@code http_} prefix, matched case-insensitively. */
    public String header(String name) {
        return Headers.find(headers, name);
    }
}
