package io.opencql.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opencql.cql.testing.TestNode;
import io.opencql.grafana.backend.CheckHealthRequest;
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
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS against a real node that requires it and a client certificate ({@code CASS_TLS=1 tools/cassandra-node.sh
 * start}; tools/test.sh starts one and sets CQL_TEST_TLS_HOST and CQL_TEST_TLS_CA): the node's certificate is issued
 * for 127.0.0.1 and localhost by a test CA, which also signed client.p12 beside ca.pem. Trusting that CA and
 * presenting that client certificate (as PEM, the way secureJsonData carries it) connects with the host name
 * verified; every misconfiguration names its cause.
 */
class TlsIT {

    private static final AtomicLong UPDATED = new AtomicLong(1);

    static String host;
    static String caPem;
    /** tlsClientCert and tlsClientKey as PEM */
    static Map<String, String> client;
    static CqlDataSource dataSource;
    static Plugin plugin;

    @BeforeAll
    static void setUp() throws IOException {
        host = TestNode.setting("CQL_TEST_TLS_HOST", null);
        String ca = TestNode.setting("CQL_TEST_TLS_CA", null);
        Assumptions.assumeTrue(host != null && ca != null,
                "no TLS test node: start one with CASS_TLS=1 tools/cassandra-node.sh and set CQL_TEST_TLS_HOST and CQL_TEST_TLS_CA"
                        + " (tools/test.sh does both)");
        caPem = Files.readString(Path.of(ca));
        client = clientPem(Path.of(ca).resolveSibling("client.p12"));
        dataSource = new CqlDataSource();
        plugin = dataSource.plugin();
    }

    @AfterAll
    static void tearDown() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    /** The client certificate and its key from the node's test PKCS#12 store, as PEM (the key as PKCS#8). */
    static Map<String, String> clientPem(Path p12) throws IOException {
        try (InputStream in = Files.newInputStream(p12)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, "cassandra".toCharArray());
            Key key = ks.getKey("client", "cassandra".toCharArray());
            Certificate cert = ks.getCertificate("client");
            return Map.of("tlsClientCert", pem("CERTIFICATE", cert.getEncoded()), "tlsClientKey", pem("PRIVATE KEY", key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the test client certificate " + p12 + ": " + e, e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static Map<String, String> withClient(Map<String, String> secure) {
        Map<String, String> m = new HashMap<>(client);
        m.putAll(secure);
        return m;
    }

    static DataSourceSettings settings(String extraJson, Map<String, String> extraSecure) {
        Map<String, String> secure = new HashMap<>(Map.of("username", "cassandra", "password", "cassandra"));
        secure.putAll(extraSecure);
        // connectTimeoutSeconds bounds a hang only: at load 30 on 2 cores the first TLS session (cold JIT, a full
        // handshake per connection) took longer than the default 5 s; every failure checked here is immediate
        String json = "{\"contactPoints\":\"" + host + "\",\"tlsEnabled\":true,\"connectTimeoutSeconds\":30"
                + (extraJson.isEmpty() ? "" : "," + extraJson) + "}";
        long n = UPDATED.incrementAndGet();
        return new DataSourceSettings(1, "tls-" + n, "tls " + n, null, null, null, false, null,
                json.getBytes(StandardCharsets.UTF_8), secure, n, "");
    }

    static CheckHealthResult check(DataSourceSettings ds) throws Exception {
        return plugin.checkHealth().checkHealth(new CheckHealthRequest(PluginContext.forDataSource(ds), Map.of()), RequestContext.NONE);
    }

    @Test
    void trustingTheCaConnectsWithTheHostNameVerifiedAndQueriesRun() throws Exception {
        DataSourceSettings ds = settings("", withClient(Map.of("tlsCACert", caPem)));
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
        CheckHealthResult health = check(settings("\"tlsServerName\":\"localhost\"", withClient(Map.of("tlsCACert", caPem))));
        assertEquals(CheckHealthResult.Status.OK, health.status(), health.message());
    }

    @Test
    void aServerNameTheCertificateDoesNotNameIsAHostNameMismatch() throws Exception {
        CheckHealthResult health = check(settings("\"tlsServerName\":\"db.example.com\"", withClient(Map.of("tlsCACert", caPem))));
        assertEquals(CheckHealthResult.Status.ERROR, health.status());
        assertTrue(health.message().startsWith("TLS handshake failed with " + host + ": host name mismatch"), health.message());
    }

    @Test
    void withoutTheCaTheCertificateIsNotTrusted() throws Exception {
        CheckHealthResult health = check(settings("", withClient(Map.of())));
        assertEquals(CheckHealthResult.Status.ERROR, health.status());
        assertTrue(health.message().startsWith("TLS handshake failed with " + host + ": certificate not trusted"), health.message());
    }

    @Test
    void aQueryThatCannotHandshakeSaysWhatSaveAndTestSays() throws Exception {
        DataSourceSettings ds = settings("", withClient(Map.of()));
        CheckHealthResult health = check(ds);
        assertEquals(CheckHealthResult.Status.ERROR, health.status());
        DataQuery q = new DataQuery("A", 100, 1000, null,
                "{\"cql\":\"SELECT cluster_name FROM system.local\",\"format\":\"table\"}".getBytes(StandardCharsets.UTF_8), "");
        DataResponse r = plugin.queryData().queryData(new QueryDataRequest(PluginContext.forDataSource(ds), Map.of(), List.of(q)),
                RequestContext.NONE).responses().get("A");
        assertEquals(502, r.status(), r.error());
        assertEquals("downstream", r.errorSource().wire());
        assertEquals(health.message(), r.error());
        assertTrue(r.error().startsWith("TLS handshake failed with " + host + ": certificate not trusted"), r.error());
    }

    @Test
    void skipVerifyConnectsWithoutTheCa() throws Exception {
        CheckHealthResult health = check(settings("\"tlsSkipVerify\":true", withClient(Map.of())));
        assertEquals(CheckHealthResult.Status.OK, health.status(), health.message());
    }

    @Test
    void withoutAClientCertificateTheNodeRejectsTheHandshake() throws Exception {
        CheckHealthResult health = check(settings("", Map.of("tlsCACert", caPem)));
        assertEquals(CheckHealthResult.Status.ERROR, health.status());
        assertEquals("TLS handshake failed with " + host + ": the node rejected the client certificate (check"
                + " secureJsonData.tlsClientCert and tlsClientKey)", health.message());
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
