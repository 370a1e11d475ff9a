package io.opencql.grafana.transport;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last resort around every RPC. Metrics, the log line of a failed call and each capability's answer to a
 * handler that threw are the handlers' middleware ({@code middleware.HandlerChain}); what still escapes it ends the
 * call with a gRPC status here instead of reaching the process. A unary answer to a call Grafana has cancelled is
 * not sent: nobody waits for it.
 */
final class CallGuard {

    private static final Logger LOG = LoggerFactory.getLogger(CallGuard.class);

    interface Body<T> {
        T call() throws Exception;
    }

    private CallGuard() {
    }

    /**
     * Runs the handler (already logged and counted by its middleware when it fails), then encodes its answer for
     * the wire (a failure there is the transport's own, so it is logged here).
     */
    static <A, T> void unary(String endpoint, StreamObserver<T> observer, Body<A> handler, Function<A, T> encode) {
        A answer;
        try {
            answer = handler.call();
        } catch (Exception | Error e) {
            fatal(e);
            observer.onError(Status.UNKNOWN.withDescription(endpoint + " failed: " + e).asRuntimeException());
            return;
        }
        T message;
        try {
            message = encode.apply(answer);
        } catch (RuntimeException | Error e) {
            fatal(e);
            LOG.atError().setCause(e).addKeyValue("endpoint", endpoint).log("cannot encode the answer: {}", e.toString());
            observer.onError(Status.UNKNOWN.withDescription(endpoint + " failed: " + e).asRuntimeException());
            return;
        }
        if (Context.current().isCancelled()) {
            return; // the client is gone; nothing to answer
        }
        observer.onNext(message);
        observer.onCompleted();
    }

    /** For server-streaming calls: the body sends its own messages; a failure ends the call with a status. */
    static void streaming(String endpoint, StreamObserver<?> observer, Body<Void> body) {
        try {
            body.call();
            if (!Context.current().isCancelled()) {
                observer.onCompleted();
            }
        } catch (Exception | Error e) {
            fatal(e);
            if (!Context.current().isCancelled()) {
                observer.onError(Status.UNKNOWN.withDescription(endpoint + " failed: " + e.getMessage()).asRuntimeException());
            }
        }
    }

    private static void fatal(Throwable e) {
        if (e instanceof VirtualMachineError vme && !(e instanceof OutOfMemoryError)) {
            throw vme;
        }
    }
}
