package io.opencql.grafana.transport;

import io.grpc.stub.StreamObserver;
import io.opencql.grafana.backend.QueryDataHandler;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.query.AnswerEveryQuery;
import io.opencql.grafana.transport.proto.pluginv2.DataGrpc;
import io.opencql.grafana.transport.proto.pluginv2.QueryDataResponse;

/** QueryData: the handler, with every refId answered ({@link AnswerEveryQuery}), to protobuf and back. */
final class DataService extends DataGrpc.DataImplBase {

    private final QueryDataHandler handler;
    private final CallGuard guard;

    DataService(QueryDataHandler handler, CallGuard guard) {
        this.handler = AnswerEveryQuery.around(handler);
        this.guard = guard;
    }

    @Override
    public void queryData(io.opencql.grafana.transport.proto.pluginv2.QueryDataRequest request,
                          StreamObserver<QueryDataResponse> observer) {
        QueryDataRequest req = QueryDataAdapter.queryData(request, TenantInterceptor.tenant());
        guard.unary("queryData", observer, () -> QueryDataAdapter.queryData(handler.queryData(req, GrpcRequestContext.current())), null);
    }
}
