package io.opencql.plugin;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.StreamObserver;
import io.opencql.grafana.transport.proto.goplugin.ConnInfo;
import io.opencql.grafana.transport.proto.goplugin.GRPCBrokerGrpc;
import io.opencql.grafana.transport.proto.goplugin.GRPCStdioGrpc;
import io.opencql.grafana.transport.proto.pluginv2.CallResourceRequest;
import io.opencql.grafana.transport.proto.pluginv2.CheckHealthRequest;
import io.opencql.grafana.transport.proto.pluginv2.CheckHealthResponse;
import io.opencql.grafana.transport.proto.pluginv2.DataGrpc;
import io.opencql.grafana.transport.proto.pluginv2.DataQuery;
import io.opencql.grafana.transport.proto.pluginv2.DataSourceInstanceSettings;
import io.opencql.grafana.transport.proto.pluginv2.DiagnosticsGrpc;
import io.opencql.grafana.transport.proto.pluginv2.PluginContext;
import io.opencql.grafana.transport.proto.pluginv2.QueryDataRequest;
import io.opencql.grafana.transport.proto.pluginv2.QueryDataResponse;
import io.opencql.grafana.transport.proto.pluginv2.ResourceGrpc;
import io.opencql.grafana.transport.proto.pluginv2.TimeRange;
import io.opencql.grafana.transport.proto.pluginv2.User;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The training workload of the start-up archive (make-cds-archive.sh, {@code -Pbundle-jre}): not a test, and never
 * shipped (it lives in the test classes). While the packaged plugin runs with {@code -XX:AOTCacheOutput}, this
 * client calls it as Grafana does, so that the cache holds the classes of a query's whole path (loaded and linked)
 * and, on Java 25+, the method profiles of those calls (JEP 515): the JIT then compiles the hot paths at once
 * instead of after thousands of requests, which is what a dashboard met in the plugin's first minutes.
 *
 * <p>Without a node it trains what needs none: gRPC, the health check, self-test queries (request decoding, the
 * middleware, the Arrow encoding), Save &amp; test and a query against a closed port (the driver's start-up and
 * its failure path). With a node ({@code host:port}, user, password) it also runs queries of both shapes on the
 * node's own system tables (nothing is written), one at a time and as a burst of concurrent panels, and the
 * schema resources.
 *
 * <p>Usage: {@code TrainingRun PLUGIN_PORT [CQL_HOST:PORT USER PASSWORD]}
 */
public final class TrainingRun {

    private static final int SELFTESTS = 3000;
    private static final int QUERIES = 600;
    private static final int PANELS = 20;
    private static final int BURSTS = 30;
    /** A bound on one call (a hang), not on the work: Save &amp; test may wait for a session on a loaded machine. */
    private static final int CALL_SECONDS = 120;

