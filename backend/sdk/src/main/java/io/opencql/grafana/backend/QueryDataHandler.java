package io.opencql.grafana.backend;

/** Answers QueryData: one DataResponse per query refId. */
@FunctionalInterface
public interface QueryDataHandler {
    QueryDataResponse queryData(QueryDataRequest request, RequestContext context) throws Exception;
}
