package io.opencql.grafana.transport;

import io.grpc.stub.StreamObserver;
import io.opencql.grafana.transport.proto.goplugin.ConnInfo;
import io.opencql.grafana.transport.proto.goplugin.Empty;
import io.opencql.grafana.transport.proto.goplugin.GRPCBrokerGrpc;
import io.opencql.grafana.transport.proto.goplugin.GRPCControllerGrpc;
import io.opencql.grafana.transport.proto.goplugin.GRPCStdioGrpc;
import io.opencql.grafana.transport.proto.goplugin.StdioData;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * go-plugin's own services. Stdio: the host opens it right after the handshake; our logs already go to
 * stderr, which the host reads, so the stream stays open and quiet. Broker: data sources never use it; the
 * stream is held open until the host closes it. Controller: Shutdown answers, then the process exits.
 */
final class GoPluginServices {

    private GoPluginServices() {
    }

    static final class Controller extends GRPCControllerGrpc.GRPCControllerImplBase {
        private final Runnable shutdown;

        Controller(Runnable shutdown) {
            this.shutdown = shutdown;
        }

        @Override
        public void shutdown(Empty request, StreamObserver<Empty> observer) {
            observer.onNext(Empty.getDefaultInstance());
            observer.onCompleted();
            shutdown.run();
        }
    }

    static final class Stdio extends GRPCStdioGrpc.GRPCStdioImplBase {
        private final Set<StreamObserver<StdioData>> open = ConcurrentHashMap.newKeySet();

        @Override
        public void streamStdio(com.google.protobuf.Empty request, StreamObserver<StdioData> observer) {
            open.add(observer);
            ((io.grpc.stub.ServerCallStreamObserver<StdioData>) observer).setOnCancelHandler(() -> open.remove(observer));
        }

        void closeAll() {
            for (StreamObserver<StdioData> o : open) {
                try {
                    o.onCompleted();
                } catch (RuntimeException ignored) {
                    // the host may already be gone
                }
            }
            open.clear();
        }
    }

    static final class Broker extends GRPCBrokerGrpc.GRPCBrokerImplBase {
        @Override
        public StreamObserver<ConnInfo> startStream(StreamObserver<ConnInfo> responses) {
            return new StreamObserver<>() {
                @Override
                public void onNext(ConnInfo value) {
                    // no sub-connections are offered by a data source plugin
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    responses.onCompleted();
                }
            };
        }
    }
}