    private TrainingRun() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).build();
        try {
            train(channel, args.length >= 4 ? args[1] : null, args.length >= 4 ? args[2] : null, args.length >= 4 ? args[3] : null);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    static void train(ManagedChannel channel, String node, String user, String password) throws Exception {
        long t0 = System.nanoTime();
        // what go-plugin opens right after the handshake: the broker's and stdio's streams
        StreamObserver<ConnInfo> broker = GRPCBrokerGrpc.newStub(channel).startStream(ignore());
        GRPCStdioGrpc.newStub(channel).streamStdio(Empty.getDefaultInstance(), ignore());
        var health = HealthGrpc.newBlockingStub(channel);
        var data = DataGrpc.newBlockingStub(channel);
        var diagnostics = DiagnosticsGrpc.newBlockingStub(channel);
        // Grafana always sends the decrypted secure settings (a protobuf map); the closed port refuses before any login
        PluginContext noNode = context("train-closed", "127.0.0.1", 1, "cassandra", "cassandra");
        for (int i = 0; i < SELFTESTS; i++) {
            timed(health).check(HealthCheckRequest.newBuilder().setService("plugin").build());
            timed(data).queryData(QueryDataRequest.newBuilder().setPluginContext(noNode)
                    .addQueries(query("A", "selftest", "{}")).build());
        }
        // the driver's start-up and its failure path: a closed port is refused at once
        timed(diagnostics).checkHealth(CheckHealthRequest.newBuilder().setPluginContext(noNode).build());
        timed(data).queryData(QueryDataRequest.newBuilder().setPluginContext(noNode)
                .addQueries(query("A", "", cql("SELECT release_version FROM system.local", "table"))).build());
        int queries = 0;
        if (node != null) {
            int colon = node.lastIndexOf(':');
            PluginContext ctx = context("train-node", node.substring(0, colon), Integer.parseInt(node.substring(colon + 1)), user, password);
            var check = timed(diagnostics).checkHealth(CheckHealthRequest.newBuilder().setPluginContext(ctx).build());
            if (check.getStatus() != CheckHealthResponse.HealthStatus.OK) {
                throw new IllegalStateException("Save & test against " + node + " failed: " + check.getMessage());
            }
            List<DataQuery> panel = List.of(
                    query("A", "", cql("SELECT keyspace_name, table_name, column_name, kind, position, type FROM system_schema.columns LIMIT 100", "table")),
                    query("B", "", cql("SELECT toTimestamp(now()) AS time, keyspace_name, table_name, gc_grace_seconds, bloom_filter_fp_chance FROM system_schema.tables LIMIT 100", "time_series")));
            for (int i = 0; i < QUERIES; i++) {
                answered(timed(data).queryData(QueryDataRequest.newBuilder().setPluginContext(ctx).addQueries(panel.get(i % 2)).build()));
                queries++;
            }
            ExecutorService panels = Executors.newFixedThreadPool(PANELS);
            try {
                for (int round = 0; round < BURSTS; round++) {
                    List<Future<?>> burst = new ArrayList<>();
                    for (int p = 0; p < PANELS; p++) {
                        DataQuery q = panel.get(p % 2);
                        burst.add(panels.submit(() -> answered(timed(data).queryData(
                                QueryDataRequest.newBuilder().setPluginContext(ctx).addQueries(q).build()))));
                    }
                    for (Future<?> f : burst) {
                        f.get(CALL_SECONDS, TimeUnit.SECONDS);
                    }
                    queries += PANELS;
                }
            } finally {
                panels.shutdownNow();
            }
            var resources = ResourceGrpc.newBlockingStub(channel);
            for (String path : new String[] {"keyspaces", "tables?keyspace=system_schema", "columns?keyspace=system_schema&table=columns"}) {
                Iterator<?> it = timed(resources).callResource(CallResourceRequest.newBuilder().setPluginContext(ctx)
                        .setMethod("GET").setPath(path.replaceAll("\\?.*", "")).setUrl(path).build());
                it.forEachRemaining(r -> { });
            }
        }
        broker.onCompleted();
        System.err.printf("training: %d self-tests, %d queries on %s in %d ms%n", SELFTESTS, queries,
                node == null ? "no node" : node, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** Every call with a deadline of its own, as Grafana's requests carry one. */
    private static <S extends AbstractStub<S>> S timed(S stub) {
        return stub.withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
    }

    private static <T> StreamObserver<T> ignore() {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private static Object answered(QueryDataResponse r) {
        r.getResponsesMap().forEach((refId, res) -> {
            if (!res.getError().isEmpty()) {
                throw new IllegalStateException("training query " + refId + " failed: " + res.getError());
            }
        });
        return r;
    }

    private static String cql(String cql, String format) {
        return "{\"cql\":\"" + cql + "\",\"format\":\"" + format + "\"}";
    }

    private static DataQuery query(String refId, String queryType, String model) {
        long now = System.currentTimeMillis();
        return DataQuery.newBuilder().setRefId(refId).setQueryType(queryType).setJson(ByteString.copyFromUtf8(model))
                .setMaxDataPoints(1000).setIntervalMS(1000)
                .setTimeRange(TimeRange.newBuilder().setFromEpochMS(now - 3_600_000).setToEpochMS(now)).build();
    }

    private static PluginContext context(String uid, String host, int port, String user, String password) {
        var settings = DataSourceInstanceSettings.newBuilder().setUid(uid).setName(uid).setLastUpdatedMS(1)
                .setJsonData(ByteString.copyFromUtf8("{\"contactPoints\":\"" + host + "\",\"port\":" + port
                        + ",\"connectTimeoutSeconds\":5}"));
        settings.putDecryptedSecureJsonData("username", user).putDecryptedSecureJsonData("password", password);
        // as Grafana sends it: the signed-in user too
        return PluginContext.newBuilder().setOrgId(1).setPluginId("opencql-cql-datasource")
                .setUser(User.newBuilder().setLogin("admin").setName("admin").setRole("Admin"))
                .setDataSourceInstanceSettings(settings).build();
    }
}
