package io.opencql.grafana.middleware;

import io.opencql.grafana.backend.CallResourceHandler;
import io.opencql.grafana.backend.CallResourceResponse;
import io.opencql.grafana.backend.CheckHealthHandler;
import io.opencql.grafana.backend.CheckHealthResult;
import io.opencql.grafana.backend.Plugin;
import io.opencql.grafana.backend.QueryDataHandler;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.backend.StreamHandler;
import io.opencql.grafana.backend.StreamReply;
import io.opencql.grafana.backend.StreamRequest;
import io.opencql.grafana.backend.StreamSender;
import io.opencql.grafana.metrics.PluginMetrics;
import java.util.List;

/**
 * The one place the handlers of a {@link Plugin} get their middleware. Per call, outermost first:
 * <ol>
 *   <li>the capability's answer to a handler that threw, where the protocol has one: QueryData answers every
 *       refId with the error ({@link AnswerEveryQuery}, inside the metrics: the call was served), Save &amp; test
 *       an ERROR result, PublishStream "permission denied", CallResource a 500 JSON error if nothing was sent yet.
 *       Otherwise (SubscribeStream, RunStream, a resource call that already sent its status) the failure goes on
 *       to the transport, which ends the call with a gRPC status;</li>
 *   <li>the generic {@link Middleware}s, in the order given ({@link #standard}: {@link CallLog}, {@link CallMetrics});</li>
 *   <li>QueryData only: {@link ErrorSources}, then {@link AnswerEveryQuery};</li>
 *   <li>the handler.</li>
 * </ol>
 * A plugin without a Save &amp; test handler answers OK (as a Go plugin without one does), counted like any call.
 */
public final class HandlerChain {

    private final List<Middleware> outerFirst;

    public HandlerChain(List<Middleware> outerFirst) {
        this.outerFirst = List.copyOf(outerFirst);
    }

    /** The SDK's chain: a log line per failed call, then metrics. */
    public static HandlerChain standard(PluginMetrics metrics) {
        return new HandlerChain(List.of(new CallLog(), new CallMetrics(metrics)));
    }

    /** Runs {@code last} through the generic middleware, for calls that are not a plugin's handler (CollectMetrics). */
    public <T> T call(Endpoint endpoint, RequestContext context, Middleware.Next<T> last) throws Exception {
        Middleware.Next<T> next = last;
        for (int i = outerFirst.size() - 1; i >= 0; i--) {
            Middleware m = outerFirst.get(i);
            Middleware.Next<T> inner = next;
            next = () -> m.call(endpoint, context, inner);
        }
        return next.call();
    }

    /** The plugin with every handler wrapped; a capability the plugin lacks (null) stays absent. */
    public Plugin around(Plugin plugin) {
        return new Plugin(
                queryData(plugin.queryData()),
                checkHealth(plugin.checkHealth() != null ? plugin.checkHealth() : (req, rc) -> CheckHealthResult.ok("")),
                plugin.callResource() == null ? null : callResource(plugin.callResource()),
                plugin.stream() == null ? null : stream(plugin.stream()),
                plugin.onShutdown());
    }

    private QueryDataHandler queryData(QueryDataHandler handler) {
        if (handler == null) {
            return null;
        }
        QueryDataHandler inner = ErrorSources.around(AnswerEveryQuery.around(handler));
        return (req, rc) -> call(Endpoint.QUERY_DATA, rc, () -> inner.queryData(req, rc));
    }

    private CheckHealthHandler checkHealth(CheckHealthHandler handler) {
        return (req, rc) -> {
            try {
                return call(Endpoint.CHECK_HEALTH, rc, () -> handler.checkHealth(req, rc));
            } catch (Exception | Error e) {
                Fatal.rethrow(e);
                return CheckHealthResult.error("internal error in the plugin: " + e);
            }
        };
    }

    private CallResourceHandler callResource(CallResourceHandler handler) {
        return (req, sender, rc) -> {
            FirstAnswer answer = new FirstAnswer(sender);
            try {
                call(Endpoint.CALL_RESOURCE, rc, () -> {
                    handler.callResource(req, answer, rc);
                    return null;
                });
            } catch (Exception | Error e) {
                Fatal.rethrow(e);
                if (!answer.sendIfNone(CallResourceResponse.error(500, "internal error in the plugin: " + e))) {
                    throw e; // the status is already sent: all that is left is to end the call
                }
                return;
            }
            answer.sendIfNone(CallResourceResponse.error(500, "the plugin sent no response"));
        };
    }

    private StreamHandler stream(StreamHandler handler) {
        return new StreamHandler() {
            @Override
            public StreamReply subscribeStream(StreamRequest request) throws Exception {
                return subscribeStream(request, RequestContext.NONE);
            }

            @Override
            public StreamReply subscribeStream(StreamRequest request, RequestContext context) throws Exception {
                return call(Endpoint.SUBSCRIBE_STREAM, context, () -> handler.subscribeStream(request, context));
            }

            @Override
            public StreamReply publishStream(StreamRequest request) throws Exception {
                return publishStream(request, RequestContext.NONE);
            }

            @Override
            public StreamReply publishStream(StreamRequest request, RequestContext context) {
                try {
                    return call(Endpoint.PUBLISH_STREAM, context, () -> handler.publishStream(request, context));
                } catch (Exception | Error e) {
                    Fatal.rethrow(e);
                    return StreamReply.denied();
                }
            }

            @Override
            public void runStream(StreamRequest request, StreamSender sender, RequestContext context) throws Exception {
                call(Endpoint.RUN_STREAM, context, () -> {
                    handler.runStream(request, sender, context);
                    return null;
                });
            }
        };
    }
}
