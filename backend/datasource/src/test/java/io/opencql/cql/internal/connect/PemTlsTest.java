package io.opencql.cql.internal.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.metadata.EndPoint;
import io.opencql.cql.internal.failure.Failure;
import io.opencql.cql.internal.kernel.CqlSettings;
import io.opencql.cql.internal.kernel.InvalidSettingsException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PEM → SSLContext, checked against a real TLS server in this JVM (test-only keys in src/test/resources/tls). */
class PemTlsTest {

    static String pem(String name) {
        try (InputStream in = PemTlsTest.class.getResourceAsStream("/tls/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CqlSettings.Tls tls(String ca, String cert, String key, String serverName, boolean skipVerify) {
        return new CqlSettings.Tls(true, ca, cert, key, serverName, skipVerify);
    }

    // --- parsing ---

    @ParameterizedTest
    @CsvSource({
        "client-rsa.pem, client-rsa.pkcs8.key, RSA",
        "client-rsa.pem, client-rsa.pkcs1.key, RSA",
        "client-ec.pem,  client-ec.sec1.key,   EC",
        "client-ec.pem,  client-ec.pkcs8.key,  EC",
    })
    void readsEveryKeyFormat(String cert, String key, String algorithm) throws Exception {
        PrivateKey k = PemTls.privateKey(pem(key));
        assertEquals(algorithm, k.getAlgorithm());
        KeyManager[] kms = PemTls.keyManagers(pem(cert), pem(key));
        assertEquals(1, kms.length);
    }

    @Test
    void pkcs1AndPkcs8AreTheSameKey() throws Exception {
        assertEquals(PemTls.privateKey(pem("client-rsa.pkcs8.key")), PemTls.privateKey(pem("client-rsa.pkcs1.key")));
        assertEquals(((java.security.interfaces.ECPrivateKey) PemTls.privateKey(pem("client-ec.pkcs8.key"))).getS(),
                ((java.security.interfaces.ECPrivateKey) PemTls.privateKey(pem("client-ec.sec1.key"))).getS());
    }

    @Test
    void keyOfAnotherCertificateIsRefused() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> PemTls.keyManagers(pem("client-rsa.pem"), pem("client-ec.pkcs8.key")));
        assertEquals("tlsClientKey", e.key());
        assertEquals("secureJsonData.tlsClientKey is not the private key of the certificate in secureJsonData.tlsClientCert", e.getMessage());
        InvalidSettingsException rsa = assertThrows(InvalidSettingsException.class,
                () -> PemTls.keyManagers(pem("server.pem"), pem("client-rsa.pkcs8.key")));
        assertEquals("tlsClientKey", rsa.key());
    }

