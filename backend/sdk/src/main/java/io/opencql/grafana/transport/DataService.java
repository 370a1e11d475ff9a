package io.opencql.grafana.transport;

import io.grpc.stub.StreamObserver;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.QueryDataHandler;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.transport.proto.pluginv2.DataGrpc;
import io.opencql.grafana.transport.proto.pluginv2.QueryDataResponse;
import java.util.LinkedHashMap;
import java.util.Map;

final class DataService extends DataGrpc.DataImplBase {

    private final QueryDataHandler handler;
    private final CallGuard guard;

    DataService(QueryDataHandler handler, CallGuard guard) {
        this.handler = handler;
        this.guard = guard;
    }

    @Override
    public void queryData(io.opencql.grafana.transport.proto.pluginv2.QueryDataRequest request,
                          StreamObserver<QueryDataResponse> observer) {
        QueryDataRequest req = ProtoAdapter.queryData(request, TenantInterceptor.tenant());
        guard.unary("queryData", observer, () -> {
            var resp = handler.queryData(req, GrpcRequestContext.current());
            Map<String, DataResponse> all = new LinkedHashMap<>(resp.responses());
            // a refId without a response is silent "no data" for alerting: never leave one out
            for (DataQuery q : req.queries()) {
                all.putIfAbsent(q.refId(), DataResponse.internal("the plugin returned no response for query " + q.refId()));
            }
            return ProtoAdapter.queryData(new io.opencql.grafana.backend.QueryDataResponse(all));
        }, error -> {
            Map<String, DataResponse> all = new LinkedHashMap<>();
            for (DataQuery q : req.queries()) {
                all.put(q.refId(), DataResponse.internal("internal error in the plugin: " + error));
            }
            return ProtoAdapter.queryData(new io.opencql.grafana.backend.QueryDataResponse(all));
        });
    }
}
