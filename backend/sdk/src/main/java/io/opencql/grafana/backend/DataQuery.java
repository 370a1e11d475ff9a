package io.opencql.grafana.backend;

/** One query of a QueryData request; {@code json} is the full query object the frontend sent. */
public record DataQuery(String refId, long maxDataPoints, long intervalMs, TimeRange timeRange, byte[] json, String queryType) {

    public DataQuery {
        refId = refId == null ? "" : refId;
        json = json == null ? new byte[0] : json;
        queryType = queryType == null ? "" : queryType;
    }
}
