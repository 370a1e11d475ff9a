package io.opencql.grafana.transport;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/** Multi-tenant Grafana names the tenant in the gRPC metadata key {@code tenantID}; instances are keyed by it. */
final class TenantInterceptor implements ServerInterceptor {

    static final Context.Key<String> TENANT = Context.key("tenantID");
    private static final Metadata.Key<String> HEADER = Metadata.Key.of("tenantID", Metadata.ASCII_STRING_MARSHALLER);

    static String tenant() {
        String t = TENANT.get();
        return t == null ? "" : t;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String tenant = headers.get(HEADER);
        return Contexts.interceptCall(Context.current().withValue(TENANT, tenant == null ? "" : tenant), call, headers, next);
    }
}
