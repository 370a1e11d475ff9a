package io.opencql.grafana.backend;

@FunctionalInterface
public interface CheckHealthHandler {
    CheckHealthResult checkHealth(CheckHealthRequest request, RequestContext rc) throws Exception;
}
