package io.opencql.grafana.middleware;

import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.ErrorSource;
import io.opencql.grafana.backend.QueryDataHandler;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.QueryDataResponse;
import io.opencql.grafana.backend.RequestContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * QueryData middleware: an error response that names no error source gets one by its status, so Grafana can
 * always tell a fault of the plugin from one of the user's query or the system queried (it alerts and counts the
 * two apart). A source the handler chose is kept.
 */
public final class ErrorSources implements QueryDataHandler {

    private final QueryDataHandler handler;

    private ErrorSources(QueryDataHandler handler) {
        this.handler = handler;
    }

    public static QueryDataHandler around(QueryDataHandler handler) {
        return handler == null || handler instanceof ErrorSources ? handler : new ErrorSources(handler);
    }

    /**
     * The rule: a 4xx is the request's (the query as the user wrote it, its permissions, or the client that
     * cancelled it: 499), a 502, 503 or 504 is the queried system's (unreachable, unavailable, too slow); anything
     * else, 500 above all, is the plugin's own (also Grafana's default source).
     */
    public static ErrorSource of(int status) {
        if ((status >= 400 && status < 500) || (status >= 502 && status <= 504)) {
            return ErrorSource.DOWNSTREAM;
        }
        return ErrorSource.PLUGIN;
    }

    @Override
    public QueryDataResponse queryData(QueryDataRequest req, RequestContext rc) throws Exception {
        QueryDataResponse answered = handler.queryData(req, rc);
        boolean complete = answered.responses().values().stream().allMatch(r -> !r.isError() || r.errorSource() != null);
        if (complete) {
            return answered; // the usual case: nothing to copy
        }
        Map<String, DataResponse> all = new LinkedHashMap<>();
        answered.responses().forEach((refId, r) -> all.put(refId, !r.isError() || r.errorSource() != null ? r
                : new DataResponse(r.frames(), r.status(), r.error(), of(r.status()))));
        return new QueryDataResponse(all);
    }
}
