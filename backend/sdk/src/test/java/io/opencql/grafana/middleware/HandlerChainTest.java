package io.opencql.grafana.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opencql.grafana.backend.CallResourceRequest;
import io.opencql.grafana.backend.CallResourceResponse;
import io.opencql.grafana.backend.CheckHealthRequest;
import io.opencql.grafana.backend.CheckHealthResult;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.ErrorSource;
import io.opencql.grafana.backend.Plugin;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.QueryDataResponse;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.backend.StreamHandler;
import io.opencql.grafana.backend.StreamReply;
import io.opencql.grafana.backend.StreamRequest;
import io.opencql.grafana.backend.StreamSender;
import io.opencql.grafana.metrics.PluginMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK's handler middleware as the transport gets it: outcomes counted, answers to a throw, error sources. */
class HandlerChainTest {

    static final PluginContext CTX = new PluginContext(1, "p", null, null, Map.of(), "", "", "");

    /** A request context whose cancellation the test sets. */
    static final class Cancellable implements RequestContext {
        volatile boolean cancelled;

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void onCancel(Runnable listener) {
        }
    }

    final PluginMetrics metrics = new PluginMetrics();
    final HandlerChain chain = HandlerChain.standard(metrics);

    static QueryDataRequest request(String... refIds) {
        List<DataQuery> qs = new ArrayList<>();
        for (String r : refIds) {
            qs.add(new DataQuery(r, 0, 0, null, null, ""));
        }
        return new QueryDataRequest(CTX, Map.of(), qs);
    }

