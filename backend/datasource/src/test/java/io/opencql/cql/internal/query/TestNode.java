package io.opencql.cql.internal.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.session.Request;
import com.datastax.oss.driver.api.core.tracker.RequestIdGenerator;
import com.datastax.oss.driver.api.core.tracker.RequestTracker;
import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.Setting;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.backend.TimeRange;
import io.opencql.grafana.query.QueryCall;
import io.opencql.grafana.query.QueryRunner;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Sessions, settings and instances for the query-side ITs (and the benchmark), on the node
 * {@link io.opencql.cql.testing.TestNode} resolves (CQL_TEST_HOST, a ScyllaDB container, or 127.0.0.1:19042);
 * DC {@code CQL_TEST_DC} (default datacenter1). No node there: the ITs fail, saying how to start one.
 */
final class TestNode {

    static final String KEYSPACE = "query_it";
    /** Where the node is: resolved once for all ITs by {@link io.opencql.cql.testing.TestNode}. */
    private static final io.opencql.cql.testing.TestNode NODE = io.opencql.cql.testing.TestNode.get();
    static final String HOST = NODE.contactPoint();
    static final String USER = NODE.username();
    static final String PASSWORD = NODE.password();
    static final String DC = io.opencql.cql.testing.TestNode.setting("CQL_TEST_DC", "datacenter1");

    /**
     * When each request (page) the shared session completed was sent (System.nanoTime): lets a test count the pages
     * one query fetched, without a request of an earlier test (a cancelled query's page answered late) among them.
     */
    private static final Queue<Long> REQUEST_STARTS = new ConcurrentLinkedQueue<>();
    // when each request of the shared session was handed to the node (the driver asks the id generator then, on the
    // sending thread) and when each that failed had started: with REQUEST_STARTS, what is still in flight
    private static final Queue<Long> REQUEST_SENDS = new ConcurrentLinkedQueue<>();
    private static final Queue<Long> REQUEST_FAILED_STARTS = new ConcurrentLinkedQueue<>();

    private static CqlSession session;

    private TestNode() {
    }

    static InetSocketAddress address() {
        int colon = HOST.lastIndexOf(':');
        return colon < 0 ? new InetSocketAddress(HOST, 9042)
                : new InetSocketAddress(HOST.substring(0, colon), Integer.parseInt(HOST.substring(colon + 1)));
    }

