package io.opencql.grafana.transport;

import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.User;

/** The plugin context every call carries, from protobuf to the SDK's own type. */
final class ContextAdapter {

    private ContextAdapter() {
    }

    static PluginContext context(io.opencql.grafana.transport.proto.pluginv2.PluginContext p, String tenantId) {
        User user = p.hasUser() ? new User(p.getUser().getLogin(), p.getUser().getName(), p.getUser().getEmail(), p.getUser().getRole()) : null;
        DataSourceSettings ds = null;
        if (p.hasDataSourceInstanceSettings()) {
            var s = p.getDataSourceInstanceSettings();
            ds = new DataSourceSettings(s.getId(), s.getUid(), s.getName(), s.getUrl(), s.getUser(), s.getDatabase(),
                    s.getBasicAuthEnabled(), s.getBasicAuthUser(), s.getJsonData().toByteArray(),
                    s.getDecryptedSecureJsonDataMap(), s.getLastUpdatedMS(), s.getApiVersion());
        }
        return new PluginContext(p.getOrgId(), p.getPluginId(), user, ds, p.getGrafanaConfigMap(),
                p.getPluginVersion(), p.getUserAgent(), tenantId);
    }
}
