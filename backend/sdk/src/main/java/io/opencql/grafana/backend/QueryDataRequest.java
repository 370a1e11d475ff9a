package io.opencql.grafana.backend;

import java.util.List;
import java.util.Map;

public record QueryDataRequest(PluginContext context, Map<String, String> headers, List<DataQuery> queries) {

    public QueryDataRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        queries = List.copyOf(queries);
    }

    /** A forwarded header, bare or with Grafana's {@code http_} prefix, matched case-insensitively. */
    public String header(String name) {
        return Headers.find(headers, name);
    }

    /** True when Grafana Alerting (an alert or recording rule evaluation) sent the request: header {@code FromAlert}. */
    public boolean fromAlert() {
        return "true".equalsIgnoreCase(header("FromAlert"));
    }
}
