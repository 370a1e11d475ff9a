package io.opencql.grafana.transport;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.opencql.grafana.metrics.PluginMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-cutting handling of every RPC in one place: latency and outcome metrics, and the rule that an
 * exception escaping a handler is logged and answered as an error, never allowed to reach the process.
 */
final class CallGuard {

    private static final Logger LOG = LoggerFactory.getLogger(CallGuard.class);

    interface Body<T> {
        T call() throws Exception;
    }

    /** What to answer when the handler threw: a response, or null to fail the call with a gRPC status. */
    interface Fallback<T> {
        T onError(Throwable error);
    }

    private final PluginMetrics metrics;

    CallGuard(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    <T> void unary(String endpoint, StreamObserver<T> observer, Body<T> body, Fallback<T> fallback) {
        long start = System.nanoTime();
        T result;
        String outcome = "ok";
        try {
            result = body.call();
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError vme && !(e instanceof OutOfMemoryError)) {
                throw vme;
            }
            outcome = Context.current().isCancelled() ? "cancelled" : "error";
            LOG.atError().setCause(e).addKeyValue("endpoint", endpoint).log("handler failed: {}", e.toString());
            result = fallback == null ? null : fallback.onError(e);
            if (result == null) {
                metrics.observe(endpoint, outcome, System.nanoTime() - start);
                observer.onError(Status.UNKNOWN.withDescription(endpoint + " failed: " + e).asRuntimeException());
                return;
            }
        }
        boolean cancelled = Context.current().isCancelled();
        // a handler that answered a cancelled call (QueryData answers every refId, with 499s) still served nobody
        metrics.observe(endpoint, cancelled ? "cancelled" : outcome, System.nanoTime() - start);
        if (cancelled) {
            return; // the client is gone; nothing to answer
        }
        observer.onNext(result);
        observer.onCompleted();
    }

    /** For server-streaming calls: the body sends its own messages; errors end the call with a status. */
    void streaming(String endpoint, StreamObserver<?> observer, Body<Void> body) {
        long start = System.nanoTime();
        String outcome = "ok";
        try {
            body.call();
            if (!Context.current().isCancelled()) {
                observer.onCompleted();
            }
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError vme && !(e instanceof OutOfMemoryError)) {
                throw vme;
            }
            boolean cancelled = Context.current().isCancelled();
            outcome = cancelled ? "cancelled" : "error";
            if (!cancelled) {
                LOG.atError().setCause(e).addKeyValue("endpoint", endpoint).log("handler failed: {}", e.toString());
                observer.onError(Status.UNKNOWN.withDescription(endpoint + " failed: " + e.getMessage()).asRuntimeException());
            }
        } finally {
            metrics.observe(endpoint, outcome, System.nanoTime() - start);
        }
    }
}
