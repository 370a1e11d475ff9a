package io.opencql.grafana.transport;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.opencql.grafana.backend.CheckHealthHandler;
import io.opencql.grafana.backend.CheckHealthResult;
import io.opencql.grafana.metrics.PluginMetrics;
import io.opencql.grafana.transport.proto.pluginv2.CheckHealthRequest;
import io.opencql.grafana.transport.proto.pluginv2.CheckHealthResponse;
import io.opencql.grafana.transport.proto.pluginv2.CollectMetricsRequest;
import io.opencql.grafana.transport.proto.pluginv2.CollectMetricsResponse;
import io.opencql.grafana.transport.proto.pluginv2.DiagnosticsGrpc;

final class DiagnosticsService extends DiagnosticsGrpc.DiagnosticsImplBase {

    private final CheckHealthHandler handler;
    private final PluginMetrics metrics;
    private final CallGuard guard;

    DiagnosticsService(CheckHealthHandler handler, PluginMetrics metrics, CallGuard guard) {
        this.handler = handler;
        this.metrics = metrics;
        this.guard = guard;
    }

    @Override
    public void checkHealth(CheckHealthRequest request, StreamObserver<CheckHealthResponse> observer) {
        guard.unary("checkHealth", observer, () -> {
            if (handler == null) {
                return HealthAdapter.health(CheckHealthResult.ok(""));
            }
            return HealthAdapter.health(handler.checkHealth(HealthAdapter.health(request, TenantInterceptor.tenant()),
                    GrpcRequestContext.current()));
        }, error -> HealthAdapter.health(CheckHealthResult.error("internal error in the plugin: " + error)));
    }

    @Override
    public void collectMetrics(CollectMetricsRequest request, StreamObserver<CollectMetricsResponse> observer) {
        guard.unary("collectMetrics", observer, () -> CollectMetricsResponse.newBuilder()
                .setMetrics(CollectMetricsResponse.Payload.newBuilder().setPrometheus(ByteString.copyFrom(metrics.scrape())))
                .build(), null);
    }
}
