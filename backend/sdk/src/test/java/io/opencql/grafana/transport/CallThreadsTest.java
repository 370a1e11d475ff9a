package io.opencql.grafana.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.ErrorSource;
import io.opencql.grafana.backend.Plugin;
import io.opencql.grafana.data.FieldType;
import io.opencql.grafana.data.Frame;
import io.opencql.grafana.instance.InstanceManager;
import io.opencql.grafana.metrics.PluginMetrics;
import io.opencql.grafana.query.QueryCall;
import io.opencql.grafana.query.QueryDriver;
import io.opencql.grafana.query.QueryFailure;
import io.opencql.grafana.query.QueryRunner;
import io.opencql.grafana.transport.proto.pluginv2.DataGrpc;
import io.opencql.grafana.transport.proto.pluginv2.DataSourceInstanceSettings;
import io.opencql.grafana.transport.proto.pluginv2.PluginContext;
import io.opencql.grafana.transport.proto.pluginv2.QueryDataRequest;
import io.opencql.grafana.transport.proto.pluginv2.QueryDataResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which thread serves what, over a real loopback gRPC connection with the SDK's own query engine: a request of
 * self-tests alone is answered on gRPC's event loop and touches no instance; anything that may block (an instance
 * lease, the driver) runs on a call thread, with the call's Context (tenant, cancellation).
 */
class CallThreadsTest {

    static PluginServer server;
    static ManagedChannel channel;
    static InstanceManager<AutoCloseable> instances;
    static QueryRunner<AutoCloseable> runner;
    /** thread names, by what ran there */
    static final Map<String, List<String>> threads = new ConcurrentHashMap<>();
    static final Map<String, String> tenants = new ConcurrentHashMap<>();
    static final CountDownLatch waiting = new CountDownLatch(1);
    static final CountDownLatch cancelled = new CountDownLatch(1);

    static void saw(String what) {
        threads.computeIfAbsent(what, k -> new CopyOnWriteArrayList<>()).add(Thread.currentThread().getName());
    }

