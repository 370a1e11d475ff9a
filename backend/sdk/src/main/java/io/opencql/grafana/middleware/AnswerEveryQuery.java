package io.opencql.grafana.middleware;

import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.QueryDataHandler;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.QueryDataResponse;
import io.opencql.grafana.backend.RequestContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QueryData middleware: every refId of the request gets a response, in the request's order. A refId without one
 * is silent "no data" for alerting, so one the handler left out is a plugin error, and a handler that threw answers
 * every query with its error (QueryData's answer to a thrown handler: the call itself succeeds).
 */
final class AnswerEveryQuery implements QueryDataHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AnswerEveryQuery.class);

    private final QueryDataHandler handler;

    private AnswerEveryQuery(QueryDataHandler handler) {
        this.handler = handler;
    }

    public static QueryDataHandler around(QueryDataHandler handler) {
        return handler == null || handler instanceof AnswerEveryQuery ? handler : new AnswerEveryQuery(handler);
    }

    @Override
    public QueryDataResponse queryData(QueryDataRequest req, RequestContext rc) {
        Map<String, DataResponse> answered;
        try {
            answered = handler.queryData(req, rc).responses();
        } catch (Exception | Error e) {
            Fatal.rethrow(e);
            LOG.atError().setCause(e).addKeyValue("endpoint", "queryData").log("handler failed: {}", e.toString());
            Map<String, DataResponse> all = new LinkedHashMap<>();
            for (DataQuery q : req.queries()) {
                all.put(q.refId(), DataResponse.internal("internal error in the plugin: " + e));
            }
            return new QueryDataResponse(all);
        }
        Map<String, DataResponse> all = new LinkedHashMap<>();
        for (DataQuery q : req.queries()) {
            DataResponse r = answered.get(q.refId());
            all.put(q.refId(), r != null ? r : DataResponse.internal("the plugin returned no response for query " + q.refId()));
        }
        answered.forEach(all::putIfAbsent);
        return new QueryDataResponse(all);
    }
}
