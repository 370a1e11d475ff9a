package io.opencql.grafana.middleware;

import io.opencql.grafana.backend.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per call that failed (the handler threw): error, with the endpoint, the time it took and the
 * cause; a call Grafana had cancelled first is only debug (the failure is the cancellation). At debug level every
 * call gets its line; at the default (info) a served call costs one level check, nothing else. Nothing of the
 * request (settings, secrets, the query) is logged, only the failure's own text.
 */
final class CallLog implements Middleware {

    private static final Logger LOG = LoggerFactory.getLogger(CallLog.class);

    @Override
    public <T> T call(Endpoint endpoint, RequestContext context, Next<T> next) throws Exception {
        long start = System.nanoTime();
        try {
            T result = next.call();
            if (LOG.isDebugEnabled()) {
                LOG.atDebug().addKeyValue("endpoint", endpoint.label())
                        .addKeyValue("status", Outcome.of(endpoint, context, false).label())
                        .addKeyValue("durationMs", (System.nanoTime() - start) / 1_000_000).log("call served");
            }
            return result;
        } catch (Exception | Error e) {
            Outcome outcome = Outcome.of(endpoint, context, true);
            var line = outcome == Outcome.CANCELLED ? LOG.atDebug() : LOG.atError().setCause(e);
            line.addKeyValue("endpoint", endpoint.label()).addKeyValue("status", outcome.label())
                    .addKeyValue("durationMs", (System.nanoTime() - start) / 1_000_000)
                    .log("handler failed: {}", e.toString());
            throw e;
        }
    }
}
