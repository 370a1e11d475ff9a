package io.opencql.grafana.transport;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.opencql.grafana.backend.QueryDataHandler;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.query.SelfTestOnly;
import io.opencql.grafana.transport.proto.pluginv2.DataGrpc;
import io.opencql.grafana.transport.proto.pluginv2.QueryDataResponse;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * QueryData: protobuf to the handler (with its middleware) and its answer back as Arrow.
 *
 * <p>This method runs on gRPC's Netty event loop ({@link PluginServer#ON_EVENT_LOOP}), which reads and writes every
 * call of Grafana's connection. The rule: <b>nothing that can block — an instance lease, a session, a query, a
 * wait of any kind — ever runs here.</b> Only a request of self-tests alone ({@link SelfTestOnly}: the runner answers
 * them with a frame it builds in memory, no instance) is answered on the spot, saving the two thread hand-offs
 * (to the call executor and back) that are most of its round trip on a busy machine. Every other request goes to
 * the call executor, as every call did before, with the gRPC {@link Context} (cancellation, the tenant) carried
 * along.
 */
final class DataService extends DataGrpc.DataImplBase {

    private final QueryDataHandler handler;
    private final Executor calls;

    /** @param calls where requests that may block run (the server's call executor) */
    DataService(QueryDataHandler handler, Executor calls) {
        this.handler = handler;
        this.calls = calls;
    }

    @Override
    public void queryData(io.opencql.grafana.transport.proto.pluginv2.QueryDataRequest request,
                          StreamObserver<QueryDataResponse> observer) {
        QueryDataRequest req = QueryDataAdapter.queryData(request, TenantInterceptor.tenant());
        if (SelfTestOnly.test(req.queries())) {
            answer(req, observer);
            return;
        }
        try {
            calls.execute(Context.current().wrap(() -> answer(req, observer)));
        } catch (RejectedExecutionException e) {
            observer.onError(Status.UNAVAILABLE.withDescription("queryData: the plugin is shutting down").asRuntimeException());
        }
    }

    private void answer(QueryDataRequest req, StreamObserver<QueryDataResponse> observer) {
        CallGuard.unary("queryData", observer, () -> handler.queryData(req, GrpcRequestContext.current()), QueryDataAdapter::queryData);
    }
}
