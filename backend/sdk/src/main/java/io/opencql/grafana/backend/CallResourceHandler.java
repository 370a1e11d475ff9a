package io.opencql.grafana.backend;

@FunctionalInterface
public interface CallResourceHandler {
    void callResource(CallResourceRequest request, ResourceSender sender, RequestContext context) throws Exception;
}
