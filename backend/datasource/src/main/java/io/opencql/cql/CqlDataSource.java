package io.opencql.cql;

import io.opencql.grafana.backend.CheckHealthResult;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.Plugin;
import io.opencql.grafana.backend.QueryDataResponse;
import io.opencql.grafana.backend.StreamHandler;
import io.opencql.grafana.backend.StreamReply;
import io.opencql.grafana.backend.CallResourceResponse;
import io.opencql.grafana.data.SelfTestFrame;
import java.util.LinkedHashMap;
import java.util.Map;

/** The CQL data source's capabilities, as the SDK serves them. (Skeleton: the CQL engine is being built.) */
public final class CqlDataSource implements AutoCloseable {

    public Plugin plugin() {
        return new Plugin(
                (req, ctx) -> {
                    Map<String, DataResponse> out = new LinkedHashMap<>();
                    for (DataQuery q : req.queries()) {
                        out.put(q.refId(), "selftest".equals(q.queryType())
                                ? DataResponse.ok(SelfTestFrame.create(q.refId()))
                                : DataResponse.error(501, io.opencql.grafana.backend.ErrorSource.PLUGIN, "CQL queries are not implemented yet"));
                    }
                    return new QueryDataResponse(out);
                },
                (pc, headers, rc) -> CheckHealthResult.error("not implemented yet"),
                (req, sender, rc) -> sender.send(CallResourceResponse.json(404, "{\"error\":\"unknown resource " + req.path() + "\"}")),
                new StreamHandler() {
                    @Override
                    public StreamReply subscribeStream(io.opencql.grafana.backend.StreamRequest request) {
                        return StreamReply.notFound();
                    }

                    @Override
                    public void runStream(io.opencql.grafana.backend.StreamRequest request, io.opencql.grafana.backend.StreamSender sender,
                                          io.opencql.grafana.backend.RequestContext context) {
                        throw new IllegalArgumentException("unknown stream " + request.path());
                    }
                },
                this::close);
    }

    @Override
    public void close() {
    }
}
