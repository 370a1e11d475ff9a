package io.opencql.grafana.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opencql.grafana.backend.CallResourceResponse;
import io.opencql.grafana.backend.CheckHealthResult;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.ErrorSource;
import io.opencql.grafana.backend.Plugin;
import io.opencql.grafana.backend.QueryDataResponse;
import io.opencql.grafana.backend.StreamHandler;
import io.opencql.grafana.backend.StreamReply;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.data.FieldType;
import io.opencql.grafana.metrics.PluginMetrics;
import io.opencql.grafana.transport.proto.pluginv2.CallResourceRequest;
import io.opencql.grafana.transport.proto.pluginv2.CheckHealthRequest;
import io.opencql.grafana.transport.proto.pluginv2.CheckHealthResponse;
import io.opencql.grafana.transport.proto.pluginv2.CollectMetricsRequest;
import io.opencql.grafana.transport.proto.pluginv2.DataGrpc;
import io.opencql.grafana.transport.proto.pluginv2.DataQuery;
import io.opencql.grafana.transport.proto.pluginv2.DiagnosticsGrpc;
import io.opencql.grafana.transport.proto.pluginv2.PluginContext;
import io.opencql.grafana.transport.proto.pluginv2.PublishStreamRequest;
import io.opencql.grafana.transport.proto.pluginv2.PublishStreamResponse;
import io.opencql.grafana.transport.proto.pluginv2.QueryDataRequest;
import io.opencql.grafana.transport.proto.pluginv2.ResourceGrpc;
import io.opencql.grafana.transport.proto.pluginv2.RunStreamRequest;
import io.opencql.grafana.transport.proto.pluginv2.StreamGrpc;
import io.opencql.grafana.transport.proto.pluginv2.StreamPacket;
import io.opencql.grafana.transport.proto.pluginv2.SubscribeStreamRequest;
import io.opencql.grafana.transport.proto.pluginv2.SubscribeStreamResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The transport over a real loopback gRPC connection, with small handlers standing in for a data source. */
class PluginServerTest {

    static PluginServer server;
    static ManagedChannel channel;
    static final CountDownLatch streamCancelled = new CountDownLatch(1);
    static final AtomicBoolean streamStarted = new AtomicBoolean();

    @BeforeAll
    static void start() throws Exception {
        Plugin plugin = new Plugin(
                (req, rc) -> {
                    Map<String, DataResponse> out = new LinkedHashMap<>();
                    for (var q : req.queries()) {
                        switch (q.refId()) {
                            case "OK" -> {
                                Frame f = new Frame("f");
                                f.addField("v", FieldType.INT64, false).appendLong(42);
                                out.put("OK", DataResponse.ok(f));
                            }
                            case "BAD" -> out.put("BAD", DataResponse.badRequest("no such table"));
                            case "BOOM" -> throw new IllegalStateException("handler bug");
                            default -> { } // left out on purpose: the transport must fill it in
                        }
                    }
                    return new QueryDataResponse(out);
                },
                (req, rc) -> new CheckHealthResult(CheckHealthResult.Status.ERROR, "nope: " + req.context().dataSource().uid(),
                        Map.of("verboseMessage", "details")),
                (req, sender, rc) -> {
                    if (req.path().equals("throw")) {
                        throw new IllegalArgumentException("resource bug");
                    }
                    sender.send(new CallResourceResponse(201, Map.of("X-Test", List.of("a", "b")), "part1".getBytes(StandardCharsets.UTF_8)));
                    sender.send(new CallResourceResponse(200, Map.of("X-Ignored", List.of("c")), "part2".getBytes(StandardCharsets.UTF_8)));
                },
                new StreamHandler() {
                    @Override
                    public StreamReply subscribeStream(io.opencql.grafana.backend.StreamRequest request) {
                        return request.path().equals("known") ? StreamReply.ok("{}".getBytes(StandardCharsets.UTF_8)) : StreamReply.notFound();
                    }

                    @Override
                    public void runStream(io.opencql.grafana.backend.StreamRequest request, io.opencql.grafana.backend.StreamSender sender,
                                          io.opencql.grafana.backend.RequestContext context) throws Exception {
                        streamStarted.set(true);
                        context.onCancel(streamCancelled::countDown);
                        int i = 0;
                        while (!context.isCancelled()) {
                            sender.send(("{\"n\":" + i++ + "}").getBytes(StandardCharsets.UTF_8));
                            Thread.sleep(20);
                        }
                    }
                },
                null);
        server = new PluginServer(plugin, new PluginMetrics());
        int port = server.start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        server.stopSoon();
        server.awaitStop();
    }