    /** The counter's value for one endpoint and status, read from the scrape Grafana gets. */
    double count(String endpoint, String status) {
        String key = "opencql_plugin_requests_total{endpoint=\"" + endpoint + "\",status=\"" + status + "\"} ";
        for (String line : new String(metrics.scrape(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith(key)) {
                return Double.parseDouble(line.substring(key.length()).trim());
            }
        }
        return 0;
    }

    static Plugin queries(io.opencql.grafana.backend.QueryDataHandler h) {
        return new Plugin(h, null, null, null, null);
    }

    @Test
    void queryDataIsCountedOkErrorFreeEvenWhenItsQueriesFailAndCancelledWhenGrafanaCancelled() throws Exception {
        Plugin p = chain.around(queries((req, rc) -> new QueryDataResponse(Map.of("A", DataResponse.badRequest("bad")))));
        p.queryData().queryData(request("A"), RequestContext.NONE);
        assertEquals(1, count("queryData", "ok"));
        Cancellable rc = new Cancellable();
        rc.cancelled = true;
        p.queryData().queryData(request("A"), rc);
        assertEquals(1, count("queryData", "cancelled"));
        assertEquals(0, count("queryData", "error"));
    }

    @Test
    void aThrowingQueryHandlerAnswersEveryRefIdAndTheCallIsServed() throws Exception {
        Plugin p = chain.around(queries((req, rc) -> {
            throw new IllegalStateException("bug");
        }));
        QueryDataResponse r = p.queryData().queryData(request("A", "B"), RequestContext.NONE);
        assertEquals(List.of("A", "B"), new ArrayList<>(r.responses().keySet()));
        assertEquals("internal error in the plugin: java.lang.IllegalStateException: bug", r.responses().get("B").error());
        assertEquals(ErrorSource.PLUGIN, r.responses().get("B").errorSource());
        assertEquals(1, count("queryData", "ok"));
    }

    @Test
    void anErrorWithoutASourceGetsOneByItsStatusAndAChosenSourceIsKept() throws Exception {
        Plugin p = chain.around(queries((req, rc) -> {
            Map<String, DataResponse> out = new LinkedHashMap<>();
            out.put("A", new DataResponse(List.of(), 400, "bad input", null));
            out.put("B", new DataResponse(List.of(), 500, "bug", null));
            out.put("C", new DataResponse(List.of(), 504, "too slow", null));
            out.put("D", new DataResponse(List.of(), 500, "theirs", ErrorSource.DOWNSTREAM));
            out.put("E", DataResponse.ok(List.of()));
            return new QueryDataResponse(out);
        }));
        Map<String, DataResponse> r = p.queryData().queryData(request("A", "B", "C", "D", "E"), RequestContext.NONE).responses();
        assertEquals(ErrorSource.DOWNSTREAM, r.get("A").errorSource());
        assertEquals(ErrorSource.PLUGIN, r.get("B").errorSource());
        assertEquals(ErrorSource.DOWNSTREAM, r.get("C").errorSource());
        assertEquals(ErrorSource.DOWNSTREAM, r.get("D").errorSource());
        assertNull(r.get("E").errorSource(), "a success has no error source");
        assertEquals("bad input", r.get("A").error());
        assertEquals(400, r.get("A").status());
        assertEquals(ErrorSource.DOWNSTREAM, ErrorSources.of(499));
        assertEquals(ErrorSource.PLUGIN, ErrorSources.of(501));
    }

    @Test
    void aThrowingHealthCheckIsAnErrorResultCountedAsError() throws Exception {
        Plugin p = chain.around(new Plugin(null, (req, rc) -> {
            throw new IllegalStateException("health bug");
        }, null, null, null));
        CheckHealthResult r = p.checkHealth().checkHealth(new CheckHealthRequest(CTX, Map.of()), RequestContext.NONE);
        assertEquals(CheckHealthResult.Status.ERROR, r.status());
        assertEquals("internal error in the plugin: java.lang.IllegalStateException: health bug", r.message());
        assertEquals(1, count("checkHealth", "error"));
    }

    @Test
    void withoutAHealthHandlerSaveAndTestAnswersOk() throws Exception {
        Plugin p = chain.around(new Plugin(null, null, null, null, null));
        assertEquals(CheckHealthResult.Status.OK, p.checkHealth().checkHealth(new CheckHealthRequest(CTX, Map.of()), RequestContext.NONE).status());
        assertEquals(1, count("checkHealth", "ok"));
        assertNull(p.queryData());
        assertNull(p.callResource());
        assertNull(p.stream());
    }

    static CallResourceRequest resource() {
        return new CallResourceRequest(CTX, "x", "GET", "x", Map.of(), new byte[0]);
    }

    @Test
    void aResourceHandlerThatThrowsBeforeSendingIsA500AndAfterSendingEndsTheCall() throws Exception {
        List<CallResourceResponse> sent = new ArrayList<>();
        Plugin before = chain.around(new Plugin(null, null, (req, sender, rc) -> {
            throw new IllegalStateException("early");
        }, null, null));
        before.callResource().callResource(resource(), sent::add, RequestContext.NONE);
        assertEquals(1, sent.size());
        assertEquals(500, sent.get(0).status());
        assertEquals("{\"error\":\"internal error in the plugin: java.lang.IllegalStateException: early\"}",
                new String(sent.get(0).body(), StandardCharsets.UTF_8));

        sent.clear();
        Plugin after = chain.around(new Plugin(null, null, (req, sender, rc) -> {
            sender.send(CallResourceResponse.json(200, "{}"));
            throw new IllegalStateException("late");
        }, null, null));
        assertThrows(IllegalStateException.class, () -> after.callResource().callResource(resource(), sent::add, RequestContext.NONE));
        assertEquals(1, sent.size(), "no second status after the first");
        assertEquals(2, count("callResource", "error"));
    }

    @Test
    void aResourceHandlerThatSendsNothingIsA500() throws Exception {
        List<CallResourceResponse> sent = new ArrayList<>();
        Plugin p = chain.around(new Plugin(null, null, (req, sender, rc) -> { }, null, null));
        p.callResource().callResource(resource(), sent::add, RequestContext.NONE);
        assertEquals(500, sent.get(0).status());
        assertEquals("{\"error\":\"the plugin sent no response\"}", new String(sent.get(0).body(), StandardCharsets.UTF_8));
        assertEquals(1, count("callResource", "ok"));
    }

    @Test
    void streamsPublishDeniesOnAThrowSubscribeRethrowsAndARunStreamEndedByCancellationIsOk() throws Exception {
        StreamHandler failing = new StreamHandler() {
            @Override
            public StreamReply subscribeStream(StreamRequest request) {
                throw new IllegalStateException("subscribe bug");
            }

            @Override
            public StreamReply publishStream(StreamRequest request) {
                throw new IllegalStateException("publish bug");
            }

            @Override
            public void runStream(StreamRequest request, StreamSender sender, RequestContext context) {
                // returns once cancelled, as a stream does
            }
        };
        StreamHandler s = chain.around(new Plugin(null, null, null, failing, null)).stream();
        StreamRequest req = new StreamRequest(CTX, "p", new byte[0], Map.of());
        Cancellable rc = new Cancellable();
        assertThrows(IllegalStateException.class, () -> s.subscribeStream(req, rc));
        assertEquals(StreamReply.Status.PERMISSION_DENIED, s.publishStream(req, rc).status());
        assertEquals(1, count("subscribeStream", "error"));
        assertEquals(1, count("publishStream", "error"));
        rc.cancelled = true;
        s.runStream(req, json -> { }, rc);
        assertEquals(1, count("runStream", "ok"));
        assertThrows(IllegalStateException.class, () -> s.subscribeStream(req, rc));
        assertEquals(1, count("subscribeStream", "cancelled"));
    }

    @Test
    void collectMetricsRunsThroughTheSameChain() throws Exception {
        assertEquals("x", chain.call(Endpoint.COLLECT_METRICS, RequestContext.NONE, () -> "x"));
        assertTrue(count("collectMetrics", "ok") >= 1);
    }
}
