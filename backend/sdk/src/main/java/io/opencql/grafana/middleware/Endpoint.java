package io.opencql.grafana.middleware;

/**
 * The calls a plugin serves, by the name metrics and logs give them ({@code endpoint} label). A streaming call
 * (its answer is a series of messages) ends normally when Grafana cancels it, so only the unary ones count a
 * cancelled call that returned as {@code cancelled}.
 */
public enum Endpoint {
    QUERY_DATA("queryData", false),
    CHECK_HEALTH("checkHealth", false),
    COLLECT_METRICS("collectMetrics", false),
    CALL_RESOURCE("callResource", true),
    SUBSCRIBE_STREAM("subscribeStream", false),
    PUBLISH_STREAM("publishStream", false),
    RUN_STREAM("runStream", true);

    private final String label;
    private final boolean streaming;

    Endpoint(String label, boolean streaming) {
        this.label = label;
        this.streaming = streaming;
    }

    /** The name in metrics and logs. */
    public String label() {
        return label;
    }

    /** True when the answer is a series of messages (CallResource, RunStream). */
    public boolean streaming() {
        return streaming;
    }
}