    static DriverConfigLoader config(Duration requestTimeout) {
        return DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
                .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(5))
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ZERO)
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
                .build();
    }

    /** A new session (the caller closes it). */
    static CqlSession connect(String keyspace, String user, String password) {
        var b = CqlSession.builder()
                .addContactPoint(address())
                .withLocalDatacenter(DC)
                .withAuthCredentials(user, password)
                .withConfigLoader(config(Duration.ofSeconds(20)));
        if (keyspace != null) {
            b.withKeyspace(keyspace);
        }
        return b.build();
    }

    /** The shared session with {@link #KEYSPACE} as its keyspace, created on first use. */
    static synchronized CqlSession session() {
        if (session == null) {
            try (CqlSession admin = connect(null, USER, PASSWORD)) {
                admin.execute("CREATE KEYSPACE IF NOT EXISTS " + KEYSPACE
                        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            } catch (RuntimeException e) {
                throw new AssertionError("no CQL node reachable at " + HOST + " as " + USER + " (set CQL_TEST_HOST, or start one with"
                        + " `bash tools/cassandra-node.sh start`): " + e, e);
            }
            session = CqlSession.builder()
                    .addContactPoint(address())
                    .withLocalDatacenter(DC)
                    .withAuthCredentials(USER, PASSWORD)
                    .withKeyspace(KEYSPACE)
                    .withConfigLoader(config(Duration.ofSeconds(20)))
                    .addRequestTracker(new RequestTracker() {
                        @Override
                        public void onSuccess(Request request, long latencyNanos, DriverExecutionProfile profile, Node node, String prefix) {
                            REQUEST_STARTS.add(System.nanoTime() - latencyNanos);
                        }

                        @Override
                        public void onError(Request request, Throwable error, long latencyNanos, DriverExecutionProfile profile, Node node,
                                            String prefix) {
                            REQUEST_FAILED_STARTS.add(System.nanoTime() - latencyNanos);
                        }

                        @Override
                        public void close() {
                        }
                    })
                    .withRequestIdGenerator(new RequestIdGenerator() {
                        @Override
                        public String getSessionRequestId() {
                            return "t";
                        }

                        @Override
                        public String getNodeRequestId(Request request, String parentId) {
                            REQUEST_SENDS.add(System.nanoTime());
                            return parentId;
                        }

                        @Override
                        public Statement<?> getDecoratedStatement(Statement<?> statement, String requestId) {
                            return statement; // no custom payload: the requests stay what the engine sent
                        }
                    })
                    .build();
            CqlSession s = session;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    s.closeAsync().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    // exiting anyway
                }
            }));
        }
        return session;
    }

    /**
     * Requests of the shared session sent at or after {@code nanoTime}, once every one of them has completed (the
     * driver tells its tracker just after completing a request's future, so a caller can be back before the count);
     * the bound only stops a hang.
     */
    static long requestsSentSince(long nanoTime) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            long sent = REQUEST_SENDS.stream().filter(t -> t >= nanoTime).count();
            long succeeded = REQUEST_STARTS.stream().filter(t -> t >= nanoTime).count();
            long failed = REQUEST_FAILED_STARTS.stream().filter(t -> t >= nanoTime).count();
            if (succeeded + failed >= sent) {
                return succeeded;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(sent + " requests sent since the query began, only " + (succeeded + failed) + " completed");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    static CqlSettings settings(boolean readOnly, int pageSize, long rowLimit, Duration queryTimeout) {
        return new CqlSettings(List.of(new CqlSettings.ContactPoint(address().getHostString(), address().getPort())), KEYSPACE, DC,
                com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_ONE, Duration.ofSeconds(5), queryTimeout, pageSize, rowLimit, readOnly, CqlSettings.Tls.OFF, USER, PASSWORD);
    }

    static CqlSettings settings() {
        return settings(true, Setting.PAGE_SIZE.defaultValue(Integer.class), Setting.ROW_LIMIT.defaultValue(Long.class), Setting.QUERY_TIMEOUT.defaultValue(java.time.Duration.class));
    }

    /** A data source instance over {@code sessions}, as the connection side would hand it to the engine. */
    record Instance(CqlSettings settings, Supplier<CqlSession> sessions) implements CqlInstance {
        @Override
        public CqlSession session() {
            return sessions.get();
        }

        @Override
        public void close() {
        }
    }

    static CqlInstance instance(CqlSettings settings) {
        return new Instance(settings, TestNode::session);
    }

    static DataQuery query(String refId, String json, long fromMs, long toMs) {
        return new DataQuery(refId, 1000, 30_000, new TimeRange(fromMs, toMs), json.getBytes(StandardCharsets.UTF_8), "");
    }

    static DataResponse run(CqlInstance instance, DataQuery q) {
        return answer(new CqlQueries(), instance, q, PluginContext.forDataSource(null), RequestContext.NONE);
    }

    /** One query's answer as the SDK's query runner gives it (refIds, failures, executed CQL), on {@code instance}. */
    static DataResponse answer(CqlQueries driver, CqlInstance instance, DataQuery q, PluginContext ctx, RequestContext rc) {
        return QueryRunner.answer(driver, instance, q, new QueryCall(ctx, false, rc));
    }

    /** The JSON of a query model with {@code cql} and extra raw JSON members (e.g. {@code "format":"time_series"}). */
    static String model(String cql, String extra) {
        StringBuilder sb = new StringBuilder("{\"refId\":\"A\",\"cql\":\"");
        for (char c : cql.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        sb.append('"');
        if (extra != null && !extra.isEmpty()) {
            sb.append(',').append(extra);
        }
        return sb.append('}').toString();
    }
}
