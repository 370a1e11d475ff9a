package io.opencql.grafana.middleware;

import io.opencql.grafana.backend.RequestContext;

/**
 * Something done around every handler call alike, whatever the capability (grafana-plugin-sdk-go's handler
 * middleware, reduced to what is the same for all of them): {@link CallMetrics}, {@link CallLog}. It runs
 * {@code next} (the rest of the chain and the handler) once and returns or throws what it did, or its own
 * answer. What depends on a capability's types (every refId answered, error sources, the answer to a handler that
 * threw) is wrapped around that capability's handler by {@link HandlerChain}.
 */
public interface Middleware {

    <T> T call(Endpoint endpoint, RequestContext context, Next<T> next) throws Exception;

    /** The rest of the chain. */
    @FunctionalInterface
    interface Next<T> {
        T call() throws Exception;
    }
}
