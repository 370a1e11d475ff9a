package io.opencql.cql.resilience;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import io.opencql.cql.testing.AdminSession;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 3-node cluster of {@code tools/cassandra-cluster.sh} (127.0.0.1-3, authentication off), shared by every
 * resilience test of this JVM. When a test finds it down it starts it (1.5-3.5 min) and stops it when the JVM
 * exits; a cluster someone else started (tools/test.sh, by hand) is left running.
 * Env/properties: CASS_CLUSTER_DIR, CASS_CLUSTER_PORT (19442), CASS_CLUSTER_STORAGE_PORT (17400).
 */
final class TestCluster {

    static final int SIZE = 3;
    private static TestCluster cluster;

    final int port;
    private final Map<String, String> env = new LinkedHashMap<>();

    private TestCluster() {
        port = Integer.parseInt(ToolScript.setting("CASS_CLUSTER_PORT", "19442"));
        env.put("CASS_CLUSTER_PORT", String.valueOf(port));
        env.put("CASS_CLUSTER_STORAGE_PORT", ToolScript.setting("CASS_CLUSTER_STORAGE_PORT", "17400"));
        String dir = ToolScript.setting("CASS_CLUSTER_DIR", null);
        if (dir != null) {
            env.put("CASS_CLUSTER_DIR", dir);
        }
    }

    /** The cluster with every node up. */
    static synchronized TestCluster up() {
        if (cluster == null) {
            cluster = new TestCluster();
            boolean wasUp = ToolScript.run("cassandra-cluster.sh", cluster.env, "status").code() == 0;
            if (!wasUp) {
                TestCluster c = cluster;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> ToolScript.run("cassandra-cluster.sh", c.env, "stop"),
                        "stop-test-cluster"));
            }
        }
        long t0 = System.nanoTime();
        String out = ToolScript.ok("cassandra-cluster.sh", cluster.env, "start"); // starts only the nodes that are down
        System.out.printf("FIGURE cluster start (nodes that were down, until all 3 see each other): %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
        if (!out.contains("cluster of")) {
            throw new AssertionError("cluster did not form: " + out);
        }
        return cluster;
    }

    String address(int node) {
        return "127.0.0." + node;
    }

    /** jsonData.contactPoints for the whole cluster. */
    String contactPoints() {
        StringBuilder b = new StringBuilder();
        for (int n = 1; n <= SIZE; n++) {
            b.append(n > 1 ? "," : "").append(address(n)).append(':').append(port);
        }
        return b.toString();
    }

    void kill(int node) {
        ToolScript.ok("cassandra-cluster.sh", env, "kill", String.valueOf(node));
    }

    void start(int node) {
        ToolScript.ok("cassandra-cluster.sh", env, "start", String.valueOf(node));
    }

    boolean portOpen(int node) {
        return ToolScript.portOpen(address(node), port);
    }

    /** A plain driver session for set-up (DDL), reaching the cluster through every node. Close it. */
    CqlSession adminSession() {
        List<InetSocketAddress> contactPoints = new ArrayList<>();
        for (int n = 1; n <= SIZE; n++) {
            contactPoints.add(new InetSocketAddress(address(n), port));
        }
        return AdminSession.open("test-cluster-admin", contactPoints, null, null, Duration.ofSeconds(30),
                c -> c.withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30)));
    }
}
