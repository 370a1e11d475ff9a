package io.opencql.grafana.backend;

import java.util.Map;

@FunctionalInterface
public interface CheckHealthHandler {
    CheckHealthResult checkHealth(PluginContext context, Map<String, String> headers, RequestContext rc) throws Exception;
}
