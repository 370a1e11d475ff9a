package io.opencql.cql.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.EndPoint;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.servererrors.CoordinatorException;
import com.datastax.oss.driver.internal.core.context.InternalDriverContext;
import io.opencql.cql.CqlDataSource;
import io.opencql.cql.DataSourceProbe;
import io.opencql.cql.internal.kernel.CqlInstance;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.Plugin;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.instance.InstanceManager;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three nodes, RF=3, the plugin's default consistency (LOCAL_ONE), 20 queries/s through the plugin's own QueryData
 * handler: SIGKILL the node holding the driver's control connection, then a second node. Reads are idempotent, so
 * the driver retries a read cut by the lost connection on another replica: no query may fail, in either step.
 */
class ClusterFailoverIT {

    static final String KEYSPACE = "resilience_cluster";
    static final int RATE = 20;
    /** answers per phase: 10 s at 20 queries/s */
    static final int PER_PHASE = 200;

    static TestCluster cluster;
    static CqlDataSource dataSource;

    @BeforeAll
    static void setUp() throws InterruptedException {
        cluster = TestCluster.up();
        try (CqlSession admin = cluster.adminSession()) {
            admin.execute("CREATE KEYSPACE IF NOT EXISTS " + KEYSPACE
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
            // the table's DDL may go to another coordinator than the keyspace's: on a loaded machine one answered
            // "Keyspace 'resilience_cluster' doesn't exist" although the driver had waited for agreement; so every
            // node must know the keyspace before the table is created
            await(admin::checkSchemaAgreement, 120, "every node to agree on the schema");
            for (Node node : admin.getMetadata().getNodes().values()) {
                await(() -> knowsKeyspace(admin, node), 120, node.getEndPoint() + " to know keyspace " + KEYSPACE);
            }
            admin.execute("CREATE TABLE IF NOT EXISTS " + KEYSPACE + ".readings (sensor text, ts timestamp, v double,"
                    + " PRIMARY KEY (sensor, ts))");
            // on a loaded machine gossip may take longer than the driver's 10 s wait for every node to know the table
            await(admin::checkSchemaAgreement, 120, "every node to agree on the schema");
            // agreement as the control node reads system.peers is not every node serving the table: on a cluster
            // that had just formed, a prepare right after it still met a node answering "table readings does not
            // exist", and a read a replica failing it; ask each node itself
            for (Node node : admin.getMetadata().getNodes().values()) {
                await(() -> knowsTable(admin, node), 120, node.getEndPoint() + " to serve " + KEYSPACE + ".readings");
            }
            PreparedStatement ins = admin.prepare("INSERT INTO " + KEYSPACE + ".readings (sensor, ts, v) VALUES (?, ?, ?)");
            var batch = BatchStatement.builder(BatchType.UNLOGGED).setConsistencyLevel(DefaultConsistencyLevel.ALL);
            long t = 1_700_000_000_000L;
            for (int i = 0; i < 200; i++) {
                batch.addStatement(ins.bind("s1", Instant.ofEpochMilli(t + i * 1000L), i * 0.5));
            }
            admin.execute(batch.build()); // ALL: every replica has every row before any node goes
        }
        dataSource = DataSourceProbe.create(null);
    }

    @AfterAll
    static void tearDown() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    static DataSourceSettings settings(String uid) {
        String json = "{\"contactPoints\":\"" + cluster.contactPoints() + "\"}";
        return new DataSourceSettings(1, uid, "cluster " + uid, null, null, null, false, null,
                json.getBytes(StandardCharsets.UTF_8), Map.of(), 1, "");
    }

    /** Which node the driver's control connection is on (the one whose loss also moves the metadata feed). */
    static int controlNode(Plugin plugin, DataSourceSettings ds) throws Exception {
        try (InstanceManager.Lease<CqlInstance> lease = DataSourceProbe.instances(dataSource).acquire(PluginContext.forDataSource(ds))) {
            InternalDriverContext ctx = (InternalDriverContext) lease.instance().session().getContext();
            EndPoint ep = ctx.getControlConnection().channel().getEndPoint();
            String host = ((InetSocketAddress) ep.resolve()).getAddress().getHostAddress();
            return Integer.parseInt(host.substring(host.lastIndexOf('.') + 1));
        }
    }

    /** The last node answer that was not rows, for the timeout's message. */
    private static volatile String lastRefusal;

    /** Whether {@code node} itself lists the test keyspace in its schema tables. */
    static boolean knowsKeyspace(CqlSession admin, Node node) {
        try {
            boolean known = admin.execute(SimpleStatement.newInstance(
                    "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?", KEYSPACE).setNode(node)).one() != null;
            if (!known) {
                lastRefusal = node.getEndPoint() + ": no row for " + KEYSPACE + " in system_schema.keyspaces";
            }
            return known;
        } catch (CoordinatorException notYet) {
            lastRefusal = node.getEndPoint() + ": " + notYet;
            return false;
        }
    }

    static boolean knowsTable(CqlSession admin, Node node) {
        try {
            // ALL: with RF=3 on 3 nodes every node is a replica, and each must answer
            admin.execute(SimpleStatement.newInstance("SELECT sensor FROM " + KEYSPACE + ".readings LIMIT 1").setNode(node)
                    .setConsistencyLevel(DefaultConsistencyLevel.ALL));
            return true;
        } catch (CoordinatorException notYet) {
            // the node itself, or a replica it asked, does not have the table yet: "table does not exist" (invalid
            // query), a failed read, or, when a replica has the keyspace but not yet the table's id, a server error
            // "Unknown CF <id>" (seen in a loaded run); any answer but rows is "not yet", the timeout bounds it
            lastRefusal = node.getEndPoint() + ": " + notYet;
            return false;
        }
    }

    static void await(BooleanSupplier condition, long timeoutSeconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutSeconds + " s waiting for " + what
                        + (lastRefusal == null ? "" : "; last refusal: " + lastRefusal));
            }
            Thread.sleep(50);
        }
    }

    @Test
    void killingOneNodeThenASecondFailsNoRead() throws Exception {
        Plugin plugin = dataSource.plugin();
        DataSourceSettings ds = settings("cluster-failover");
        String cql = "SELECT sensor, ts, v FROM " + KEYSPACE + ".readings WHERE sensor = 's1'";
        DataResponse warm = QueryLoad.query(plugin, PluginContext.forDataSource(ds), cql);
        assertEquals(200, warm.status(), warm.error());
        assertEquals(200, warm.frames().get(0).rowCount());
        warm.closeFrames();

        int first = controlNode(plugin, ds);
        int second = first % TestCluster.SIZE + 1;
        List<QueryLoad.Outcome> before;
        List<QueryLoad.Outcome> afterFirst;
        List<QueryLoad.Outcome> afterSecond;
        long kill1;
        long kill2;
        try (QueryLoad load = new QueryLoad(plugin, ds, cql, RATE)) {
            await(() -> load.between(0, Long.MAX_VALUE).size() >= PER_PHASE / 2, 120, "a baseline of 100 answers");
            kill1 = load.nowMs();
            cluster.kill(first);
            long k1 = kill1;
            await(() -> load.between(k1, Long.MAX_VALUE).size() >= PER_PHASE, 120, PER_PHASE + " answers after the first kill");
            kill2 = load.nowMs();
            cluster.kill(second);
            long k2 = kill2;
            await(() -> load.between(k2, Long.MAX_VALUE).size() >= PER_PHASE, 120, PER_PHASE + " answers after the second kill");
            load.drain();
            before = load.between(0, kill1);
            afterFirst = load.between(kill1, kill2);
            afterSecond = load.between(kill2, Long.MAX_VALUE);
        }
        System.out.println("FIGURE cluster 3 nodes RF=3 LOCAL_ONE " + RATE + " q/s, all up: " + QueryLoad.summary(before));
        System.out.println("FIGURE cluster node " + first + " (control connection) SIGKILLed: " + QueryLoad.summary(afterFirst));
        System.out.println("FIGURE cluster node " + second + " SIGKILLed too (one replica left): " + QueryLoad.summary(afterSecond));
        assertTrue(QueryLoad.failures(before).isEmpty(), "with every node up: " + QueryLoad.failures(before));
        assertTrue(QueryLoad.failures(afterFirst).isEmpty(), "after killing node " + first + ": " + QueryLoad.failures(afterFirst));
        assertTrue(QueryLoad.failures(afterSecond).isEmpty(), "after killing node " + second + " too: " + QueryLoad.failures(afterSecond));
    }
}
