package io.opencql.cql.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import io.opencql.grafana.backend.DataSourceSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.scylladb.ScyllaDBContainer;

/**
 * The CQL node integration tests run against, found once per JVM:
 * <ol>
 *   <li>{@code CQL_TEST_HOST} (system property, else environment), {@code host:port}, when set;</li>
 *   <li>else, when a Docker engine answers, a ScyllaDB container ({@code CQL_TEST_SCYLLA_IMAGE}, default
 *       {@code scylladb/scylla:2025.1}) with password authentication;</li>
 *   <li>else {@code 127.0.0.1:19042}, where {@code tools/cassandra-node.sh start} puts a node.</li>
 * </ol>
 * Credentials: {@code CQL_TEST_USER} / {@code CQL_TEST_PASSWORD}, default cassandra/cassandra. When nothing
 * answers, {@link #get()} throws: the tests fail with instructions instead of being skipped.
 */
public record TestNode(String host, int port, String username, String password, String source) {

    private static TestNode node;
    private static ScyllaDBContainer container;

    public static synchronized TestNode get() {
        if (node == null) {
            node = resolve();
        }
        return node;
    }

    private static TestNode resolve() {
        String user = setting("CQL_TEST_USER", "cassandra");
        String password = setting("CQL_TEST_PASSWORD", "cassandra");
        String explicit = setting("CQL_TEST_HOST", null);
        TestNode n;
        if (explicit != null) {
            n = parse(explicit, user, password, "CQL_TEST_HOST");
        } else if (dockerAvailable()) {
            n = scylla(user, password);
        } else {
            n = parse("127.0.0.1:19042", user, password, "default (no CQL_TEST_HOST, no Docker)");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(n.host, n.port), 3000);
        } catch (IOException e) {
            throw new AssertionError("no CQL test node reachable at " + n.contactPoint() + " (" + n.source + "): " + e.getMessage()
                    + ". Start one with `CASS_PORT=" + n.port + " bash tools/cassandra-node.sh start`, or point CQL_TEST_HOST"
                    + " (-DCQL_TEST_HOST=host:port or the environment variable) at a node with user "
                    + user + " (CQL_TEST_USER / CQL_TEST_PASSWORD)");
        }
        return n;
    }

    /** A test setting: the system property, else the environment variable, trimmed; blank or absent: {@code fallback}. */
    public static String setting(String name, String fallback) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            v = System.getenv(name);
        }
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static TestNode parse(String hostPort, String user, String password, String source) {
        String s = hostPort.trim();
        int colon = s.lastIndexOf(':');
        if (colon < 0 || s.endsWith("]")) {
            return new TestNode(s.replace("[", "").replace("]", ""), 9042, user, password, source);
        }
        return new TestNode(s.substring(0, colon).replace("[", "").replace("]", ""),
                Integer.parseInt(s.substring(colon + 1)), user, password, source);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    private static TestNode scylla(String user, String password) {
        String image = setting("CQL_TEST_SCYLLA_IMAGE", "scylladb/scylla:2025.1");
        container = new ScyllaDBContainer(image)
                .withCommand("--developer-mode=1 --overprovisioned=1 --smp=1 --authenticator=PasswordAuthenticator"
                        + " --authorizer=CassandraAuthorizer");
        container.start(); // Testcontainers' reaper removes it when this JVM exits
        InetSocketAddress cp = container.getContactPoint();
        TestNode n = new TestNode(cp.getHostString(), cp.getPort(), user, password, "ScyllaDB container " + image);
        // the default superuser appears a few seconds after CQL opens
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (CqlSession s = n.adminSession()) {
                return n;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("ScyllaDB container started but login as " + user + " kept failing", e);
                }
                sleep(1000);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code host:port}, IPv6 in brackets: the form jsonData.contactPoints takes. */
    public String contactPoint() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Data source settings reaching this node: {@code jsonData} is this JSON object's members plus the contact point. */
    public DataSourceSettings settings(String uid, long lastUpdatedMs, String extraJsonMembers) {
        return settings(uid, lastUpdatedMs, extraJsonMembers, Map.of("username", username, "password", password));
    }

    public DataSourceSettings settings(String uid, long lastUpdatedMs, String extraJsonMembers, Map<String, String> secure) {
        String json = "{\"contactPoints\":\"" + contactPoint() + "\""
                + (extraJsonMembers == null || extraJsonMembers.isBlank() ? "" : "," + extraJsonMembers) + "}";
        return new DataSourceSettings(1, uid, "test " + uid, null, null, null, false, null,
                json.getBytes(StandardCharsets.UTF_8), secure, lastUpdatedMs, "");
    }

    /** A plain session for test set-up (DDL): fast schema agreement, generous timeouts. Close it. */
    public CqlSession adminSession() {
        return AdminSession.open("test-admin", List.of(new InetSocketAddress(host, port)), username, password,
                Duration.ofSeconds(20), AdminSession::reconnectFast);
    }
}
