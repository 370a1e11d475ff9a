package io.opencql.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opencql.grafana.backend.CheckHealthResult;
import io.opencql.grafana.backend.DataQuery;
import io.opencql.grafana.backend.DataResponse;
import io.opencql.grafana.backend.DataSourceSettings;
import io.opencql.grafana.backend.Plugin;
import io.opencql.grafana.backend.PluginContext;
import io.opencql.grafana.backend.QueryDataRequest;
import io.opencql.grafana.backend.RequestContext;
import io.opencql.grafana.data.Frame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS against a real node that requires it ({@code CASS_TLS=1 tools/cassandra-node.sh start}; tools/test.sh starts
 * one and sets CQL_TEST_TLS_HOST and CQL_TEST_TLS_CA): the node's certificate is issued for 127.0.0.1 and localhost
 * by a test CA. Trusting that CA connects with the host name verified; every misconfiguration names its cause.
 */
class TlsIT {

    private static final AtomicLong UPDATED = new AtomicLong(1);

    static String host;
    static String caPem;
    static CqlDataSource dataSource;
    static Plugin plugin;

    @BeforeAll
    static void setUp() throws IOException {
        host = setting("CQL_TEST_TLS_HOST");
        String ca = setting("CQL_TEST_TLS_CA");
        Assumptions.assumeTrue(host != null && ca != null,
                "no TLS test node: start one with CASS_TLS=1 tools/cassandra-node.sh and set CQL_TEST_TLS_HOST and CQL_TEST_TLS_CA"
                        + " (tools/test.sh does both)");
        caPem = Files.readString(Path.of(ca));
        dataSource = new CqlDataSource();
        plugin = dataSource.plugin();
    }

    @AfterAll
    static void tearDown() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    private static String setting(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            v = System.getenv(name);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    static DataSourceSettings settings(String extraJson, Map<String, String> extraSecure) {
        Map<String, String> secure = new HashMap<>(Map.of("username", "cassandra", "password", "cassandra"));
        secure.putAll(extraSecure);
        String json = "{\"contactPoints\":\"" + host + "\",\"tlsEnabled\":true" + (extraJson.isEmpty() ? "" : "," + extraJson) + "}";
        long n = UPDATED.incrementAndGet();
        return new DataSourceSettings(1, "tls-" + n, "tls " + n, null, null, null, false, null,
                json.getBytes(StandardCharsets.UTF_8), secure, n, "");
    }

    static CheckHealthResult check(DataSourceSettings ds) throws Exception {
        return plugin.checkHealth().checkHealth(PluginContext.forDataSource(ds), Map.of(), RequestContext.NONE);
    }

    @Test
    void trustingTheCaConnectsWithTheHostNameVerifiedAndQueriesRun() throws Exception {
        DataSourceSettings ds = settings("", Map.of("tlsCACert", caPem));
        CheckHealthResult health = check(ds);
        assertEquals(CheckHealthResult.Status.OK, health.status(), health.message());
        assertTrue(health.message().startsWith("Connected to Apache Cassandra"), health.message());

        DataQuery q = new DataQuery("A", 100, 1000, null,
                "{\"cql\":\"SELECT cluster_name, release_version FROM system.local\",\"format\":\"table\"}".getBytes(StandardCharsets.UTF_8), "");
        DataResponse r = plugin.queryData().queryData(new QueryDataRequest(PluginContext.forDataSource(ds), Map.of(), List.of(q)),
                RequestContext.NONE).responses().get("A");
        assertEquals(200, r.status(), r.error());
        try (Frame f = r.frames().get(0)) {
            assertEquals(1, f.rowCount());
            assertEquals("local-test", f.field(0).getObject(0));
        }
    }

    @Test
    void aServerNameTheCertificateNamesConnectsToo() throws Exception {
        CheckHealthResult health = check(settings("\"tlsServerName\":\"localhost\"", Map.of("tlsCACert", caPem)));
        assertEquals(CheckHealthResult.Status.OK, health.status(), health.message());
    }

    @Test
    void aServerNameTheCertificateDoesNotNameIsAHostNameMismatch() throws Exception {
        CheckHealthResult health = check(settings("\"tlsServerName\":\"db.example.com\"", Map.of("tlsCACert", caPem)));
        assertEquals(CheckHealthResult.Status.ERROR, health.status());
        assertTrue(health.message().startsWith("TLS handshake failed with " + host + ": host name mismatch"), health.message());
    }

    @Test
    void withoutTheCaTheCertificateIsNotTrusted() throws Exception {
        CheckHealthResult health = check(settings("", Map.of()));
        assertEquals(CheckHealthResult.Status.ERROR, health.status());
        assertTrue(health.message().startsWith("TLS handshake failed with " + host + ": certificate not trusted"), health.message());
    }

    @Test
    void skipVerifyConnectsWithoutTheCa() throws Exception {
        CheckHealthResult health = check(settings("\"tlsSkipVerify\":true", Map.of()));
        assertEquals(CheckHealthResult.Status.OK, health.status(), health.message());
    }

    @Test
    void aPlainClientIsToldWhatFailed() throws Exception {
        CheckHealthResult health = check(settings("\"tlsEnabled\":false", Map.of()));
        assertEquals(CheckHealthResult.Status.ERROR, health.status());
        assertTrue(health.message().startsWith("No host reachable: tried " + host + " ("), health.message());
        assertTrue(health.message().endsWith("(a node that requires TLS closes plain connections: set jsonData.tlsEnabled)"),
                health.message());
    }
}
