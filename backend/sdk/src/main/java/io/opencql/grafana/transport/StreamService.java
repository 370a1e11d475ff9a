package io.opencql.grafana.transport;

import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.opencql.grafana.backend.StreamHandler;
import io.opencql.grafana.transport.proto.pluginv2.PublishStreamRequest;
import io.opencql.grafana.transport.proto.pluginv2.PublishStreamResponse;
import io.opencql.grafana.transport.proto.pluginv2.RunStreamRequest;
import io.opencql.grafana.transport.proto.pluginv2.StreamGrpc;
import io.opencql.grafana.transport.proto.pluginv2.StreamPacket;
import io.opencql.grafana.transport.proto.pluginv2.SubscribeStreamRequest;
import io.opencql.grafana.transport.proto.pluginv2.SubscribeStreamResponse;

/** Live: protobuf to the stream handler (with its middleware) and back; RunStream's packets as the handler sends them. */
final class StreamService extends StreamGrpc.StreamImplBase {

    private final StreamHandler handler;

    StreamService(StreamHandler handler) {
        this.handler = handler;
    }

    @Override
    public void subscribeStream(SubscribeStreamRequest r, StreamObserver<SubscribeStreamResponse> observer) {
        var req = StreamAdapter.stream(r.getPluginContext(), r.getPath(), r.getData(), r.getHeadersMap(), TenantInterceptor.tenant());
        CallGuard.unary("subscribeStream", observer, () -> handler.subscribeStream(req, GrpcRequestContext.current()), StreamAdapter::subscribe);
    }

    @Override
    public void publishStream(PublishStreamRequest r, StreamObserver<PublishStreamResponse> observer) {
        var req = StreamAdapter.stream(r.getPluginContext(), r.getPath(), r.getData(), r.getHeadersMap(), TenantInterceptor.tenant());
        CallGuard.unary("publishStream", observer, () -> handler.publishStream(req, GrpcRequestContext.current()), StreamAdapter::publish);
    }

    @Override
    public void runStream(RunStreamRequest r, StreamObserver<StreamPacket> observer) {
        var req = StreamAdapter.stream(r.getPluginContext(), r.getPath(), r.getData(), r.getHeadersMap(), TenantInterceptor.tenant());
        var server = (ServerCallStreamObserver<StreamPacket>) observer;
        server.setOnCancelHandler(() -> { });
        CallGuard.streaming("runStream", observer, () -> {
            handler.runStream(req, json -> {
                if (Context.current().isCancelled()) {
                    throw new java.util.concurrent.CancellationException("stream cancelled by Grafana");
                }
                synchronized (server) {
                    server.onNext(StreamPacket.newBuilder().setData(com.google.protobuf.ByteString.copyFrom(json)).build());
                }
            }, GrpcRequestContext.current());
            return null;
        });
    }
}
