package io.opencql.cql.resilience;

import com.datastax.oss.driver.api.core.CqlSession;
import io.opencql.cql.testing.AdminSession;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A single node of {@code tools/cassandra-node.sh} on 127.0.0.4 (the cluster's ports, another loopback address, so it
 * needs no port of its own), with authentication and durable schema: a SIGKILLed node keeps its keyspaces, as a
 * production node would. The tests that kill it own it: it is started by the first and stopped at JVM exit.
 * Data in {@code CASS_CRASH_DIR} (default {@code <repo>/target/cass-crash}).
 */
final class LoneNode {

    static final String ADDRESS = "127.0.0.4";
    private static LoneNode node;

    final int port;
    private final Map<String, String> env;

    private LoneNode() {
        port = Integer.parseInt(ToolScript.setting("CASS_CLUSTER_PORT", "19442"));
        env = Map.of("CASS_ADDRESS", ADDRESS, "CASS_PORT", String.valueOf(port),
                "CASS_STORAGE_PORT", ToolScript.setting("CASS_CLUSTER_STORAGE_PORT", "17400"),
                "CASS_DIR", ToolScript.setting("CASS_CRASH_DIR", ToolScript.root().resolve("target/cass-crash").toString()),
                "CASS_AUTH", "1", "CASS_HEAP", "384m",
                "CASS_JVM_OPTS", "-Dcassandra.unsafesystem=false -Dcassandra.test.flush_local_schema_changes=true");
    }

    static synchronized LoneNode up() {
        if (node == null) {
            node = new LoneNode();
            LoneNode n = node;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> ToolScript.run("cassandra-node.sh", n.env, "stop"), "stop-lone-node"));
        }
        node.start();
        return node;
    }

    String contactPoint() {
        return ADDRESS + ":" + port;
    }

    String start() {
        return ToolScript.ok("cassandra-node.sh", env, "start");
    }

    void kill() {
        ToolScript.ok("cassandra-node.sh", env, "kill");
    }

    void stop() {
        ToolScript.ok("cassandra-node.sh", env, "stop");
    }

    boolean portOpen() {
        return ToolScript.portOpen(ADDRESS, port);
    }

    /** A driver session for set-up, as the default superuser. Close it. */
    CqlSession adminSession() {
        return AdminSession.open("test-lone-admin", List.of(new InetSocketAddress(ADDRESS, port)), "cassandra",
                "cassandra", Duration.ofSeconds(30), AdminSession::reconnectFast);
    }
}
