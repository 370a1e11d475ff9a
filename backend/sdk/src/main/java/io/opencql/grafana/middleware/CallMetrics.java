package io.opencql.grafana.middleware;

import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.metrics.PluginMetrics;

/**
 * Counts every call by endpoint and {@link Outcome} ({@code opencql_plugin_requests_total}) and times it
 * ({@code opencql_plugin_request_duration_seconds}). Outside every-refId, so a QueryData whose queries failed
 * one by one is still a call that was served.
 */
final class CallMetrics implements Middleware {

    private final PluginMetrics metrics;

    public CallMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public <T> T call(Endpoint endpoint, RequestContext context, Next<T> next) throws Exception {
        long start = System.nanoTime();
        boolean threw = true;
        try {
            T result = next.call();
            threw = false;
            return result;
        } finally {
            metrics.observe(endpoint.label(), Outcome.of(endpoint, context, threw).label(), System.nanoTime() - start);
        }
    }
}