    @Test
    void encryptedKeysAreExplained() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> PemTls.privateKey(pem("client-rsa.encrypted.key")));
        assertEquals("tlsClientKey", e.key());
        assertTrue(e.getMessage().startsWith("secureJsonData.tlsClientKey is encrypted with a passphrase, which is not supported"), e.getMessage());
        String legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        assertTrue(assertThrows(InvalidSettingsException.class, () -> PemTls.privateKey(legacy)).getMessage().contains("encrypted"));
    }

    @Test
    void garbageNamesTheKeyAndNeverEchoesIt() {
        InvalidSettingsException ca = assertThrows(InvalidSettingsException.class, () -> PemTls.trustManagers("not a pem SECRETISH"));
        assertEquals("tlsCACert", ca.key());
        assertEquals("secureJsonData.tlsCACert holds no PEM certificate (expected text starting with -----BEGIN CERTIFICATE-----)", ca.getMessage());
        InvalidSettingsException key = assertThrows(InvalidSettingsException.class, () -> PemTls.privateKey("SECRETISH key text"));
        assertEquals("tlsClientKey", key.key());
        assertFalse(key.getMessage().contains("SECRETISH"));
        String broken = "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n";
        InvalidSettingsException b = assertThrows(InvalidSettingsException.class, () -> PemTls.privateKey(broken));
        assertEquals("secureJsonData.tlsClientKey is not a readable RSA, EC or EdDSA private key", b.getMessage());
        InvalidSettingsException cert = assertThrows(InvalidSettingsException.class,
                () -> PemTls.certificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "tlsClientCert"));
        assertEquals("tlsClientCert", cert.key());
        assertTrue(cert.getMessage().startsWith("secureJsonData.tlsClientCert holds a certificate that cannot be read"), cert.getMessage());
    }

    @Test
    void pemWithEscapedNewlinesAndCrLfAndSeveralCertificates() throws Exception {
        String escaped = pem("ca.pem").replace("\n", "\\n");
        assertEquals(1, PemTls.certificates(escaped, "tlsCACert").size());
        String crlf = pem("ca.pem").replace("\n", "\r\n");
        assertEquals(1, PemTls.certificates(crlf, "tlsCACert").size());
        List<X509Certificate> two = PemTls.certificates(pem("ca.pem") + "\n" + pem("other-ca.pem"), "tlsCACert");
        assertEquals(2, two.size());
        assertEquals("CN=test other-ca", two.get(1).getSubjectX500Principal().getName());
    }

    @Test
    void caBecomesTheOnlyTrustAnchor() throws Exception {
        X509TrustManager tm = (X509TrustManager) PemTls.trustManagers(pem("ca.pem"))[0];
        X509Certificate[] server = PemTls.certificates(pem("server.pem"), "x").toArray(new X509Certificate[0]);
        tm.checkServerTrusted(server, "RSA");
        X509TrustManager other = (X509TrustManager) PemTls.trustManagers(pem("other-ca.pem"))[0];
        assertThrows(java.security.cert.CertificateException.class, () -> other.checkServerTrusted(server, "RSA"));
    }

    // --- handshakes against a TLS server in this JVM ---

    private SSLServerSocket server;
    private CompletableFuture<List<SNIServerName>> serverSaw;

    @BeforeEach
    void startServer() throws Exception {
        // the server: server.pem, trusting client certificates signed by ca.pem, asking for one
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(PemTls.keyManagers(pem("server.pem"), pem("server.key")), PemTls.trustManagers(pem("ca.pem")), null);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        server.setWantClientAuth(true);
        serverSaw = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(5000);
                    s.startHandshake();
                    serverSaw.complete(((ExtendedSSLSession) s.getSession()).getRequestedServerNames());
                    s.getOutputStream().write(1);
                } catch (IOException e) {
                    serverSaw.complete(List.of());
                }
            }
        }, "test-tls-server");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    /** Connects like the driver would: the context from PemTls, the parameters from TlsEngineFactory. */
    private void handshake(CqlSettings.Tls tls, String connectAs) throws Exception {
        SSLContext ctx = PemTls.sslContext(tls);
        TlsEngineFactory engines = new TlsEngineFactory(ctx, tls.serverName(), !tls.skipVerify());
        String peer = tls.serverName() != null ? tls.serverName() : connectAs;
        try (java.net.Socket raw = new java.net.Socket()) {
            raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
            // layered with the peer name, as the driver's engine is created with it: the JDK verifies that name
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, peer, server.getLocalPort(), true);
            try (s) {
                s.setSSLParameters(engines.parameters(s.getSSLParameters(), peer));
                s.setSoTimeout(5000);
                s.startHandshake();
                assertEquals(1, s.getInputStream().read());
            }
        }
    }

    @Test
    void mutualTlsWithHostNameVerification() throws Exception {
        handshake(tls(pem("ca.pem"), pem("client-rsa.pem"), pem("client-rsa.pkcs1.key"), "localhost", false), "localhost");
        assertEquals(List.of(new SNIHostName("localhost")), serverSaw.get(5, TimeUnit.SECONDS));
    }

    @Test
    void serverNameIsUsedForSniAndVerification() throws Exception {
        handshake(tls(pem("ca.pem"), pem("client-ec.pem"), pem("client-ec.sec1.key"), "node.test", false), "127.0.0.1");
        assertEquals(List.of(new SNIHostName("node.test")), serverSaw.get(5, TimeUnit.SECONDS));
    }

    @Test
    void hostNameMismatchFailsAndIsNamedSo() {
        SSLException e = assertThrows(SSLException.class,
                () -> handshake(tls(pem("ca.pem"), null, null, "wrong.example", false), "127.0.0.1"));
        Failure f = Failure.connecting(e, settings(tls(pem("ca.pem"), null, null, "wrong.example", false)));
        assertEquals(Failure.Kind.TLS, f.kind());
        assertEquals("TLS handshake failed with 127.0.0.1:9042: host name mismatch: the node's certificate is not issued for the"
                + " name Grafana connected to (set jsonData.tlsServerName to a name in the certificate)", f.message());
    }

    @Test
    void untrustedCertificateFailsAndIsNamedSo() {
        SSLException e = assertThrows(SSLException.class,
                () -> handshake(tls(pem("other-ca.pem"), null, null, "localhost", false), "localhost"));
        Failure f = Failure.connecting(e, settings(tls(pem("other-ca.pem"), null, null, null, false)));
        assertEquals(Failure.Kind.TLS, f.kind());
        assertEquals("TLS handshake failed with 127.0.0.1:9042: certificate not trusted: the node's certificate is not signed by"
                + " secureJsonData.tlsCACert", f.message());
    }

    @Test
    void skipVerifyAcceptsAnyCertificateAndName() throws Exception {
        handshake(tls(pem("other-ca.pem"), null, null, "wrong.example", true), "127.0.0.1");
        handshake(tls(null, null, null, null, true), "127.0.0.1");
    }

    @Test
    void withoutCaTheJvmDefaultsDoNotTrustATestCa() {
        assertThrows(SSLException.class, () -> handshake(tls(null, null, null, "localhost", false), "localhost"));
    }

    // --- the driver's engines ---

    private static EndPoint endPoint(InetSocketAddress address) {
        return new EndPoint() {
            @Override
            public SocketAddress resolve() {
                return address;
            }

            @Override
            public String asMetricPrefix() {
                return "test";
            }
        };
    }

    @Test
    void enginesVerifyTheContactPointNameByDefault() throws Exception {
        SSLContext ctx = PemTls.sslContext(tls(pem("ca.pem"), null, null, null, false));
        SSLEngine byName = new TlsEngineFactory(ctx, null, true).newSslEngine(endPoint(InetSocketAddress.createUnresolved("db.example", 9142)));
        assertTrue(byName.getUseClientMode());
        assertEquals("db.example", byName.getPeerHost());
        assertEquals(9142, byName.getPeerPort());
        assertEquals("HTTPS", byName.getSSLParameters().getEndpointIdentificationAlgorithm());
        assertEquals(List.of(new SNIHostName("db.example")), byName.getSSLParameters().getServerNames());

        SSLEngine byIp = new TlsEngineFactory(ctx, null, true).newSslEngine(endPoint(new InetSocketAddress("127.0.0.1", 9142)));
        assertEquals("127.0.0.1", byIp.getPeerHost());
        assertEquals("HTTPS", byIp.getSSLParameters().getEndpointIdentificationAlgorithm());
    }

    @Test
    void enginesUseTheServerNameForEveryNode() throws Exception {
        SSLContext ctx = PemTls.sslContext(tls(pem("ca.pem"), null, null, "cluster.example", false));
        SSLEngine e = new TlsEngineFactory(ctx, "cluster.example", true).newSslEngine(endPoint(new InetSocketAddress("10.1.2.3", 9042)));
        assertEquals("cluster.example", e.getPeerHost());
        assertEquals(List.of(new SNIHostName("cluster.example")), e.getSSLParameters().getServerNames());
    }

    @Test
    void skipVerifyTurnsHostNameChecksOff() throws Exception {
        SSLContext ctx = PemTls.sslContext(tls(null, null, null, null, true));
        SSLEngine e = new TlsEngineFactory(ctx, null, false).newSslEngine(endPoint(new InetSocketAddress("127.0.0.1", 9042)));
        assertNull(e.getSSLParameters().getEndpointIdentificationAlgorithm());
    }

    private static CqlSettings settings(CqlSettings.Tls tls) {
        return new CqlSettings(List.of(new CqlSettings.ContactPoint("127.0.0.1", 9042)), null, null, com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_ONE,
                Duration.ofSeconds(5), Duration.ofSeconds(30), 5000, 1000, true, tls, null, null);
    }

    @Test
    void notTlsAtAllIsNamedSo() {
        SSLException e = new SSLException("Unsupported or unrecognized SSL message");
        Failure f = Failure.connecting(e, settings(tls(null, null, null, null, false)));
        assertInstanceOf(Failure.class, f);
        assertTrue(f.message().contains("the node answered without TLS: it does not use TLS on this port"), f.message());
    }
}
