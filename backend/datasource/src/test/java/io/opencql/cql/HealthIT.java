package io.opencql.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.opencql.cql.testing.TestNode;
import io.opencql.grafana.backend.CheckHealthRequest;
import io.opencql.grafana.backend.CheckHealthResult;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.Plugin;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.RequestContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CheckHealth through the plugin's own handler, against the test node and against hosts that fail on purpose. */
class HealthIT {

    static final String KEYSPACE = "cql_connect_health_it";
    private static final AtomicLong UPDATED = new AtomicLong(1);

    static TestNode node;
    static CqlDataSource dataSource;
    static Plugin plugin;
    static String releaseVersion;
    static String clusterName;
    static String datacenter;
    static String scyllaVersion;

    @BeforeAll
    static void setUp() {
        node = TestNode.get();
        try (CqlSession admin = node.adminSession()) {
            admin.execute("CREATE KEYSPACE IF NOT EXISTS " + KEYSPACE
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            Row local = admin.execute("SELECT release_version, cluster_name, data_center FROM system.local").one();
            releaseVersion = local.getString(0);
            clusterName = local.getString(1);
            datacenter = local.getString(2);
            try {
                scyllaVersion = admin.execute("SELECT version FROM system.versions WHERE key = 'local'").one().getString(0);
            } catch (RuntimeException cassandra) {
                scyllaVersion = null;
            }
        }
        dataSource = new CqlDataSource();
        plugin = dataSource.plugin();
    }

    @AfterAll
    static void tearDown() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    /** Each check its own data source (uid), as Grafana would send after "Save". */
    static CheckHealthResult check(DataSourceSettings ds) throws Exception {
        return plugin.checkHealth().checkHealth(new CheckHealthRequest(PluginContext.forDataSource(ds), Map.of()), RequestContext.NONE);
    }

    static DataSourceSettings settings(String extra) {
        return node.settings("health-" + UPDATED.incrementAndGet(), UPDATED.get(), extra);
    }

    private static String product() {
        return scyllaVersion != null ? "ScyllaDB " + scyllaVersion : "Apache Cassandra " + releaseVersion;
    }

    @Test
    void okNamesServerClusterDatacenterAndKeyspace() throws Exception {
        CheckHealthResult r = check(settings("\"keyspace\":\"" + KEYSPACE + "\""));
        assertEquals(CheckHealthResult.Status.OK, r.status(), r.message());
        assertEquals("Connected to " + product() + ", cluster " + clusterName + ", datacenter " + datacenter
                + " (keyspace " + KEYSPACE + ")", r.message());
    }

    @Test
    void okWithoutKeyspaceAndWithAnExplicitDatacenter() throws Exception {
        CheckHealthResult r = check(settings("\"localDatacenter\":\"" + datacenter + "\""));
        assertEquals("Connected to " + product() + ", cluster " + clusterName + ", datacenter " + datacenter, r.message());
    }

    @Test
    void wrongPasswordIsAnAuthenticationFailureThatNeverEchoesThePassword() throws Exception {
        String wrong = "wrong-pw-7731";
        CheckHealthResult r = check(node.settings("health-pw", 1, "", Map.of("username", node.username(), "password", wrong)));
        assertEquals(CheckHealthResult.Status.ERROR, r.status());
        assertEquals("Authentication failed: the cluster rejected the user name and password of user \"" + node.username()
                + "\" (check secureJsonData.username and secureJsonData.password)", r.message());
        assertFalse(r.message().contains(wrong));
        assertTrue(r.details().containsKey("verboseMessage"));
        assertFalse(r.details().toString().contains(wrong), r.details().toString());
        assertTrue(r.details().get("verboseMessage").contains("AuthenticationException"), r.details().get("verboseMessage"));
    }

    @Test
    void noCredentialsAgainstAnAuthenticatingNode() throws Exception {
        CheckHealthResult r = check(node.settings("health-noauth", 1, "", Map.of()));
        assertEquals("Authentication failed: the cluster requires a user name and password, and none is configured (set"
                + " secureJsonData.username and secureJsonData.password)", r.message());
    }

    @Test
    void refusedContactPointIsNoHostReachableAndFast() throws Exception {
        DataSourceSettings ds = node.settings("health-refused", 1, "", Map.of("username", "u", "password", "p"));
        ds = withJson(ds, "{\"contactPoints\":\"127.0.0.1:1\",\"connectTimeoutSeconds\":2}");
        long t0 = System.nanoTime();
        CheckHealthResult r = check(ds);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(CheckHealthResult.Status.ERROR, r.status());
        assertEquals("No host reachable: tried 127.0.0.1:1 (connection refused). Check jsonData.contactPoints and jsonData.port,"
                + " and that Grafana can reach the nodes", r.message());
        assertTrue(ms < 3_000, "took " + ms + " ms");
    }

    @Test
    void aHostThatAcceptsButNeverAnswersFailsWithinConnectTimeoutPlusAMargin() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!blackhole.isClosed()) {
                    try {
                        held.add(blackhole.accept()); // accept, never answer
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "blackhole");
            acceptor.setDaemon(true);
            acceptor.start();
            DataSourceSettings ds = withJson(settings(""), "{\"contactPoints\":\"127.0.0.1:" + blackhole.getLocalPort()
                    + "\",\"connectTimeoutSeconds\":2}");
            long t0 = System.nanoTime();
            CheckHealthResult r = check(ds);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals("No host reachable: tried 127.0.0.1:" + blackhole.getLocalPort() + " (the node did not answer the CQL"
                    + " handshake within 2 s: jsonData.connectTimeoutSeconds). Check jsonData.contactPoints and jsonData.port, and"
                    + " that Grafana can reach the nodes", r.message());
            assertTrue(ms >= 2_000 && ms < 3_500, "took " + ms + " ms; connectTimeout is 2 s");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void unresolvableHost() throws Exception {
        CheckHealthResult r = check(withJson(settings(""), "{\"contactPoints\":\"no-such-host.invalid:9042\"}"));
        assertEquals("No host reachable: tried no-such-host.invalid:9042 (unknown host: the name does not resolve); check"
                + " jsonData.contactPoints", r.message());
    }

    @Test
    void tlsAgainstAPlainNodeIsATlsHandshakeFailure() throws Exception {
        CheckHealthResult r = check(settings("\"tlsEnabled\":true"));
        assertEquals(CheckHealthResult.Status.ERROR, r.status());
        assertEquals("TLS handshake failed with " + node.contactPoint() + ": the node answered without TLS: it does not use TLS"
                + " on this port (turn jsonData.tlsEnabled off, or use the node's TLS port)", r.message());
    }

    @Test
    void missingKeyspace() throws Exception {
        CheckHealthResult r = check(settings("\"keyspace\":\"no_such_keyspace_42\""));
        assertEquals("Keyspace \"no_such_keyspace_42\" does not exist (jsonData.keyspace); create it or correct the name (names"
                + " are case-sensitive only when double-quoted)", r.message());
    }

    @Test
    void keyspaceNamesFoldToLowerCaseUnlessQuoted() throws Exception {
        assertEquals(CheckHealthResult.Status.OK, check(settings("\"keyspace\":\"" + KEYSPACE.toUpperCase() + "\"")).status());
        CheckHealthResult quoted = check(settings("\"keyspace\":\"\\\"" + KEYSPACE.toUpperCase() + "\\\"\""));
        assertEquals("Keyspace \"" + KEYSPACE.toUpperCase() + "\" does not exist (jsonData.keyspace); create it or correct the name"
                + " (names are case-sensitive only when double-quoted)", quoted.message());
    }

    @Test
    void unknownDatacenterIsRefused() throws Exception {
        CheckHealthResult r = check(settings("\"localDatacenter\":\"no-such-dc\""));
        assertEquals("Invalid settings: jsonData.localDatacenter \"no-such-dc\" is not a datacenter of this cluster; it has "
                + datacenter, r.message());
    }

    @Test
    void invalidSettingsNameTheKeyWithoutConnecting() throws Exception {
        CheckHealthResult r = check(settings("\"port\":\"abc\""));
        assertEquals("Invalid settings: jsonData.port must be a number from 1 to 65535, got \"abc\"", r.message());
    }

    @Test
    void nothingReachesStdout() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            assertEquals(CheckHealthResult.Status.OK, check(settings("")).status());
            assertEquals(CheckHealthResult.Status.ERROR, check(node.settings("health-out", 1, "", Map.of("username", "x", "password", "y"))).status());
            assertEquals(CheckHealthResult.Status.ERROR, check(settings("\"tlsEnabled\":true")).status());
        } finally {
            System.setOut(original);
        }
        assertEquals("", captured.toString(), "stdout belongs to the plugin handshake");
    }

    static DataSourceSettings withJson(DataSourceSettings ds, String json) {
        return new DataSourceSettings(ds.id(), ds.uid() + "-j", ds.name(), ds.url(), ds.user(), ds.database(), false, null,
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8), ds.decryptedSecureJsonData(), ds.lastUpdatedMs(), "");
    }
}
