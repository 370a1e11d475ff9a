package io.opencql.grafana.transport;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.opencql.grafana.backend.CheckHealthHandler;
import io.opencql.grafana.metrics.PluginMetrics;
import io.opencql.grafana.middleware.Endpoint;
import io.opencql.grafana.middleware.HandlerChain;
import io.opencql.grafana.transport.proto.pluginv2.CheckHealthRequest;
import io.opencql.grafana.transport.proto.pluginv2.CheckHealthResponse;
import io.opencql.grafana.transport.proto.pluginv2.CollectMetricsRequest;
import io.opencql.grafana.transport.proto.pluginv2.CollectMetricsResponse;
import io.opencql.grafana.transport.proto.pluginv2.DiagnosticsGrpc;

/** CheckHealth (the handler, with its middleware) and CollectMetrics (the plugin's metrics, through the same chain). */
final class DiagnosticsService extends DiagnosticsGrpc.DiagnosticsImplBase {

    private final CheckHealthHandler handler;
    private final PluginMetrics metrics;
    private final HandlerChain chain;

    DiagnosticsService(CheckHealthHandler handler, PluginMetrics metrics, HandlerChain chain) {
        this.handler = handler;
        this.metrics = metrics;
        this.chain = chain;
    }

    @Override
    public void checkHealth(CheckHealthRequest request, StreamObserver<CheckHealthResponse> observer) {
        var req = HealthAdapter.health(request, TenantInterceptor.tenant());
        CallGuard.unary("checkHealth", observer, () -> handler.checkHealth(req, GrpcRequestContext.current()), HealthAdapter::health);
    }

    @Override
    public void collectMetrics(CollectMetricsRequest request, StreamObserver<CollectMetricsResponse> observer) {
        CallGuard.unary("collectMetrics", observer,
                () -> chain.call(Endpoint.COLLECT_METRICS, GrpcRequestContext.current(), metrics::scrape),
                text -> CollectMetricsResponse.newBuilder()
                        .setMetrics(CollectMetricsResponse.Payload.newBuilder().setPrometheus(ByteString.copyFrom(text)))
                        .build());
    }
}
