package io.opencql.grafana.backend;

import java.util.LinkedHashMap;
import java.util.Map;

/** One DataResponse per refId; a refId missing here is silent "no data" for alerting, so fill every one. */
public record QueryDataResponse(Map<String, DataResponse> responses) {

    public QueryDataResponse {
        responses = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(responses));
    }
}
