package io.opencql.cql.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.opencql.cql.CqlDataSource;
import io.opencql.cql.DataSourceProbe;
import io.opencql.grafana.backend.CheckHealthRequest;
import io.opencql.grafana.backend.CheckHealthResult;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.Plugin;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One node (authentication on, durable schema) SIGKILLed while the plugin reads a long result from it, then
 * restarted: the cut query fails with an error that says what happened, and the data source answers again within
 * 10 s of the node's CQL port opening. A second data source whose keyspace was dropped while the node was down is
 * told that the keyspace is missing, not that no node is available.
 */
class NodeCrashIT {

    static final String KEYSPACE = "resilience_crash";
    static final String GONE = "resilience_gone";
    /** ~200 bytes each, one partition: ~12 MB, a read of several seconds across pages */
    static final int ROWS = 60_000;
    static final String LONG_READ = "SELECT p, c, v FROM " + KEYSPACE + ".big WHERE p = 0";
    static final long RECOVERY_BOUND_MS = 10_000;

    static LoneNode node;
    static CqlDataSource dataSource;

    @BeforeAll
    static void setUp() throws Exception {
        node = LoneNode.up();
        try (CqlSession admin = node.adminSession()) {
            admin.execute("CREATE KEYSPACE IF NOT EXISTS " + KEYSPACE
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            admin.execute("CREATE TABLE IF NOT EXISTS " + KEYSPACE + ".big (p int, c int, v text, PRIMARY KEY (p, c))");
            if (admin.execute("SELECT c FROM " + KEYSPACE + ".big WHERE p = 0 AND c = " + (ROWS - 1)).one() == null) {
                fill(admin);
            }
            admin.execute("CREATE KEYSPACE IF NOT EXISTS " + GONE
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            admin.execute("CREATE TABLE IF NOT EXISTS " + GONE + ".t (k int PRIMARY KEY, v int)");
            admin.execute("INSERT INTO " + GONE + ".t (k, v) VALUES (1, 1)");
        }
        dataSource = DataSourceProbe.create(null);
    }

    static void fill(CqlSession admin) throws Exception {
        PreparedStatement ins = admin.prepare("INSERT INTO " + KEYSPACE + ".big (p, c, v) VALUES (0, ?, ?)");
        String pad = "x".repeat(190);
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int c = 0; c < ROWS; c += 100) {
            var batch = BatchStatement.builder(BatchType.UNLOGGED);
            for (int i = c; i < c + 100; i++) {
                batch.addStatement(ins.bind(i, pad + i));
            }
            inFlight.acquire();
            all.add(admin.executeAsync(batch.build()).toCompletableFuture().whenComplete((r, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
    }

    @AfterAll
    static void tearDown() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    static DataSourceSettings settings(String uid, String extra) {
        String json = "{\"contactPoints\":\"" + node.contactPoint() + "\"" + extra + "}";
        return new DataSourceSettings(1, uid, "crash " + uid, null, null, null, false, null,
                json.getBytes(StandardCharsets.UTF_8), Map.of("username", "cassandra", "password", "cassandra"), 1, "");
    }

    /** Whether the node is running the plugin's long read right now (Cassandra 5's list of running queries). */
    static boolean longReadRunning(CqlSession admin) {
        for (Row r : admin.execute("SELECT task FROM system_views.queries")) {
            String task = r.getString(0);
            if (task != null && task.contains(LONG_READ)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void sigkillMidQueryThenRestart() throws Exception {
        Plugin plugin = dataSource.plugin();
        PluginContext big = PluginContext.forDataSource(settings("crash-big", ""));
        PluginContext gone = PluginContext.forDataSource(settings("crash-gone", ",\"keyspace\":\"" + GONE + "\""));
        String probe = "SELECT c FROM " + KEYSPACE + ".big WHERE p = 0 LIMIT 1";
        DataResponse warm = QueryLoad.query(plugin, big, probe);
        assertEquals(200, warm.status(), warm.error());
        DataResponse warmGone = QueryLoad.query(plugin, gone, "SELECT k, v FROM t");
        assertEquals(200, warmGone.status(), warmGone.error());
        try (CqlSession admin = node.adminSession()) {
            admin.execute("DROP KEYSPACE " + GONE); // its data source's session still has it as its keyspace
        }

        ExecutorService pool = Executors.newCachedThreadPool();
        DataResponse cut;
        long killedAt;
        try (CqlSession admin = node.adminSession()) {
            Future<DataResponse> longRead = pool.submit(() -> QueryLoad.query(plugin, big, LONG_READ));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!longReadRunning(admin)) {
                if (longRead.isDone()) {
                    throw new AssertionError("the long read ended before the node could be killed during it: "
                            + longRead.get().status() + " " + longRead.get().error() + "; make the table bigger");
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the long read never showed in system_views.queries");
                }
            }
            node.kill();
            killedAt = System.nanoTime();
            cut = longRead.get(60, TimeUnit.SECONDS);
        }
        System.out.println("FIGURE crash: the query cut by the SIGKILL answered " + cut.status() + " after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms: " + cut.error());
        cut.closeFrames();
        assertNotEquals(200, cut.status(), "the read finished although its node was killed during it");
        assertTrue(cut.error().startsWith("lost the connection to node " + node.contactPoint() + " during the query"), cut.error());

        AtomicLong portOpenAt = new AtomicLong();
        AtomicLong firstOkAt = new AtomicLong();
        Future<?> portWatch = pool.submit(() -> {
            while (!node.portOpen()) {
                Thread.sleep(20);
            }
            portOpenAt.set(System.nanoTime());
            return null;
        });
        Future<String> prober = pool.submit(() -> {
            String last = null;
            while (true) {
                DataResponse r = QueryLoad.query(plugin, big, probe);
                r.closeFrames();
                if (r.status() == 200) {
                    firstOkAt.set(System.nanoTime());
                    return last;
                }
                last = r.status() + " " + r.error();
                Thread.sleep(100);
            }
        });
        String started = node.start();
        portWatch.get(60, TimeUnit.SECONDS);
        String lastError;
        try {
            lastError = prober.get(portOpenAt.get() + TimeUnit.SECONDS.toNanos(60) - System.nanoTime(), TimeUnit.NANOSECONDS);
        } finally {
            pool.shutdownNow();
        }
        long recoveryMs = TimeUnit.NANOSECONDS.toMillis(firstOkAt.get() - portOpenAt.get());
        System.out.println("FIGURE crash: node restarted (" + started + "); first successful query " + recoveryMs
                + " ms after the CQL port opened (bound " + RECOVERY_BOUND_MS + " ms); last error before: " + lastError);
        assertTrue(recoveryMs <= RECOVERY_BOUND_MS, "recovered " + recoveryMs + " ms after the port opened");

        // that data source's own session sees the node back after its next reconnection attempt (at most 5 s apart);
        // until then "no node of the cluster is up" is what it knows, and true
        long back = System.nanoTime();
        DataResponse missing = QueryLoad.query(plugin, gone, "SELECT k, v FROM t");
        while (missing.status() == 502 && missing.error().contains("no node of the cluster is up")
                && System.nanoTime() - back < TimeUnit.SECONDS.toNanos(30)) {
            Thread.sleep(200);
            missing = QueryLoad.query(plugin, gone, "SELECT k, v FROM t");
        }
        System.out.println("FIGURE crash: data source whose keyspace was dropped, " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back)
                + " ms after the other one recovered: " + missing.status() + " " + missing.error());
        assertEquals(400, missing.status(), missing.error());
        assertTrue(missing.error().contains("Keyspace \"" + GONE + "\" does not exist (jsonData.keyspace)"), missing.error());
        CheckHealthResult health = plugin.checkHealth().checkHealth(new CheckHealthRequest(gone, Map.of()), RequestContext.NONE);
        System.out.println("FIGURE crash: Save & test of that data source: " + health.status() + " " + health.message());
        assertTrue(health.message().startsWith("Keyspace \"" + GONE + "\" does not exist"), health.message());
    }
}
