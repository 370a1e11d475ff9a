package io.opencql.grafana.backend;

import java.util.Map;

/**
 * Who and what a request is for. {@code user} and {@code dataSource} may be null (metrics requests carry
 * neither; alerting carries no user). {@code tenantId} comes from the gRPC metadata of multi-tenant Grafana.
 */
public record PluginContext(
        long orgId,
        String pluginId,
        User user,
        DataSourceSettings dataSource,
        Map<String, String> grafanaConfig,
        String pluginVersion,
        String userAgent,
        String tenantId) {

    public PluginContext {
        grafanaConfig = grafanaConfig == null ? Map.of() : Map.copyOf(grafanaConfig);
        tenantId = tenantId == null ? "" : tenantId;
    }

    public static PluginContext forDataSource(DataSourceSettings ds) {
        return new PluginContext(1, "", null, ds, Map.of(), "", "", "");
    }
}
