package io.opencql.cql.internal.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import io.opencql.cql.CqlDataSource;
import io.opencql.cql.DataSourceProbe;
import io.opencql.cql.internal.failure.Failure;
import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.testing.TestNode;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.backend.TimeRange;
import io.opencql.grafana.instance.InstanceManager;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real session's bound on requests in flight ({@link DriverConfig.Bounds}), against the node, with the bounds
 * narrowed so that a test-sized burst crosses them: a burst larger than a connection carries waits its turn and is
 * answered in full, where the same burst on the same connection without the bound fails; past the bound's queue a
 * request is refused at once, and the data source says why in words an operator can act on.
 */
class SessionBoundsIT {

    static final int BURST = 60;
    static final String CQL = "SELECT keyspace_name, table_name, column_name FROM system_schema.columns";

    static CqlDataSource dataSource(DriverConfig.Bounds bounds) {
        return DataSourceProbe.create(new SessionFactory() {
            @Override
            protected DriverConfigLoader sessionConfig(CqlSettings s, String sessionName, List<InetSocketAddress> points) {
                return DriverConfig.session(s, sessionName, points, bounds);
            }
        }, null);
    }

    /** Fires the burst from one thread as fast as the driver takes it; the outcome of each request, in order. */
    static List<Throwable> burst(CqlSession session) throws Exception {
        List<CompletableFuture<AsyncResultSet>> sent = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            CompletionStage<AsyncResultSet> s = session.executeAsync(CQL);
            sent.add(s.toCompletableFuture());
        }
        List<Throwable> outcomes = new ArrayList<>();
        for (CompletableFuture<AsyncResultSet> f : sent) {
            try {
                f.get(120, TimeUnit.SECONDS);
                outcomes.add(null);
            } catch (java.util.concurrent.ExecutionException e) {
                outcomes.add(Failure.unwrap(e));
            }
        }
        return outcomes;
    }

    static Map<String, Integer> kinds(List<Throwable> outcomes) {
        Map<String, Integer> n = new TreeMap<>();
        for (Throwable t : outcomes) {
            n.merge(t == null ? "ok" : t.getClass().getSimpleName(), 1, Integer::sum);
        }
        return n;
    }

    @Test
    void aBurstPastWhatTheConnectionCarriesWaitsItsTurn() throws Exception {
        TestNode node = TestNode.get();
        // the control: the same connection size (16 requests; the control connection needs ~10 for its first schema read) without a bound refuses most of the burst
        try (CqlSession bare = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(node.host(), node.port()))
                .withAuthCredentials(node.username(), node.password())
                .withLocalDatacenter(TestNode.setting("CQL_TEST_DC", "datacenter1"))
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS, 16)
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(60)).build())
                .build()) {
            Map<String, Integer> control = kinds(burst(bare));
            assertTrue(control.getOrDefault("ok", 0) < BURST, "without a bound, a burst of " + BURST
                    + " on a connection of 16 requests should fail in part: " + control);
        }
        // the data source's session with the same connection size and a bound of 2 on the wire, 1,000 waiting
        CqlDataSource ds = dataSource(new DriverConfig.Bounds(2, 1000, 16));
        try {
            PluginContext ctx = PluginContext.forDataSource(node.settings("bounds-burst", 1, "\"queryTimeoutSeconds\":60"));
            try (InstanceManager.Lease<CqlInstance> lease = DataSourceProbe.instances(ds).acquire(ctx)) {
                assertEquals(Map.of("ok", BURST), kinds(burst(lease.instance().session())));
            }
            // and the same through QueryData, a panel per thread, as Grafana's calls arrive
            ExecutorService callers = Executors.newFixedThreadPool(BURST);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<DataResponse>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < BURST; i++) {
                    answers.add(callers.submit(() -> {
                        go.await();
                        return query(ds, ctx);
                    }));
                }
                go.countDown();
                int rows = -1;
                for (Future<DataResponse> f : answers) {
                    DataResponse r = f.get(120, TimeUnit.SECONDS);
                    try {
                        assertEquals(200, r.status(), r.error());
                        int n = r.frames().get(0).rowCount();
                        assertTrue(rows == -1 || rows == n, "every panel gets the same rows: " + rows + " and " + n);
                        rows = n;
                    } finally {
                        r.closeFrames();
                    }
                }
                assertTrue(rows > 0, "the query read rows");
            } finally {
                callers.shutdownNow();
            }
        } finally {
            ds.close();
        }
    }

    @Test
    void pastTheQueueARequestIsRefusedAtOnceWithTheDataSourcesWords() throws Exception {
        TestNode node = TestNode.get();
        CqlDataSource ds = dataSource(new DriverConfig.Bounds(1, 2, 16));
        try {
            PluginContext ctx = PluginContext.forDataSource(node.settings("bounds-refused", 1, ""));
            try (InstanceManager.Lease<CqlInstance> lease = DataSourceProbe.instances(ds).acquire(ctx)) {
                List<Throwable> outcomes = burst(lease.instance().session());
                Map<String, Integer> kinds = kinds(outcomes);
                assertTrue(kinds.getOrDefault("ok", 0) >= 3, "the one on the wire and the two waiting are answered: " + kinds);
                assertEquals(BURST, kinds.getOrDefault("ok", 0) + kinds.getOrDefault("RequestThrottlingException", 0),
                        "every other request is refused by the bound, none fails otherwise: " + kinds);
                Throwable refused = outcomes.stream().filter(t -> t instanceof RequestThrottlingException).findFirst()
                        .orElseThrow(() -> new AssertionError("a burst of " + BURST + " past 1 + 2 refused nothing: " + kinds));
                Failure f = Failure.querying(refused, Duration.ofSeconds(10));
                assertEquals(503, f.status());
                assertTrue(f.message().startsWith("too many requests at once on this data source: "), f.message());
                assertTrue(f.message().contains("concurrent requests: 1, queue size: 2"), f.message());
                // the session is still good once the burst is over
                assertFalse(lease.instance().session().execute(CQL).all().isEmpty());
            }
        } finally {
            ds.close();
        }
    }

    static DataResponse query(CqlDataSource ds, PluginContext ctx) throws Exception {
        String json = "{\"refId\":\"A\",\"cql\":\"" + CQL + "\",\"format\":\"table\"}";
        DataQuery q = new DataQuery("A", 100, 1000, new TimeRange(0, 1), json.getBytes(StandardCharsets.UTF_8), "");
        return ds.plugin().queryData().queryData(new QueryDataRequest(ctx, Map.of(), List.of(q)), RequestContext.NONE)
                .responses().get("A");
    }
}
