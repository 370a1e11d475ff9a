package io.opencql.grafana.transport;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.opencql.grafana.backend.CallResourceHandler;
import io.opencql.grafana.transport.proto.pluginv2.CallResourceRequest;
import io.opencql.grafana.transport.proto.pluginv2.ResourceGrpc;

/** CallResource: protobuf to the handler (with its middleware); each answer it sends back as one message. */
final class ResourceService extends ResourceGrpc.ResourceImplBase {

    private final CallResourceHandler handler;

    ResourceService(CallResourceHandler handler) {
        this.handler = handler;
    }

    @Override
    public void callResource(CallResourceRequest request,
                             StreamObserver<io.opencql.grafana.transport.proto.pluginv2.CallResourceResponse> observer) {
        var req = ResourceAdapter.resource(request, TenantInterceptor.tenant());
        var server = (ServerCallStreamObserver<io.opencql.grafana.transport.proto.pluginv2.CallResourceResponse>) observer;
        server.setOnCancelHandler(() -> { });
        boolean[] sent = {false};
        CallGuard.streaming("callResource", observer, () -> {
            handler.callResource(req, r -> {
                synchronized (sent) {
                    observer.onNext(ResourceAdapter.resource(r, !sent[0]));
                    sent[0] = true;
                }
            }, GrpcRequestContext.current());
            return null;
        });
    }
}
