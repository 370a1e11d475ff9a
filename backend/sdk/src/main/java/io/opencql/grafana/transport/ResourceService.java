package io.opencql.grafana.transport;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.opencql.grafana.backend.CallResourceHandler;
import io.opencql.grafana.backend.CallResourceResponse;
import io.opencql.grafana.transport.proto.pluginv2.CallResourceRequest;
import io.opencql.grafana.transport.proto.pluginv2.ResourceGrpc;

final class ResourceService extends ResourceGrpc.ResourceImplBase {

    private final CallResourceHandler handler;
    private final CallGuard guard;

    ResourceService(CallResourceHandler handler, CallGuard guard) {
        this.handler = handler;
        this.guard = guard;
    }

    @Override
    public void callResource(CallResourceRequest request,
                             StreamObserver<io.opencql.grafana.transport.proto.pluginv2.CallResourceResponse> observer) {
        var req = ResourceAdapter.resource(request, TenantInterceptor.tenant());
        var server = (ServerCallStreamObserver<io.opencql.grafana.transport.proto.pluginv2.CallResourceResponse>) observer;
        server.setOnCancelHandler(() -> { });
        boolean[] sent = {false};
        guard.streaming("callResource", observer, () -> {
            try {
                handler.callResource(req, r -> {
                    synchronized (sent) {
                        observer.onNext(ResourceAdapter.resource(r, !sent[0]));
                        sent[0] = true;
                    }
                }, GrpcRequestContext.current());
            } catch (Exception e) {
                synchronized (sent) {
                    if (sent[0]) {
                        throw e; // status already sent: all we can do is end the call
                    }
                    org.slf4j.LoggerFactory.getLogger(ResourceService.class).atError().setCause(e)
                            .log("resource {} failed: {}", req.path(), e.toString());
                    observer.onNext(ResourceAdapter.resource(CallResourceResponse.json(500,
                            Json.object(java.util.Map.of("error", "internal error in the plugin: " + e))), true));
                    sent[0] = true;
                }
            }
            synchronized (sent) {
                if (!sent[0]) {
                    observer.onNext(ResourceAdapter.resource(CallResourceResponse.json(500,
                            "{\"error\":\"the plugin sent no response\"}"), true));
                }
            }
            return null;
        });
    }

}
