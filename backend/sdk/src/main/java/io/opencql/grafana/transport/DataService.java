package io.opencql.grafana.transport;

import io.grpc.stub.StreamObserver;
import io.opencql.grafana.backend.QueryDataHandler;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.transport.proto.pluginv2.DataGrpc;
import io.opencql.grafana.transport.proto.pluginv2.QueryDataResponse;

/** QueryData: protobuf to the handler (with its middleware) and its answer back as Arrow. */
final class DataService extends DataGrpc.DataImplBase {

    private final QueryDataHandler handler;

    DataService(QueryDataHandler handler) {
        this.handler = handler;
    }

    @Override
    public void queryData(io.opencql.grafana.transport.proto.pluginv2.QueryDataRequest request,
                          StreamObserver<QueryDataResponse> observer) {
        QueryDataRequest req = QueryDataAdapter.queryData(request, TenantInterceptor.tenant());
        CallGuard.unary("queryData", observer, () -> handler.queryData(req, GrpcRequestContext.current()), QueryDataAdapter::queryData);
    }
}