    static PluginContext ctx() {
        return PluginContext.newBuilder().setOrgId(1).setPluginId("test")
                .setDataSourceInstanceSettings(io.opencql.grafana.transport.proto.pluginv2.DataSourceInstanceSettings.newBuilder()
                        .setUid("ds1").setJsonData(ByteString.copyFromUtf8("{}")).putDecryptedSecureJsonData("password", "s3cret"))
                .build();
    }

    static DataQuery query(String refId) {
        return DataQuery.newBuilder().setRefId(refId).setJson(ByteString.copyFromUtf8("{\"refId\":\"" + refId + "\"}")).build();
    }

    @Test
    void queryDataAnswersEveryRefIdWithStatusAndSource() {
        var resp = DataGrpc.newBlockingStub(channel).queryData(QueryDataRequest.newBuilder().setPluginContext(ctx())
                .addQueries(query("OK")).addQueries(query("BAD")).addQueries(query("MISSING")).build());
        var ok = resp.getResponsesOrThrow("OK");
        assertEquals(200, ok.getStatus());
        assertEquals("", ok.getError());
        assertEquals(1, ok.getFramesCount());
        byte[] arrow = ok.getFrames(0).toByteArray();
        assertArrayEquals("ARROW1".getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOfRange(arrow, 0, 6));
        assertArrayEquals("ARROW1".getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOfRange(arrow, arrow.length - 6, arrow.length));
        var bad = resp.getResponsesOrThrow("BAD");
        assertEquals(400, bad.getStatus());
        assertEquals("downstream", bad.getErrorSource());
        assertEquals("no such table", bad.getError());
        var missing = resp.getResponsesOrThrow("MISSING");
        assertEquals(500, missing.getStatus());
        assertEquals("plugin", missing.getErrorSource());
    }

    @Test
    void aThrowingHandlerBecomesPerQueryPluginErrorsAndTheServerStaysUp() {
        var resp = DataGrpc.newBlockingStub(channel).queryData(QueryDataRequest.newBuilder().setPluginContext(ctx())
                .addQueries(query("BOOM")).addQueries(query("X")).build());
        assertEquals(500, resp.getResponsesOrThrow("BOOM").getStatus());
        assertEquals("plugin", resp.getResponsesOrThrow("BOOM").getErrorSource());
        assertTrue(resp.getResponsesOrThrow("X").getError().contains("handler bug"));
        // still serving
        assertEquals(200, DataGrpc.newBlockingStub(channel).queryData(QueryDataRequest.newBuilder().setPluginContext(ctx())
                .addQueries(query("OK")).build()).getResponsesOrThrow("OK").getStatus());
    }

    @Test
    void healthCarriesMessageAndJsonObjectDetails() {
        CheckHealthResponse r = DiagnosticsGrpc.newBlockingStub(channel).checkHealth(CheckHealthRequest.newBuilder().setPluginContext(ctx()).build());
        assertEquals(CheckHealthResponse.HealthStatus.ERROR, r.getStatus());
        assertEquals("nope: ds1", r.getMessage());
        assertEquals("{\"verboseMessage\":\"details\"}", r.getJsonDetails().toStringUtf8());
    }

