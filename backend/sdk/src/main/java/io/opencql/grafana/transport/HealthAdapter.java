package io.opencql.grafana.transport;

import com.google.protobuf.ByteString;
import io.opencql.grafana.backend.CheckHealthResult;
import io.opencql.grafana.transport.proto.pluginv2.CheckHealthResponse;

/** CheckHealth between protobuf and the SDK's types. */
final class HealthAdapter {

    private HealthAdapter() {
    }

    static io.opencql.grafana.backend.CheckHealthRequest health(io.opencql.grafana.transport.proto.pluginv2.CheckHealthRequest r,
                                                               String tenantId) {
        return new io.opencql.grafana.backend.CheckHealthRequest(ContextAdapter.context(r.getPluginContext(), tenantId), r.getHeadersMap());
    }

    static CheckHealthResponse health(CheckHealthResult r) {
        var b = CheckHealthResponse.newBuilder()
                .setStatus(switch (r.status()) {
                    case OK -> CheckHealthResponse.HealthStatus.OK;
                    case ERROR -> CheckHealthResponse.HealthStatus.ERROR;
                    case UNKNOWN -> CheckHealthResponse.HealthStatus.UNKNOWN;
                })
                .setMessage(r.message() == null ? "" : r.message());
        if (!r.details().isEmpty()) {
            b.setJsonDetails(ByteString.copyFromUtf8(Json.object(r.details())));
        }
        return b.build();
    }
}
