package io.opencql.grafana.transport;

import io.grpc.Context;
import io.opencql.grafana.backend.RequestContext;

/** Cancellation of the gRPC call being served, as the SDK's {@link RequestContext}. */
final class GrpcRequestContext implements RequestContext {

    private final Context context;

    GrpcRequestContext(Context context) {
        this.context = context;
    }

    static GrpcRequestContext current() {
        return new GrpcRequestContext(Context.current());
    }

    @Override
    public boolean isCancelled() {
        return context.isCancelled();
    }

    @Override
    public void onCancel(Runnable listener) {
        context.addListener(c -> listener.run(), Runnable::run);
    }
}
