package io.opencql.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opencql.cql.internal.connect.SessionFactory;
import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.cql.internal.query.ResponseBudget;
import io.opencql.cql.testing.TestNode;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.Plugin;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.backend.TimeRange;
import io.opencql.grafana.instance.InstanceManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 50 data sources (one per tenant or cluster, as large Grafana installations have) each queried once, then left
 * alone past the idle timeout: every session is closed, and this JVM's threads and connections to the node are back
 * to what they were before the first instance.
 */
class IdleReleaseIT {

    static final int DATA_SOURCES = 50;
    static final Duration IDLE = Duration.ofSeconds(3);
    /** 50 opens on a busy 2-core machine: what this test measures is the release, not how fast a session opens */
    static final String OPEN = "\"connectTimeoutSeconds\":30";

    /** Live threads whose name starts with {@code prefix}. */
    static int threads(String prefix) {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith(prefix)) {
                n++;
            }
        }
        return n;
    }

    /** This process's established TCP connections to {@code port} (Linux: /proc/self/fd against /proc/net/tcp*). */
    static int connectionsTo(int port) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        int n = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            // one read: the table changes as sockets open and close, and two reads may differ in length
            List<String> lines = Files.readAllLines(p);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String remote = f[2];
                int remotePort = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16);
                if (remotePort == port && "01".equals(f[3]) && inodes.contains(f[9])) {
                    n++;
                }
            }
        }
        return n;
    }

    static DataResponse query(Plugin plugin, PluginContext ctx) throws Exception {
        String json = "{\"refId\":\"A\",\"cql\":\"SELECT release_version FROM system.local\",\"format\":\"table\"}";
        DataQuery q = new DataQuery("A", 100, 1000, new TimeRange(0, 1), json.getBytes(StandardCharsets.UTF_8), "");
        return plugin.queryData().queryData(new QueryDataRequest(ctx, Map.of(), List.of(q)), RequestContext.NONE).responses().get("A");
    }

    @Test
    void idleDataSourcesGiveBackTheirSessionsThreadsAndConnections() throws Exception {
        TestNode node = TestNode.get();
        int baseThreads = Thread.activeCount();
        int baseConnections = connectionsTo(node.port());
        CqlDataSource dataSource = new CqlDataSource(new SessionFactory(), null, IDLE, ResponseBudget.DEFAULT);
        Plugin plugin = dataSource.plugin();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<DataResponse>> answers = new ArrayList<>();
            // each data source is held (as a running Live stream would) until all 50 have answered, so that the
            // idle clock starts for all at once however long the opens take on a busy machine
            List<InstanceManager.Lease<CqlInstance>> held = new ArrayList<>();
            for (int i = 0; i < DATA_SOURCES; i++) {
                PluginContext ctx = PluginContext.forDataSource(node.settings("idle-" + i, 1, OPEN));
                held.add(dataSource.instances().acquire(ctx));
                answers.add(pool.submit(() -> query(plugin, ctx)));
            }
            for (Future<DataResponse> a : answers) {
                DataResponse r = a.get(300, TimeUnit.SECONDS);
                assertEquals(200, r.status(), r.error());
                r.closeFrames();
            }
            int sessionThreads = threads("cql-idle-");
            int connections = connectionsTo(node.port()) - baseConnections;
            assertEquals(DATA_SOURCES, dataSource.instances().size());
            System.out.printf("FIGURE idle: %d data sources queried once: %d instances, %d driver threads (%.1f per session),"
                            + " %d connections to the node, %d threads in the JVM (%d before)%n", DATA_SOURCES,
                    dataSource.instances().size(), sessionThreads, sessionThreads / (double) DATA_SOURCES, connections,
                    Thread.activeCount(), baseThreads);

            held.forEach(InstanceManager.Lease::close);
            long idleFrom = System.nanoTime();
            long deadline = idleFrom + IDLE.multipliedBy(10).toNanos();
            while (dataSource.instances().size() > 0 || threads("cql-idle-") > 0 || connectionsTo(node.port()) > baseConnections) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("after " + IDLE.multipliedBy(10).toSeconds() + " s idle: " + dataSource.instances().size()
                            + " instances, " + threads("cql-idle-") + " driver threads, " + (connectionsTo(node.port()) - baseConnections)
                            + " connections remain");
                }
                Thread.sleep(100);
            }
            System.out.printf("FIGURE idle: released %.1f s after the last query (idle timeout %d s): 0 instances, 0 driver"
                            + " threads, %d connections to the node (%d before), %d threads in the JVM (%d before)%n",
                    (System.nanoTime() - idleFrom) / 1e9, IDLE.toSeconds(), connectionsTo(node.port()), baseConnections,
                    Thread.activeCount(), baseThreads);
            assertEquals(baseConnections, connectionsTo(node.port()));

            // the next request opens the data source again
            DataResponse again = query(plugin, PluginContext.forDataSource(node.settings("idle-0", 1, OPEN)));
            assertEquals(200, again.status(), again.error());
            again.closeFrames();
            assertTrue(threads("cql-idle-0-") > 0);
        } finally {
            pool.shutdownNow();
            dataSource.close();
        }
    }
}
