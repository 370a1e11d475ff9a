package io.opencql.grafana.resource;

import io.opencql.grafana.backend.CallResourceRequest;
import io.opencql.grafana.backend.RequestContext;
import java.util.Map;

/**
 * A resource call a route answers: the request, the values of its pattern's {@code {name}} segments, and the call's
 * cancellation.
 */
public record ResourceCall(CallResourceRequest request, Map<String, String> pathParameters, RequestContext context) {

    public ResourceCall {
        pathParameters = Map.copyOf(pathParameters);
    }

    /** A decoded query parameter of the URL (its first value), or null. */
    public String parameter(String name) {
        return request.queryParameters().get(name);
    }
}