    @BeforeAll
    static void start() throws Exception {
        instances = new InstanceManager<>(ctx -> {
            saw("instance");
            return () -> { };
        });
        runner = new QueryRunner<>(instances, new QueryDriver<>() {
            @Override
            public List<Frame> run(AutoCloseable instance, DataQuery q, QueryCall call) throws Exception {
                saw("driver");
                tenants.put(q.refId(), TenantInterceptor.tenant());
                if (q.refId().equals("WAIT")) {
                    // the runner's own listener interrupts this thread on cancel: either way ends the wait
                    call.cancellation().onCancel(cancelled::countDown);
                    waiting.countDown();
                    if (!cancelled.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the cancellation never reached the query");
                    }
                    throw new CancellationException("cancelled");
                }
                Frame f = new Frame("f");
                f.addField("v", FieldType.INT64, false).appendLong(7);
                return List.of(f);
            }

            @Override
            public QueryFailure classify(Throwable failure, AutoCloseable instance) {
                return failure instanceof CancellationException || failure instanceof InterruptedException ? new QueryFailure(499, ErrorSource.DOWNSTREAM, "cancelled") : null;
            }
        }, "test-query");
        Plugin plugin = new Plugin((req, rc) -> {
            saw("handler");
            return runner.queryData(req, rc);
        }, null, null, null, null);
        server = new PluginServer(plugin, new PluginMetrics());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.start()).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        server.stopSoon();
        server.awaitStop();
        runner.close();
        instances.close();
    }

    @BeforeEach
    void forget() {
        threads.clear();
        tenants.clear();
    }

    static QueryDataRequest request(String... refIdAndType) {
        var b = QueryDataRequest.newBuilder().setPluginContext(PluginContext.newBuilder().setOrgId(1).setPluginId("test")
                .setDataSourceInstanceSettings(DataSourceInstanceSettings.newBuilder().setUid("ds1").setLastUpdatedMS(1)
                        .setJsonData(ByteString.copyFromUtf8("{}"))));
        for (int i = 0; i < refIdAndType.length; i += 2) {
            b.addQueries(io.opencql.grafana.transport.proto.pluginv2.DataQuery.newBuilder().setRefId(refIdAndType[i])
                    .setQueryType(refIdAndType[i + 1]).setJson(ByteString.copyFromUtf8("{}")));
        }
        return b.build();
    }

    static DataGrpc.DataBlockingStub stub(String tenant) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("tenantID", Metadata.ASCII_STRING_MARSHALLER), tenant);
        return DataGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    static boolean eventLoop(String thread) {
        // grpc-netty's worker event loops: grpc-nio-worker-ELG-… (NIO, as the plugin runs) or grpc-default-worker-ELG-…
        return thread.matches("grpc-[a-z]+-worker-ELG-.*");
    }

    @Test
    void selfTestsAloneAreAnsweredOnTheEventLoopWithoutAnInstance() {
        QueryDataResponse r = stub("t1").queryData(request("A", "selftest", "B", "selftest"));
        assertEquals(200, r.getResponsesOrThrow("A").getStatus());
        assertEquals(200, r.getResponsesOrThrow("B").getStatus());
        assertEquals(1, r.getResponsesOrThrow("B").getFramesCount());
        List<String> handler = threads.get("handler");
        assertEquals(1, handler.size(), threads.toString());
        assertTrue(eventLoop(handler.get(0)), "self-tests alone run on gRPC's event loop, ran on " + handler);
        assertFalse(threads.containsKey("instance"), "no instance for self-tests: " + threads);
        assertFalse(threads.containsKey("driver"), threads.toString());
    }

    @Test
    void aRequestWithARealQueryLeasesAndRunsOnACallThreadWithItsTenant() {
        QueryDataResponse r = stub("tenant-7").queryData(request("S", "selftest", "Q", ""));
        assertEquals(200, r.getResponsesOrThrow("S").getStatus());
        assertEquals(200, r.getResponsesOrThrow("Q").getStatus(), r.getResponsesOrThrow("Q").getError());
        for (String what : List.of("handler", "driver")) {
            List<String> ran = threads.get(what);
            assertEquals(1, ran.size(), threads.toString());
            assertTrue(ran.get(0).startsWith("plugin-call-"), what + " must run on a call thread, ran on " + ran);
        }
        // the instance is created at most once for ds1 over the class's tests; wherever it was, not on the event loop
        threads.getOrDefault("instance", List.of()).forEach(t -> assertTrue(t.startsWith("plugin-call-"), threads.toString()));
        assertEquals("tenant-7", tenants.get("Q"), "the call's Context reaches the call thread");
    }

    @Test
    void aCancelledCallReachesItsQueryOnTheCallThread() throws Exception {
        Context.CancellableContext call = Context.current().withCancellation();
        CountDownLatch answered = new CountDownLatch(1);
        call.run(() -> DataGrpc.newStub(channel).queryData(request("WAIT", ""), new StreamObserver<>() {
            @Override
            public void onNext(QueryDataResponse value) {
            }

            @Override
            public void onError(Throwable t) {
                answered.countDown();
            }

            @Override
            public void onCompleted() {
                answered.countDown();
            }
        }));
        assertTrue(waiting.await(30, TimeUnit.SECONDS), "the query never started");
        assertTrue(threads.get("driver").get(0).startsWith("plugin-call-"), threads.toString());
        call.cancel(null);
        assertTrue(cancelled.await(30, TimeUnit.SECONDS), "Grafana's cancel must reach the query on the call thread");
        assertTrue(answered.await(30, TimeUnit.SECONDS));
    }

    @Test
    void healthCheckStillAnswers() {
        HealthCheckResponse r = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("plugin").build());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, r.getStatus());
    }
}