    @Test
    void metricsAreThePrometheusTextFormatWithRequestCounters() {
        DataGrpc.newBlockingStub(channel).queryData(QueryDataRequest.newBuilder().setPluginContext(ctx()).addQueries(query("OK")).build());
        String text = DiagnosticsGrpc.newBlockingStub(channel).collectMetrics(CollectMetricsRequest.newBuilder().build())
                .getMetrics().getPrometheus().toStringUtf8();
        assertTrue(text.contains("# TYPE opencql_plugin_requests_total counter"), text);
        assertTrue(text.contains("opencql_plugin_requests_total{endpoint=\"queryData\",status=\"ok\"}"), text);
        assertTrue(text.contains("opencql_plugin_request_duration_seconds_bucket{endpoint=\"queryData\""), text);
        assertTrue(text.contains("jvm_memory_used_bytes"), text);
        assertTrue(text.contains("process_cpu_seconds_total"), text);
    }

    @Test
    void resourceStatusAndHeadersComeOnlyWithTheFirstMessage() {
        Iterator<io.opencql.grafana.transport.proto.pluginv2.CallResourceResponse> it = ResourceGrpc.newBlockingStub(channel)
                .callResource(CallResourceRequest.newBuilder().setPluginContext(ctx()).setPath("x").setMethod("GET").build());
        var first = it.next();
        assertEquals(201, first.getCode());
        assertEquals(List.of("a", "b"), first.getHeadersOrThrow("X-Test").getValuesList());
        assertEquals("part1", first.getBody().toStringUtf8());
        var second = it.next();
        assertEquals(0, second.getHeadersCount());
        assertEquals("part2", second.getBody().toStringUtf8());
        assertFalse(it.hasNext());
    }

    @Test
    void aThrowingResourceHandlerAnswers500WithJson() {
        var it = ResourceGrpc.newBlockingStub(channel)
                .callResource(CallResourceRequest.newBuilder().setPluginContext(ctx()).setPath("throw").build());
        var first = it.next();
        assertEquals(500, first.getCode());
        assertTrue(first.getBody().toStringUtf8().startsWith("{\"error\":"), first.getBody().toStringUtf8());
    }

    @Test
    void streamsSubscribePublishAndCancellation() throws Exception {
        var stub = StreamGrpc.newBlockingStub(channel);
        assertEquals(SubscribeStreamResponse.Status.OK, stub.subscribeStream(SubscribeStreamRequest.newBuilder().setPluginContext(ctx()).setPath("known").build()).getStatus());
        assertEquals(SubscribeStreamResponse.Status.NOT_FOUND, stub.subscribeStream(SubscribeStreamRequest.newBuilder().setPluginContext(ctx()).setPath("other").build()).getStatus());
        assertEquals(PublishStreamResponse.Status.PERMISSION_DENIED, stub.publishStream(PublishStreamRequest.newBuilder().setPluginContext(ctx()).setPath("known").build()).getStatus());

        io.grpc.Context.CancellableContext cc = io.grpc.Context.current().withCancellation();
        List<String> got = new ArrayList<>();
        cc.run(() -> {
            Iterator<StreamPacket> packets = StreamGrpc.newBlockingStub(channel).runStream(RunStreamRequest.newBuilder().setPluginContext(ctx()).setPath("known").build());
            for (int i = 0; i < 3; i++) {
                got.add(packets.next().getData().toStringUtf8());
            }
        });
        cc.cancel(null);
        assertEquals(List.of("{\"n\":0}", "{\"n\":1}", "{\"n\":2}"), got);
        assertTrue(streamCancelled.await(2, TimeUnit.SECONDS), "the handler saw the cancellation");
    }

    @Test
    void grpcHealthServingForPluginAndEmptyService() {
        var h = HealthGrpc.newBlockingStub(channel);
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, h.check(HealthCheckRequest.newBuilder().setService("plugin").build()).getStatus());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, h.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus());
    }
}
